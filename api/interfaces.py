"""
The page interface every page type implements (grapple's PAGE_INTERFACE setting).

It replaces grapple's own, which returns draft parents, includes the root page's slug in
`urlPath` (`/home/tin-tuc/...`) and lets clients sort by any database column. Here every
relation goes through `publishing.visibility.visible`, `urlPath` is relative to the page's site
(`/tin-tuc/...`), and lists are bounded.
"""

import graphene
from django.conf import settings
from grapple.registry import registry
from wagtail.models import Page

from publishing.cache_tags import record
from publishing.freshness import once_per_request
from publishing.locales import content_languages, locale_by_id
from publishing.visibility import media_is_visible, visible

from . import app_settings
from .fetch_plans import Batch, once_per_batch

# Open Graph's recommended size for a shared link's image (Facebook, Zalo, X).
SHARING_IMAGE_FILTER = "fill-1200x630"


def pages_by_path(paths):
    """
    The visible pages at `paths` (None where there is none), remembered for the request: the
    parents and ancestors of every item of a list are fetched once, not once per item.
    """
    memo = once_per_request("pages-by-path", dict)
    missing = [path for path in paths if path not in memo]
    if missing:
        found = {page.path: page for page in visible(Page.objects.filter(path__in=missing)).specific()}
        memo.update({path: found.get(path) for path in missing})
    return [memo[path] for path in paths]


def page_type(page):
    from grapple.types.pages import Page as GenericPageType

    return registry.pages.get(type(page), GenericPageType)


class SeoImageType(graphene.ObjectType):
    class Meta:
        name = "SeoImage"
        description = "The image shown with a shared link: 1,200 × 630 (or smaller, for a small original)."

    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)
    alt = graphene.String(required=True, description="The image's description, for `og:image:alt`.")


class SeoType(graphene.ObjectType):
    class Meta:
        name = "Seo"
        description = "What a frontend puts in <head>: title, description, canonical URL, sharing image."

    title = graphene.String(required=True, description="The SEO title, else the title.")
    description = graphene.String(required=True, description="The search description, else the intro.")
    canonical_url = graphene.String(
        required=True, description="The page's address on the public site (`FRONTEND_BASE_URL` + `urlPath`)."
    )
    image = graphene.Field(
        SeoImageType, description="The sharing image, else the hero image; null if none is public."
    )


def sharing_image(page):
    """The page's sharing image rendered for Open Graph, or None (no image, or not a public one)."""
    from grapple.utils import get_media_item_url

    image = getattr(page, "hero_image", None)
    if not media_is_visible(image):
        return None
    rendition = image.get_rendition(SHARING_IMAGE_FILTER)
    record(f"image-{image.pk}")  # publishing.cache_tags
    return SeoImageType(
        url=get_media_item_url(rendition),
        width=rendition.width,
        height=rendition.height,
        alt=image.description or image.title,
    )


class TranslationType(graphene.ObjectType):
    class Meta:
        name = "Translation"
        description = "The same page in another language."

    locale = graphene.String(required=True, description='Its language: "vi" or "en".')
    url_path = graphene.String(required=True, description="Its path within the site, e.g. `/en/news/...`.")
    title = graphene.String(required=True)


def visible_translations(batch, request):
    """For each page of `batch`, its visible translations in the order of the content languages."""
    keys = {page.translation_key for page in batch.pages}
    found = {}
    for other in visible(Page.objects.filter(translation_key__in=keys)):
        url_parts = other.get_url_parts(request=request)
        record(f"page-{other.pk}")  # shown by its title and path (publishing.cache_tags)
        if url_parts:  # a page outside every site has no address
            code = locale_by_id(other.locale_id).language_code
            found.setdefault(other.translation_key, []).append(
                TranslationType(locale=code, url_path=url_parts[2], title=other.title)
            )
    order = {code: position for position, code in enumerate(content_languages())}
    answers = []
    for page in batch.pages:
        own = locale_by_id(page.locale_id).language_code
        translations = [other for other in found.get(page.translation_key, []) if other.locale != own]
        answers.append(sorted(translations, key=lambda other: order.get(other.locale, len(order))))
    return answers


class PageInterface(graphene.Interface):
    # Left out of stored answers (answers.stored), with why: what depends on more than the page
    # as published. (`children` takes arguments: left out anyway.)
    graphql_not_stored = {
        "url": "Wagtail's URL for the request's site",
        "parent": "another page, visible on its own schedule",
        "ancestors": "other pages, each visible on its own schedule",
        "seo": "a canonical URL for the request's site, a sharing image rendered on demand",
        "translations": "other pages, each visible on its own schedule",
    }

    # Nullable because grapple declares `id` as nullable on every model type it builds.
    id = graphene.ID()
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    page_type = graphene.String(required=True, description="The page's type, e.g. `NewsPage`.")
    url = graphene.String(description="The page's URL as Wagtail routes it.")
    url_path = graphene.String(
        required=True, description="Path of the page within its site, e.g. `/tin-tuc/bai-viet/`."
    )
    seo_title = graphene.String(required=True)
    search_description = graphene.String(required=True)
    first_published_at = graphene.DateTime()
    last_published_at = graphene.DateTime()
    parent = graphene.Field(lambda: PageInterface, description="The parent page, if readers may see it.")
    children = graphene.List(
        graphene.NonNull(lambda: PageInterface),
        required=True,
        limit=graphene.Int(default_value=10, description="At most this many (at most 100)."),
        description="Visible child pages in the editors' order.",
    )
    ancestors = graphene.List(
        graphene.NonNull(lambda: PageInterface),
        required=True,
        description="Visible pages above this one, from the site root down (for breadcrumbs).",
    )
    seo = graphene.Field(
        SeoType, required=True, description="Sharing and search metadata, with fallbacks filled in."
    )
    locale = graphene.String(required=True, description='The page\'s language: "vi" or "en".')
    translations = graphene.List(
        graphene.NonNull(TranslationType),
        required=True,
        description="The same page in the other languages, where readers may see it (a language switcher).",
    )

    @classmethod
    def resolve_type(cls, instance, info):
        return page_type(instance)

    def resolve_page_type(self, info):
        return page_type(self)._meta.name

    def resolve_url(self, info):
        return self.get_url(request=info.context)

    def resolve_url_path(self, info):
        url_parts = self.get_url_parts(request=info.context)
        return url_parts[2] if url_parts else self.url_path

    def resolve_locale(self, info):
        return locale_by_id(self.locale_id).language_code

    def resolve_translations(self, info):
        if self.pk is None:  # a preview of a page never saved
            return []
        return once_per_batch(self, "translations", lambda batch: visible_translations(batch, info.context))

    def resolve_seo_title(self, info):
        return self.seo_title or self.title

    def resolve_seo(self, info):
        url_parts = self.get_url_parts(request=info.context)
        url_path = url_parts[2] if url_parts else self.url_path
        return SeoType(
            title=self.seo_title or self.title,
            description=self.search_description or getattr(self, "intro", "") or "",
            canonical_url=settings.FRONTEND_BASE_URL.rstrip("/") + url_path,
            image=sharing_image(self),
        )

    def resolve_parent(self, info):
        if self.depth <= 2:
            return None
        return pages_by_path([self.path[: -Page.steplen]])[0]

    def resolve_children(self, info, limit=10):
        limit = max(0, min(limit, app_settings.GRAPHQL_MAX_PAGE_SIZE))
        if not self.numchild or not limit:
            return []
        # Remembered for the request: every item of a list shares its ancestors, and so the
        # children of each ancestor (100 items asking for them cost 2 queries, not 200).
        record(f"children-{self.pk}")  # a page added below it (publishing.cache_tags)
        memo = once_per_request("children", dict)
        key = (self.path, limit)
        if key not in memo:
            memo[key] = Batch(visible(self.get_children()).specific()[:limit]).pages
        return memo[key]

    def resolve_ancestors(self, info):
        paths = [self.path[:end] for end in range(2 * Page.steplen, len(self.path), Page.steplen)]
        return [page for page in pages_by_path(paths) if page is not None]
