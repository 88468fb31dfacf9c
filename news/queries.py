"""The querysets every public surface of the news app shares (GraphQL, admin listings)."""

from django.db.models import Count, Q

from home.visibility import site_for, visible

from .models import CooperationSector, NewsPage


def visible_news(request=None):
    """Visible news of the request's site (of every site when there is no request)."""
    news = visible(NewsPage.objects.all())
    site = site_for(request) if request is not None else None
    return news.descendant_of(site.root_page) if site is not None else news


def news_list_queryset(request):
    """Visible news with the relations a list shows fetched up front, not once per item."""
    return visible_news(request).select_related("hero_image").prefetch_related("sectors", "tags")


def sectors_with_news_count(request=None):
    """Sectors in editorial order, each with `news_count` computed in the same query."""
    return CooperationSector.objects.annotate(
        annotated_news_count=Count(
            "news_pages", filter=Q(news_pages__in=visible_news(request).values("pk")), distinct=True
        )
    ).order_by(*CooperationSector._meta.ordering)  # aggregation drops Meta.ordering
