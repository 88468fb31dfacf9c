"""
The page interface every page type implements (grapple's PAGE_INTERFACE setting).

It replaces grapple's own, which returns draft parents, includes the root page's slug in
`urlPath` (`/home/tin-tuc/...`) and lets clients sort by any database column. Here every
relation goes through `home.visibility.visible`, `urlPath` is relative to the page's site
(`/tin-tuc/...`), and lists are bounded.
"""

import graphene
from django.conf import settings
from grapple.registry import registry
from wagtail.models import Page

from home.visibility import visible


def page_type(page):
    from grapple.types.pages import Page as GenericPageType

    return registry.pages.get(type(page), GenericPageType)


class PageInterface(graphene.Interface):
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

    def resolve_seo_title(self, info):
        return self.seo_title or self.title

    def resolve_parent(self, info):
        if self.depth <= 2:
            return None
        return visible(Page.objects.filter(path=self.path[: -Page.steplen])).specific().first()

    def resolve_children(self, info, limit=10):
        limit = max(0, min(limit, settings.NEWS_MAX_PAGE_SIZE))
        return list(visible(self.get_children()).specific()[:limit])

    def resolve_ancestors(self, info):
        return list(visible(self.get_ancestors().filter(depth__gt=1)).specific())
