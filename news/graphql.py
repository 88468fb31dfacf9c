"""
The news part of the GraphQL contract: `newsPages`, `newsPage`, `sectors`, `sector`, and the
site's `sitemap`. Types for the models themselves come from grapple (see `graphql_fields` on each
model).
"""

import graphene
from graphene_django import DjangoObjectType
from graphql import GraphQLError
from grapple.registry import registry
from wagtail.models import Page

from answers.stored import Shape, stored_answers_cover, stored_items
from api import app_settings as api_settings
from api.fetch_plans import FetchPlan, fetch_plan, once_per_batch, selected_fields
from api.languages import asked_locale, locale_argument, path_in_site
from api.pages import draft_from_token
from publishing.cache_tags import record
from publishing.freshness import cached_until_content_changes
from publishing.prefetch import ensure
from publishing.visibility import site_for, site_root, visible

from .models import CooperationSector, NewsPage, NewsTag
from .related import adjacent_ids, news_list_tags, related_ids

# Date orders break ties by id, both columns of news.NewsPage's (date, id) index, so the newest
# page of 100,000 is found by walking the index, not by sorting them all.
NEWS_ORDERS = {
    "date": ("date", "pk"),
    "-date": ("-date", "-pk"),
    "title": ("title", "pk"),
    "-title": ("-title", "-pk"),
}
DEFAULT_NEWS_ORDER = "-date"


# What is stored of a news page (answers.stored): the objects of these types, each with every
# field that takes no arguments and that no `graphql_not_stored` beside its declaration leaves out
# (what the request, other pages or a search decide: `url`, `seo`, `parent`, `translations`,
# `newsCount`, `searchExcerpt`, ...). A page with a block of another type (a document, an embed)
# is answered from the database every time.
NEWS_PAGE_SHAPE = Shape(
    "NewsPage",
    types=[
        "NewsPage", "CooperationSector", "Tag", "ImageObjectType", "KeyFigure",
        "CharBlock", "TextBlock", "RichTextBlock", "ImageChooserBlock", "ImageBlock", "QuoteBlock",
        "KeyFiguresBlock", "ListBlock", "StructBlock",
    ],
    # The child blocks of news/blocks.py's StructBlocks, by their GraphQL types.
    kinds={
        "ImageBlock.blocks": ["ImageChooserBlock", "CharBlock"],
        "QuoteBlock.blocks": ["TextBlock", "CharBlock"],
        "KeyFiguresBlock.blocks": ["CharBlock", "ListBlock"],
        "ListBlock.items": ["StructBlock"],  # key figures
        "StructBlock.blocks": ["CharBlock"],  # one key figure
    },
    # Renditions and `srcSet` (fields with arguments) are made from the images themselves, loaded
    # in one query with their renditions.
    live={"ImageObjectType": lambda ids: ensure("image", ids)},
)  # fmt: skip


class TagType(DjangoObjectType):
    """A free-form tag on a news page; filter lists with `newsPages(tag: slug)`."""

    class Meta:
        name = "Tag"
        model = NewsTag
        fields = ("id", "name", "slug")

    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    slug = graphene.String(required=True)


def fetch_news(ids, info):
    """The visible news pages of `ids` ({id: page}), fetched as the field's selection asks."""
    plan = FetchPlan(NewsPage, selected_fields(info))
    if not ids:
        return {}
    found = plan.queryset(NewsPage.objects.visible_in().filter(pk__in=ids))
    return {page.pk: page for page in plan.complete(list(found))}


def selection_key(info):
    return frozenset(selected_fields(info))


class NewsArticleInterface(graphene.Interface):
    """What a news page links to: related news, and the news before and after it in its section."""

    # Left out of stored answers (answers.stored), with why. (`related` takes arguments: left
    # out anyway.)
    graphql_not_stored = {
        "previous": "another page, visible on its own schedule",
        "next": "another page, visible on its own schedule",
    }

    related = graphene.List(
        graphene.NonNull(lambda: registry.pages[NewsPage]),
        required=True,
        limit=graphene.Int(default_value=4, description="How many (1 to 20)."),
        description=(
            "Visible news of the site sharing the most sectors with this one, then the most tags, "
            "then the newest; never this page, nor one sharing nothing with it. Chosen among the "
            "site's newest visible news (1,000 unless `RELATED_NEWS_CANDIDATES` says otherwise)."
        ),
    )
    previous = graphene.Field(
        lambda: registry.pages[NewsPage],
        description="The visible news just older than this one in its section (by date, then id).",
    )
    next = graphene.Field(
        lambda: registry.pages[NewsPage],
        description="The visible news just newer than this one in its section (by date, then id).",
    )

    def resolve_related(self, info, limit=4):
        maximum = api_settings.RELATED_NEWS_MAX_LIMIT
        if not 1 <= limit <= maximum:
            raise GraphQLError(f"`limit` must be between 1 and {maximum}.")

        def compute(batch):
            for page in batch.pages:  # the related news a page may join (publishing.cache_tags)
                record(*(f"sector-news-{sector.pk}" for sector in page.related_sectors()))
                record(*(f"tag-news-{tag.pk}" for tag in page.related_tags()))
            chosen = related_ids(batch.pages, site_for(info.context), limit)
            found = fetch_news({pk for ids in chosen for pk in ids}, info)
            return [[found[pk] for pk in ids if pk in found] for ids in chosen]

        return once_per_batch(self, ("related", limit, selection_key(info)), compute)

    def resolve_previous(self, info):
        return adjacent(self, info, 0)

    def resolve_next(self, info):
        return adjacent(self, info, 1)


def adjacent(page, info, side):
    """The previous (`side` 0) or next (1) news of `page`, for every page of its batch at once."""

    def compute(batch):
        both = batch.answer("adjacent-ids", lambda batch: adjacent_ids(batch.pages, drafts=batch.drafts))
        ids = [sides[side] for sides in both]
        found = fetch_news({pk for pk in ids if pk is not None}, info)
        return [found.get(pk) for pk in ids]

    return once_per_batch(page, (("previous", "next")[side], selection_key(info)), compute)


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


class SitemapEntryType(graphene.ObjectType):
    class Meta:
        name = "SitemapEntry"

    url_path = graphene.String(required=True, description="Path within the site, e.g. `/tin-tuc/bai-viet/`.")
    last_published_at = graphene.DateTime(description="When the page was last published.")


class SitemapType(graphene.ObjectType):
    class Meta:
        name = "Sitemap"

    items = graphene.List(graphene.NonNull(SitemapEntryType), required=True)
    pagination = graphene.Field(PaginationType, required=True)


def check_page_arguments(page, per_page, maximum):
    if page < 1:
        raise GraphQLError("`page` must be 1 or more.")
    if not 1 <= per_page <= maximum:
        raise GraphQLError(f"`perPage` must be between 1 and {maximum}.")


def page_count(items, per_page):
    return max(1, -(-items // per_page))


def pagination(total, page, per_page, count, total_pages, estimated=False):
    return PaginationType(
        total=total,
        count=count,
        per_page=per_page,
        current_page=page,
        total_pages=total_pages,
        next_page=page + 1 if page < total_pages else None,
        prev_page=min(page - 1, total_pages) if page > 1 else None,
        total_is_estimate=estimated,
    )


def sitemap(request, page, per_page, locale):
    """
    Every public page of the requesting site in `locale`, in tree order (the `path` index: page
    100 costs an index walk, not a sort), as (path within the site, last published). Two queries
    at most: the total is remembered until the content changes.
    """
    check_page_arguments(page, per_page, api_settings.SITEMAP_MAX_PAGE_SIZE)
    record("pages")  # every public page's path (publishing.cache_tags)
    root = site_root(site_for(request), locale)
    if root is None:
        return {"items": [], "pagination": pagination(0, page, per_page, 0, 1)}
    pages = visible(Page.objects.filter(path__startswith=root.path)).order_by("path")
    total = cached_until_content_changes(
        ["sitemap-count", request.get_host(), locale.language_code], pages.count
    )
    start = (page - 1) * per_page
    rows = (
        pages.values_list("url_path", "last_published_at")[start : start + per_page] if start < total else []
    )
    items = [
        SitemapEntryType(
            url_path=path_in_site(path, root.url_path, locale.language_code), last_published_at=published
        )
        for path, published in rows
    ]
    pages_in_all = page_count(total, per_page)
    return {"items": items, "pagination": pagination(total, page, per_page, len(items), pages_in_all)}


def stored_news(queryset, info, plan, live):
    """
    The news pages of `queryset` (filtered, ordered, sliced) as stored answers where they have
    them (answers.stored); the others fetched as `plan` says, or with every stored field when
    their answers are to be stored.
    """

    def fetch(ids, plan=plan):
        pages = plan.queryset(NewsPage.objects.filter(pk__in=ids))
        return {page.pk: page for page in plan.complete(list(pages))}

    every_field = FetchPlan(NewsPage, NEWS_PAGE_SHAPE.fields(info.schema)["NewsPage"])
    return stored_items(NEWS_PAGE_SHAPE, queryset, info, fetch, lambda ids: fetch(ids, every_field), live)


def paginate(queryset, page, per_page, plan, count_key=None, items=None):
    """
    A page of `queryset` with its pagination; items fetched as `plan` says (none if unselected),
    or by `items(the page's slice)` when given.
    """
    check_page_arguments(page, per_page, api_settings.GRAPHQL_MAX_PAGE_SIZE)
    # Totals of the same list are remembered until the content changes: counting 100,000 rows
    # is the one part of a list whose cost grows with the archive.
    total = queryset.count() if count_key is None else cached_until_content_changes(count_key, queryset.count)
    estimated = getattr(queryset, "total_is_estimate", False)
    reachable = min(total, getattr(queryset, "depth", total))  # search gives results to a depth
    total_pages = page_count(reachable, per_page)
    start = (page - 1) * per_page
    count = max(0, min(per_page, reachable - start))
    window = queryset[start : start + per_page]
    if not count or plan.nothing:
        items = []
    else:
        items = items(window) if items is not None else plan.complete(window)
    if estimated and count and not plan.nothing and len(items) < count:  # the estimate was high
        count, total_pages = len(items), page
    return {"items": items, "pagination": pagination(total, page, per_page, count, total_pages, estimated)}


def news_count_key(info, locale, sector=None, tag=None):
    """The key a count of the site's visible news (in `locale`, of a sector, of a tag) is remembered under."""
    return ["news-count", info.context.get_host(), locale.language_code, sector, tag]


def news_in(info, locale):
    """Visible news of the requesting site in `locale`."""
    return NewsPage.objects.visible_in(site_for(info.context), locale)


def news_list(info, plan, locale):
    """Visible news of the requesting site in `locale`, fetched as `plan` says."""
    return plan.queryset(news_in(info, locale))


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
        locale=locale_argument(),
        description="Live, public news pages, newest first, with pagination totals.",
    )
    news_page = graphene.Field(
        lambda: registry.pages[NewsPage],
        slug=graphene.String(description="The page's slug."),
        token=graphene.String(description="A preview token: returns the draft it was made for."),
        locale=locale_argument(),
        description=(
            "One live, public news page by its slug (in `locale`), or an editor's draft by preview "
            "token (in its own language)."
        ),
    )
    sectors = graphene.List(
        graphene.NonNull(lambda: registry.snippets[CooperationSector]),
        required=True,
        locale=locale_argument(),
        description=(
            "Every cooperation sector, in editorial order, named in `locale` (a sector not yet "
            "translated keeps its Vietnamese name); `newsCount` counts news in `locale`."
        ),
    )
    sector = graphene.Field(
        lambda: registry.snippets[CooperationSector],
        slug=graphene.String(required=True),
        locale=locale_argument(),
        description="One cooperation sector by its slug (the same in every language), named in `locale`.",
    )
    sitemap = graphene.Field(
        SitemapType,
        required=True,
        page=graphene.Int(default_value=1, description="Page number, from 1."),
        per_page=graphene.Int(description="Entries per page (default 1,000, at most 5,000)."),
        locale=locale_argument(),
        description=(
            "Every public page of the site in `locale` (home, sections, news), in tree order: for "
            "sitemap.xml."
        ),
    )

    def resolve_sitemap(self, info, page=1, per_page=None, locale=None):
        per_page = api_settings.SITEMAP_PAGE_SIZE if per_page is None else per_page
        return sitemap(info.context, page, per_page, asked_locale(locale))

    def resolve_news_pages(
        self, info, page=1, per_page=None, sector=None, tag=None, order=DEFAULT_NEWS_ORDER, locale=None
    ):
        if order not in NEWS_ORDERS:
            raise GraphQLError(f"`order` must be one of: {', '.join(NEWS_ORDERS)}.")
        locale = asked_locale(locale)
        record(*news_list_tags(locale.language_code, sector, tag))  # publishing.cache_tags
        plan = fetch_plan(NewsPage, info, "items")
        live = stored_answers_cover(NEWS_PAGE_SHAPE, info, "items")  # None: not answered from stored answers
        queryset = news_list(info, plan, locale) if live is None else news_in(info, locale)
        if sector is not None:
            queryset = queryset.filter(sectors__slug=sector)
        if tag is not None:
            queryset = queryset.filter(tags__slug=tag)
        queryset = queryset.order_by(*NEWS_ORDERS[order])
        count_key = news_count_key(info, locale, sector, tag)
        per_page = api_settings.GRAPHQL_PAGE_SIZE if per_page is None else per_page
        items = None if live is None else (lambda window: stored_news(window, info, plan, live))
        return paginate(queryset, page, per_page, plan, count_key, items)

    def resolve_news_page(self, info, slug=None, token=None, locale=None):
        if (slug is None) == (token is None):
            raise GraphQLError("Give exactly one of `slug` or `token`.")
        locale = asked_locale(locale)
        plan = fetch_plan(NewsPage, info)
        if token is not None:
            return plan.complete([draft_from_token(token, NewsPage)], relations=False)[0]
        live = stored_answers_cover(NEWS_PAGE_SHAPE, info)
        if live is not None:
            found = stored_news(news_in(info, locale).filter(slug=slug)[:1], info, plan, live)
            page = found[0] if found else None
        else:
            [page] = plan.complete([news_list(info, plan, locale).filter(slug=slug).first()]) or [None]
        if page is None:
            record("pages")  # none yet: any page published may be the one
        return page

    def resolve_sectors(self, info, locale=None):
        return sectors_in(info, asked_locale(locale))

    def resolve_sector(self, info, slug, locale=None):
        return next(iter(sectors_in(info, asked_locale(locale), slug=slug)), None)


def sectors_in(info, locale, **filters):
    """The sectors (with `filters`) named in `locale`, with their counts of news in `locale`."""
    # Any sector added or removed, and any news in the language (their counts): publishing.cache_tags.
    record("sectors", f"news-{locale.language_code}")
    canonical = CooperationSector.objects.canonical().filter(**filters)
    counted = canonical.with_news_count(site_for(info.context), locale)
    return CooperationSector.objects.translated(counted, locale)
