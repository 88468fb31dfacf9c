"""
The cooperation records in the admin: one menu, “Hợp tác”, with partners, agreements and
activities; each listing filterable and exported to CSV and XLSX (Wagtail's listing export).
"""

import django_filters
from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from news.models import CooperationSector

from .amounts import format_vnd
from .models import Activity, Agreement, Contribution, Partner
from .partial_dates import year_bounds


class ActivityFilterSet(WagtailFilterSet):
    sectors = django_filters.ModelChoiceFilter(
        label=_("Sector"), queryset=CooperationSector.objects.canonical(), field_name="sectors"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=Partner.objects.filter(locale__language_code=settings.LANGUAGE_CODE),
        field_name="partner_roles__partner",
        distinct=True,
    )
    locality = django_filters.CharFilter(label=_("Place"), method="filter_locality")
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = Activity
        fields = ["sectors", "status", "partner", "locality", "year"]

    def filter_locality(self, queryset, name, value):
        """Activities in a place whose name contains `value` ("Ba Bể" finds "huyện Ba Bể")."""
        return queryset.filter(localities__name__icontains=value.strip()).distinct()

    def filter_year(self, queryset, name, value):
        """
        Activities under way in that year, as far as their dates say: from their start (or, without
        one, their end) to their end — or, without an end, still going unless completed, when it
        ended the year it started. An activity with no date at all is in no year.
        """
        begins, after = year_bounds(int(value))
        dated = Q(start__isnull=False) | Q(end__isnull=False)
        began = Q(start__lt=after) | Q(start__isnull=True, end__lt=after)
        still = Q(end__gte=begins) | Q(end__isnull=True) & (
            ~Q(status=Activity.Status.COMPLETED) | Q(start__gte=begins)
        )
        return queryset.filter(dated & began & still)


def total_contributed(activity):
    """The activity's contributions in đồng, summed: “trên …” when one of them is an “at least”."""
    total = activity.total_vnd
    if not total:
        return ""
    return format_vnd(total, "at_least" if activity.has_lower_bound else "exact")


def totals(activities):
    """How many activities, and what they were given in all (“trên …” when a part is a lower bound)."""
    if isinstance(activities, QuerySet):
        ids, count = activities.values("pk"), activities.count()
    else:  # the results of a search
        ids = [activity.pk for activity in activities]
        count = len(ids)
    contributions = Contribution.objects.filter(activity__in=ids, amount_vnd__isnull=False)
    summed = contributions.aggregate(
        amount=Sum("amount_vnd"), lower_bounds=Count("pk", filter=Q(qualifier="at_least"))
    )
    amount = summed["amount"] or 0
    qualifier = "at_least" if summed["lower_bounds"] else "exact"
    return {"count": count, "amount": format_vnd(amount, qualifier) if amount else "0 đồng"}


class ActivityIndexView(IndexView):
    """The activities' listing, with the totals of what it lists (every page of it, filters applied)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = totals(self.object_list)
        return context


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    menu_order = 100
    list_display = ["name", "kind", "locality"]
    list_filter = ["kind", "locality"]
    list_export = ["name", "slug", "kind", "locality"]
    export_filename = "doi-tac"
    ordering = ["name"]


class AgreementViewSet(SnippetViewSet):
    model = Agreement
    icon = "doc-full"
    menu_order = 200
    list_display = ["number", "title", "kind", "issued_on", "period_start", "period_end"]
    list_filter = ["kind"]
    list_export = ["number", "kind", "title", "issuer", "issued_on", "period_start", "period_end", "summary"]
    export_filename = "van-ban-hop-tac"


class ActivityViewSet(SnippetViewSet):
    model = Activity
    icon = "tasks"
    index_view_class = ActivityIndexView
    index_results_template_name = "cooperation/activity_index_results.html"
    menu_order = 300
    filterset_class = ActivityFilterSet
    list_display = [
        "title",
        "status",
        "start",
        "end",
        Column("total", label=_("Contributed"), accessor=total_contributed),
    ]
    list_export = ["title", "status", "start", "end", "agreement", "total_vnd", "has_lower_bound"]
    export_headings = {
        "total_vnd": _("Contributed (đồng)"),
        "has_lower_bound": _("At least (one amount is a lower bound)"),
    }
    export_filename = "hoat-dong-hop-tac"

    def get_queryset(self, request):
        lower_bounds = Q(contributions__amount_vnd__isnull=False, contributions__qualifier="at_least")
        return Activity.objects.annotate(
            total_vnd=Sum("contributions__amount_vnd"),
            has_lower_bound=Count("contributions", filter=lower_bounds),
        ).select_related("agreement")


class CooperationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Cooperation")
    menu_icon = "group"
    menu_order = 180
    items = (ActivityViewSet, AgreementViewSet, PartnerViewSet)
