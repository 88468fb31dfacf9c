"""The querysets every public surface of the news app shares (GraphQL, admin listings)."""

from django.db.models import Count, Prefetch, Q
from django.db.models import prefetch_related_objects as prefetch_relations
from wagtail.images import get_image_model

from home.prefetch import prefetch_bodies
from home.visibility import memoised, site_for, visible

from .models import CooperationSector, NewsPage

ALL_FIELDS = None


def visible_news(request=None):
    """Visible news of the request's site (of every site when there is no request)."""
    news = visible(NewsPage.objects.all())
    site = site_for(request) if request is not None else None
    return news.descendant_of(site.root_page) if site is not None else news


def relations_for(fields):
    """The prefetches a list needs for the GraphQL fields it was asked for (all when unknown)."""
    wanted = (lambda name: True) if fields is ALL_FIELDS else fields.__contains__
    relations = []
    if wanted("heroImage"):
        relations.append(Prefetch("hero_image", queryset=get_image_model().objects.prefetch_renditions()))
    if wanted("sectors"):
        relations.append("sectors")
    if wanted("tags"):
        relations.append("tags")
    return relations


def news_list_queryset(request, fields=ALL_FIELDS):
    """Visible news with the relations a list shows fetched up front, not once per item."""
    news = visible_news(request)
    if fields is not ALL_FIELDS and "body" not in fields:
        news = news.defer_streamfields()
    return news.prefetch_related(*relations_for(fields))


def complete(pages, fields=ALL_FIELDS):
    """Fetch, for a page or list already loaded, what its bodies refer to (one query per kind)."""
    pages = [page for page in pages if page is not None]
    if fields is ALL_FIELDS or "body" in fields:
        prefetch_bodies(pages)
    return pages


def complete_page(page, fields=ALL_FIELDS, preview=False):
    """
    A single page: its relations and body references, as a list item would have them. A preview
    keeps the relations it was built with (the draft's sectors and tags, not the live ones).
    """
    if isinstance(page, NewsPage) and page.pk is not None and not preview:
        relations = [relation for relation in relations_for(fields) if relation in ("sectors", "tags")]
        prefetch_relations([page], *relations)
    complete([page], fields)
    return page


def sectors_with_news_count(request=None):
    """Sectors in editorial order, each with `news_count` computed in the same query."""
    return CooperationSector.objects.annotate(
        annotated_news_count=Count(
            "news_pages", filter=Q(news_pages__in=visible_news(request).values("pk")), distinct=True
        )
    ).order_by(*CooperationSector._meta.ordering)  # aggregation drops Meta.ordering


def news_counts(request=None):
    """{sector id: live news count} for every sector, once per request."""
    return memoised(
        "sector-news-counts",
        lambda: dict(sectors_with_news_count(request).values_list("pk", "annotated_news_count")),
    )
