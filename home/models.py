from django.db import models
from django.utils.translation import gettext_lazy as _
from grapple.models import GraphQLString
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from publishing.forms import PageForm
from publishing.http import SharedCacheServing
from publishing.preview import PreviewableMixin
from publishing.slugs import TransliteratedSlugMixin


class HomePage(SharedCacheServing, TransliteratedSlugMixin, PreviewableMixin, Page):
    """
    The root of a site. Frontends render their own home page; this one holds a short
    description they can show, and is the parent of the news section.
    """

    base_form_class = PageForm

    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("One or two sentences introducing the site.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    graphql_fields = [GraphQLString("intro", required=True)]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
