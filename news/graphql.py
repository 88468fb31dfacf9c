"""
The news part of the GraphQL contract: `newsPages`, `newsPage`, `sectors`, `sector`.
Types for the models themselves come from grapple (see `graphql_fields` on each model).
"""

import graphene
from django.conf import settings
from graphene_django import DjangoObjectType
from graphql import GraphQLError
from grapple.registry import registry

from cms.graphql.invalidation import remembered
from cms.graphql.pages import draft_from_token
from cms.graphql.selections import fetch_plan
from publishing.visibility import site_for

from .models import CooperationSector, NewsPage, NewsTag

# Date orders break ties by id, both columns of news.NewsPage's (date, id) index, so the newest
# page of 100,000 is found by walking the index, not by sorting them all.
NEWS_ORDERS = {
    "date": ("date", "pk"),
    "-date": ("-date", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
DEFAULT_NEWS_ORDER = "-date"


class TagType(DjangoObjectType):
    """A free-form tag on a news page; filter lists with `newsPages(tag: slug)`."""

    class Meta:
        name = "Tag"
        model = NewsTag
        fields = ("id", "name", "slug")

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)


class PaginationType(graphene.ObjectType):
    class Meta:
        name = "Pagination"

    total = graphene.Int(required=True, description="Items across all pages.")
    count = graphene.Int(required=True, description="Items on this page.")
    per_page = graphene.Int(required=True)
    current_page = graphene.Int(required=True)
    total_pages = graphene.Int(required=True)
    next_page = graphene.Int()
    prev_page = graphene.Int()
    total_is_estimate = graphene.Boolean(
        required=True,
        description=(
            "True when `total` is an estimate: a search matching more than 10,000 pages is not "
            "counted exactly. Always false for `newsPages`."
        ),
    )


class NewsPageListType(graphene.ObjectType):
    class Meta:
        name = "NewsPageList"

    items = graphene.List(graphene.NonNull(lambda: registry.pages[NewsPage]), required=True)
    pagination = graphene.Field(PaginationType, required=True)


def paginate(queryset, page, per_page, plan, count_key=None):
    """A page of `queryset` with its pagination; items fetched as `plan` says (none if unselected)."""
    if page < 1:
        raise GraphQLError("`page` must be 1 or more.")
    if not 1 <= per_page <= settings.NEWS_MAX_PAGE_SIZE:
        raise GraphQLError(f"`perPage` must be between 1 and {settings.NEWS_MAX_PAGE_SIZE}.")
    # Totals of the same list are remembered until the content changes: counting 100,000 rows
    # is the one part of a list whose cost grows with the archive.
    total = queryset.count() if count_key is None else remembered(count_key, queryset.count)
    estimated = getattr(queryset, "total_is_estimate", False)
    reachable = min(total, getattr(queryset, "depth", total))  # search gives results to a depth
    total_pages = max(1, -(-reachable // per_page))
    start = (page - 1) * per_page
    count = max(0, min(per_page, reachable - start))
    items = plan.complete(queryset[start : start + per_page]) if count and not plan.nothing else []
    if estimated and count and not plan.nothing and len(items) < count:  # the estimate was high
        count, total_pages = len(items), page
    return {
        "items": items,
        "pagination": PaginationType(
            total=total,
            count=count,
            per_page=per_page,
            current_page=page,
            total_pages=total_pages,
            next_page=page + 1 if page < total_pages else None,
            prev_page=min(page - 1, total_pages) if page > 1 else None,
            total_is_estimate=estimated,
        ),
    }


def news_count_key(info, sector=None, tag=None):
    """The key a count of the site's visible news (of a sector, of a tag) is remembered under."""
    return ["news-count", info.context.get_host(), sector, tag]


def news_list(info, plan):
    """Visible news of the requesting site, fetched as `plan` says."""
    return plan.queryset(NewsPage.objects.visible_in(site_for(info.context)))


class NewsQuery:
    news_pages = graphene.Field(
        NewsPageListType,
        required=True,
        page=graphene.Int(default_value=1, description="Page number, from 1."),
        per_page=graphene.Int(description="Items per page (default 10, at most 100)."),
        sector=graphene.String(description="Only news in this sector (its slug)."),
        tag=graphene.String(description="Only news with this tag (its slug)."),
        order=graphene.String(
            default_value=DEFAULT_NEWS_ORDER,
            description="One of `date`, `-date`, `title`, `-title` (a leading `-` means descending).",
        ),
        description="Live, public news pages, newest first, with pagination totals.",
    )
    news_page = graphene.Field(
        lambda: registry.pages[NewsPage],
        slug=graphene.String(description="The page's slug."),
        token=graphene.String(description="A preview token: returns the draft it was made for."),
        description="One live, public news page by its slug, or an editor's draft by preview token.",
    )
    sectors = graphene.List(
        graphene.NonNull(lambda: registry.snippets[CooperationSector]),
        required=True,
        description="Every cooperation sector, in editorial order.",
    )
    sector = graphene.Field(
        lambda: registry.snippets[CooperationSector],
        slug=graphene.String(required=True),
        description="One cooperation sector by its slug.",
    )

    def resolve_news_pages(
        self, info, page=1, per_page=None, sector=None, tag=None, order=DEFAULT_NEWS_ORDER
    ):
        if order not in NEWS_ORDERS:
            raise GraphQLError(f"`order` must be one of: {', '.join(NEWS_ORDERS)}.")
        plan = fetch_plan(NewsPage, info, "items")
        queryset = news_list(info, plan)
        if sector is not None:
            queryset = queryset.filter(sectors__slug=sector)
        if tag is not None:
            queryset = queryset.filter(tags__slug=tag)
        queryset = queryset.order_by(*NEWS_ORDERS[order])
        count_key = news_count_key(info, sector, tag)
        per_page = settings.NEWS_PAGE_SIZE if per_page is None else per_page
        return paginate(queryset, page, per_page, plan, count_key)

    def resolve_news_page(self, info, slug=None, token=None):
        if (slug is None) == (token is None):
            raise GraphQLError("Give exactly one of `slug` or `token`.")
        plan = fetch_plan(NewsPage, info)
        if token is not None:
            return plan.complete([draft_from_token(token, NewsPage)], relations=False)[0]
        [page] = plan.complete([news_list(info, plan).filter(slug=slug).first()]) or [None]
        return page

    def resolve_sectors(self, info):
        return CooperationSector.objects.with_news_count(site_for(info.context))

    def resolve_sector(self, info, slug):
        return CooperationSector.objects.with_news_count(site_for(info.context)).filter(slug=slug).first()
