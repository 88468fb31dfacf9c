from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet


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
        from .queries import sectors_with_news_count

        return sectors_with_news_count()
