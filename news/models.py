import graphene
from django import forms
from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
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
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.models import Page, PageManager, TranslatableMixin
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from publishing.cache_tags import record
from publishing.forms import PageForm
from publishing.freshness import once_per_request
from publishing.http import SharedCacheServing
from publishing.locales import locale_by_id
from publishing.prefetch import body_references
from publishing.preview import PreviewableMixin
from publishing.relations import SharedTargets
from publishing.scope import current_request
from publishing.slugs import TransliteratedSlugMixin
from publishing.text import AccentInsensitiveSearchField, ascii_slug, highlight, stemmer
from publishing.visibility import site_for, site_root, visible

from .blocks import NewsBodyBlock


def sector_type():
    return registry.snippets[CooperationSector]


def local_today():
    return timezone.localdate()


def default_locale_sectors():
    """News pages of every language link the sectors of the default language (Vietnamese)."""
    return Q(locale__language_code=settings.LANGUAGE_CODE)


class CooperationSectorQuerySet(models.QuerySet):
    def canonical(self):
        """The sectors in the default language: the ones news pages link."""
        return self.filter(default_locale_sectors())

    def with_news_count(self, site=None, locale=None):
        """
        Sectors in editorial order, each with its count of visible news (of `site`) in one query:
        news in `locale`, or in each sector's own language when it is None (the admin's list),
        linking the sector or the original it translates.
        """
        news = NewsPage.objects.visible_in(site, locale)
        news = news.filter(sectors__translation_key=OuterRef("translation_key"))
        if locale is None:
            news = news.filter(locale=OuterRef("locale"))
        counted = (
            news.order_by().values("sectors__translation_key").annotate(count=Count("pk", distinct=True))
        )
        return self.annotate(annotated_news_count=Coalesce(Subquery(counted.values("count")), 0)).order_by(
            *self.model._meta.ordering
        )

    def news_counts(self, locale=None):
        """
        {translation key: visible news count} on the current request's site, in `locale` (the
        default language when None), once per request and language.
        """

        def count():
            sectors = self.canonical().with_news_count(site_for(current_request()), locale)
            return dict(sectors.values_list("translation_key", "annotated_news_count"))

        return once_per_request(("sector-news-counts", locale.pk if locale else None), count)

    def translated(self, sectors, locale):
        """
        `sectors` (of the default language) as they read in `locale`: each one's translation, or
        itself when it has none; counts of news in `locale`. One query per request and language
        (sectors are a few dozen: all of the language's at once), none for the default.
        """
        sectors = list(sectors)
        if locale is None or all(sector.locale_id == locale.pk for sector in sectors):
            translations = {}
        else:
            translations = once_per_request(
                ("sector-translations", locale.pk),
                lambda: {
                    sector.translation_key: sector for sector in self.model.objects.filter(locale=locale)
                },
            )
        found = []
        for sector in sectors:
            shown = translations.get(sector.translation_key, sector)
            if hasattr(sector, "annotated_news_count"):
                shown.annotated_news_count = sector.annotated_news_count
            shown.news_locale = locale
            found.append(shown)
        return found


class CooperationSector(TranslatableMixin, index.Indexed, models.Model):
    """
    A field of cooperation between localities (agriculture, education, ...). News pages are
    tagged with one or more; frontends list and filter news by sector.

    Translatable: the English "Agriculture" is a translation of "Nông nghiệp" (same
    `translation_key`) and keeps its slug, `nong-nghiep`, so filters read the same in every
    language. News pages of every language link the Vietnamese sectors; a page is shown with the
    names of its own language.
    """

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=255,
        help_text=_(
            "Used in addresses and filters, e.g. “nong-nghiep”. ASCII only; a translation keeps "
            "the slug of the original."
        ),
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
    # Left out of stored answers (answers.stored), with why: what depends on more than the
    # sector as published.
    graphql_not_stored = {"news_count": "counts other pages, each visible on its own schedule"}

    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("slug"),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="sector_slug_per_locale"),
            models.UniqueConstraint(fields=["name", "locale"], name="sector_name_per_locale"),
        ]
        verbose_name = _("cooperation sector")
        verbose_name_plural = _("cooperation sectors")

    def __str__(self):
        return self.name

    def news_count(self):
        """
        Live, public news pages in this sector, on the site of the request being answered (every
        site outside one), in the language it is shown in. Lists annotate it in bulk
        (`with_news_count`); one request counts the sectors of all its news pages in a single
        query per language (`news_counts`).
        """
        locale = getattr(self, "news_locale", None) or locale_by_id(self.locale_id)
        record(f"news-{locale.language_code}")  # a count any news of the language changes (cache tags)
        if hasattr(self, "annotated_news_count"):
            return self.annotated_news_count
        return CooperationSector.objects.news_counts(locale).get(self.translation_key, 0)


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


class NewsIndexPage(SharedCacheServing, TransliteratedSlugMixin, PreviewableMixin, Page):
    """The news section ("Tin tức", slug `tin-tuc`): the only place news pages live."""

    base_form_class = PageForm

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
    def visible_in(self, site=None, locale=None):
        """News readers may see (publishing.visibility), of `site` and in `locale` when given."""
        news = visible(self)
        if site is None:
            return news if locale is None else news.filter(locale=locale)
        # Below the site's root in that language, every page is in that language: no filter on
        # the language column, whose index SQLite would otherwise prefer to the (date, id) walk.
        root = site_root(site, locale)
        return news.descendant_of(root) if root is not None else news.none()


class NewsPage(SharedCacheServing, TransliteratedSlugMixin, PreviewableMixin, Page):
    """A news article about cooperation between localities."""

    base_form_class = PageForm
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
        limit_choices_to=default_locale_sectors,
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
        # The cooperation activities the article reports on (cooperation.models.NewsPageActivity).
        InlinePanel(
            "cooperation_activity_links",
            heading=_("Cooperation activities in this article"),
            label=_("Activity"),
        ),
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
            "sectors",
            graphene.List(graphene.NonNull(sector_type)),
            required=True,
            source="sectors_in_its_language",
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

    # Left out of stored answers (answers.stored), with why: what depends on more than the page
    # as published (so do its interfaces'). Every other field without arguments is stored.
    graphql_not_stored = {"search_excerpt": "the words of the search that found the page"}

    # What a list fetches up front for each of these fields a query selects
    # (api.fetch_plans); the body, when selected, with everything it refers to.
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
        stem = stemmer(locale_by_id(self.locale_id).language_code)  # English: "farming" marks "farm"
        return highlight(" ".join([self.intro, *body]), terms, stem=stem)

    def _related(self, name):
        # Lists prefetch these; reading the prefetched list skips building a queryset per page.
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        return prefetched[name] if name in prefetched else list(getattr(self, name).all())

    def related_sectors(self):
        """The sectors the page links (in the default language)."""
        return self._related("sectors")

    def sectors_in_its_language(self):
        """The page's sectors with their names in the page's language."""
        return CooperationSector.objects.translated(self.related_sectors(), locale_by_id(self.locale_id))

    def related_tags(self):
        return self._related("tags")

    def cache_tags_when_served(self):
        """What the page's HTML shows (news/templates/news/news_page.html): its hero image, sectors,
        tags and what its body refers to."""
        references = body_references(self)
        return [
            f"page-{self.pk}",
            *([f"image-{self.hero_image_id}"] if self.hero_image_id else []),
            *(f"sector-{sector.pk}" for sector in self.related_sectors()),
            *(f"tag-{tag.pk}" for tag in self.related_tags()),
            *(f"{kind}-{pk}" for kind, ids in references.items() for pk in ids),
        ]

    class Meta:
        verbose_name = _("news page")
        verbose_name_plural = _("news pages")
        indexes = [
            models.Index(fields=["date", "page_ptr"], name="news_date_id"),
            models.Index(fields=["section", "date", "page_ptr"], name="news_section_date_id"),
        ]


register_snippet(CooperationSector, viewset="news.views.CooperationSectorViewSet")
