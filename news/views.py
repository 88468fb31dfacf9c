from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CooperationSector, NewsPage


class CooperationSectorViewSet(SnippetViewSet):
    """Sectors in the admin, in editorial order, with how many live news each has."""

    icon = "tag"
    menu_label = _("Sectors")
    menu_order = 200
    add_to_admin_menu = True
    list_display = [
        "name",
        "slug",
        Column("news_count", label=_("Live news")),
        "sort_order",
    ]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]

    def get_queryset(self, request):
        return CooperationSector.objects.with_news_count()


class NewsPageListingViewSet(PageListingViewSet):
    """Every news page in one list, filterable by sector, publication date and status."""

    model = NewsPage
    icon = "doc-full"
    menu_label = _("News")
    menu_order = 150
    add_to_admin_menu = True
    name = "news_pages"
    list_filter = {"sectors": ["exact"], "date": ["gte", "lte"]}


news_page_listing_viewset = NewsPageListingViewSet("news_pages")
