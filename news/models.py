import graphene
from django import forms
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from grapple.models import (
    GraphQLField,
    GraphQLImage,
    GraphQLInt,
    GraphQLStreamfield,
    GraphQLString,
)
from grapple.registry import registry
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import ItemBase, TagBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from cms.graphql.selections import SharedTargets
from publishing.preview import PreviewableMixin
from publishing.scope import current_request, memoised
from publishing.slugs import TransliteratedSlugMixin
from publishing.text import AccentInsensitiveSearchField, ascii_slug, highlight
from publishing.visibility import site_for, visible

from .blocks import NewsBodyBlock


def sector_type():
    return registry.snippets[CooperationSector]


def local_today():
    return timezone.localdate()


class CooperationSectorQuerySet(models.QuerySet):
    def with_news_count(self, site=None):
        """Sectors in editorial order, each with its count of visible news (of `site`) in one query."""
        return self.annotate(
            annotated_news_count=Count(
                "news_pages",
                filter=Q(news_pages__in=NewsPage.objects.visible_in(site).values("pk")),
                distinct=True,
            )
        ).order_by(*self.model._meta.ordering)  # aggregation drops Meta.ordering

    def news_counts(self):
        """{sector id: visible news count} on the current request's site, once per request."""
        return memoised(
            "sector-news-counts",
            lambda: dict(
                self.with_news_count(site_for(current_request())).values_list("pk", "annotated_news_count")
            ),
        )


class CooperationSector(index.Indexed, models.Model):
    """
    A field of cooperation between localities (agriculture, education, ...). News pages are
    tagged with one or more; frontends list and filter news by sector.
    """

    name = models.CharField(_("name"), max_length=255, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        unique=True,
        help_text=_("Used in addresses and filters, e.g. “nong-nghiep”. ASCII only."),
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(
        _("sort order"), default=0, help_text=_("Sectors are listed from the lowest number up.")
    )

    objects = CooperationSectorQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]

    graphql_fields = [
        GraphQLString("name", required=True),
        GraphQLString("slug", required=True),
        GraphQLString("description", required=True),
        GraphQLInt("news_count", required=True),
    ]

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("cooperation sector")
        verbose_name_plural = _("cooperation sectors")

    def __str__(self):
        return self.name

    def news_count(self):
        """
        Live, public news pages in this sector, on the site of the request being answered (every
        site outside one). Lists annotate it in bulk (`with_news_count`); one request counts the
        sectors of all its news pages in a single query (`news_counts`).
        """
        if hasattr(self, "annotated_news_count"):
            return self.annotated_news_count
        return CooperationSector.objects.news_counts().get(self.pk, 0)


class NewsTag(TagBase):
    """A free-form tag whose slug is ASCII ("Bắc Kạn" → `bac-kan`), like page slugs."""

    free_tagging = True

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def slugify(self, tag, i=None):
        slug = ascii_slug(tag, max_length=90)
        return slug if i is None else f"{slug}-{i}"


class NewsPageTag(ItemBase):
    tag = models.ForeignKey(NewsTag, on_delete=models.CASCADE, related_name="tagged_news")
    content_object = ParentalKey("news.NewsPage", on_delete=models.CASCADE, related_name="tagged_items")


class NewsIndexPage(TransliteratedSlugMixin, PreviewableMixin, Page):
    """The news section ("Tin tức", slug `tin-tuc`): the only place news pages live."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    graphql_fields = [GraphQLString("intro", required=True)]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("news index")
        verbose_name_plural = _("news indexes")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["news_pages"] = NewsPage.objects.child_of(self).visible_in().order_by("-date", "-pk")[:50]
        return context


class NewsPageQuerySet(PageQuerySet):
    def visible_in(self, site=None):
        """News readers may see (publishing.visibility), of `site` when given."""
        news = visible(self)
        return news.descendant_of(site.root_page) if site is not None else news


class NewsPage(TransliteratedSlugMixin, PreviewableMixin, Page):
    """A news article about cooperation between localities."""

    objects = PageManager.from_queryset(NewsPageQuerySet)()

    date = models.DateField(
        _("publication date"), default=local_today, help_text=_("The date shown to readers.")
    )
    author = models.CharField(_("byline"), max_length=255, blank=True, help_text=_("e.g. “Nguyễn Nga”."))
    intro = models.TextField(
        _("lead"), blank=True, help_text=_("The opening paragraph (sapo), shown in lists and at the top.")
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_caption = models.CharField(_("main image caption"), max_length=500, blank=True)
    body = StreamField(NewsBodyBlock(), verbose_name=_("body"), blank=True)
    sectors = ParentalManyToManyField(
        CooperationSector,
        verbose_name=_("cooperation sectors"),
        blank=True,
        related_name="news_pages",
        help_text=_("Every sector the article is about."),
    )
    tags = ClusterTaggableManager(through=NewsPageTag, verbose_name=_("tags"), blank=True)
    # The news index the page is in (its parent), kept by `save` and moves (news.signals): with
    # the (section, date, id) index, the news just before and after a page in its section are
    # one index step away, however small the section and large the archive (news.related).
    section = models.ForeignKey(
        "news.NewsIndexPage",
        verbose_name=_("section"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("date"), FieldPanel("author")],
            heading=_("Publication"),
        ),
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption")],
            heading=_("Main image"),
        ),
        FieldPanel("body"),
        FieldPanel("sectors", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
    ]

    # Text is indexed with its folded form too (publishing.text); the title ranks above the rest.
    search_fields = [
        *(field for field in Page.search_fields if not isinstance(field, index.SearchField)),
        AccentInsensitiveSearchField("title", boost=4),
        AccentInsensitiveSearchField("intro", boost=2),
        AccentInsensitiveSearchField("body"),
        AccentInsensitiveSearchField("author"),
        index.RelatedFields("sectors", [AccentInsensitiveSearchField("name")]),
        index.FilterField("date"),
        index.FilterField("expire_at"),
    ]

    graphql_fields = [
        GraphQLField("date", graphene.Date, required=True),
        GraphQLString("author", required=True),
        GraphQLString("intro", required=True),
        GraphQLImage("hero_image"),
        GraphQLString("hero_caption", required=True),
        GraphQLStreamfield("body", required=True),
        GraphQLField(
            "sectors", graphene.List(graphene.NonNull(sector_type)), required=True, source="related_sectors"
        ),
        GraphQLField(
            "tags",
            graphene.List(graphene.NonNull("news.graphql.TagType")),
            required=True,
            source="related_tags",
        ),
        GraphQLString(
            "search_excerpt",
            description=(
                "In `search` results: a short passage of the lead and body from just before the "
                "first word searched for, each such word in `<mark>` (found with or without "
                "diacritics), everything else HTML-escaped. Null outside `search`."
            ),
        ),
    ]

    # What a list fetches up front for each of these fields a query selects
    # (cms.graphql.selections); the body, when selected, with everything it refers to.
    graphql_prefetches = {
        "hero_image": lambda: Prefetch(
            "hero_image", queryset=get_image_model().objects.prefetch_renditions()
        ),
        "sectors": SharedTargets("sectors"),
        "tags": SharedTargets("tags"),
    }

    # Related news, previous and next (news.graphql.NewsArticleInterface).
    graphql_interfaces = ("news.graphql.NewsArticleInterface",)

    # Fields that read others: selecting `searchExcerpt` fetches the body, `related` the page's
    # sectors and tags.
    graphql_field_needs = {
        "search_excerpt": ("body",),
        "seo": ("hero_image",),
        "related": ("sectors", "tags"),
    }

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    def save(self, *args, **kwargs):
        # From the tree, never from a revision: a page published after a move keeps its new section.
        if self.path and self.depth and self.depth > 1:
            self.section_id = (
                Page.objects.filter(path=self.path[: -Page.steplen]).values_list("pk", flat=True).first()
            )
        return super().save(*args, **kwargs)

    def search_excerpt(self):
        """A marked passage for the words of the search that found this page (search.queries sets
        `search_terms` on its results); None for a page not found by a search."""
        terms = getattr(self, "search_terms", None)
        if not terms:
            return None
        body = self._meta.get_field("body").get_searchable_content(self.body)
        return highlight(" ".join([self.intro, *body]), terms)

    def _related(self, name):
        # Lists prefetch these; reading the prefetched list skips building a queryset per page.
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        return prefetched[name] if name in prefetched else list(getattr(self, name).all())

    def related_sectors(self):
        return self._related("sectors")

    def related_tags(self):
        return self._related("tags")

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")
        indexes = [
            models.Index(fields=["date", "page_ptr"], name="news_date_id"),
            models.Index(fields=["section", "date", "page_ptr"], name="news_section_date_id"),
        ]


register_snippet(CooperationSector, viewset="news.views.CooperationSectorViewSet")
