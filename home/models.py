from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .slugs import TransliteratedSlugMixin


class HomePage(TransliteratedSlugMixin, Page):
    """
    The root of a site. Frontends render their own home page; this one holds the site's
    name and a short description they can show, and is the parent of the news section.
    """

    intro = models.TextField("giới thiệu", blank=True, help_text="Một hoặc hai câu giới thiệu trang.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage"]

    class Meta:
        verbose_name = "trang chủ"
        verbose_name_plural = "trang chủ"
