"""The `search` root field: live, public news pages matching a reader's query, best first."""

import graphene
from django.conf import settings
from graphql import GraphQLError

from home.selections import selected_fields
from news.graphql import NewsPageListType, paginate
from news.models import NewsPage
from news.queries import news_list_queryset

from .text import search_terms


def search_news(request, query, sector=None, fields=None):
    """Visible news of the request's site matching every word of `query`, most relevant first."""
    if not query.strip():
        raise GraphQLError("Type something to search for.")
    if len(query) > settings.SEARCH_MAX_QUERY_LENGTH:
        raise GraphQLError(f"Search queries are limited to {settings.SEARCH_MAX_QUERY_LENGTH} characters.")
    terms = list(dict.fromkeys(search_terms(query)))  # each word once, in order
    if len(terms) > settings.SEARCH_MAX_TERMS:
        raise GraphQLError(f"Search queries are limited to {settings.SEARCH_MAX_TERMS} different words.")
    news = news_list_queryset(request, fields)
    if not terms:
        return news.none()
    if sector is not None:
        news = news.filter(id__in=NewsPage.objects.filter(sectors__slug=sector).values("pk"))
    return news.search(" ".join(terms), operator="and", order_by_relevance=True)


class SearchQuery:
    search = graphene.Field(
        NewsPageListType,
        required=True,
        query=graphene.String(
            required=True, description="Words to look for, with or without Vietnamese diacritics."
        ),
        page=graphene.Int(default_value=1, description="Page number, from 1."),
        per_page=graphene.Int(description="Items per page (default 10, at most 100)."),
        sector=graphene.String(description="Only news in this sector (its slug)."),
        description=(
            "Live, public news pages containing every word of `query` in their title, lead, body, "
            "byline or sectors, most relevant first (title matches before body matches)."
        ),
    )

    def resolve_search(self, info, query, page=1, per_page=None, sector=None):
        fields = selected_fields(info, "items")
        results = search_news(info.context, query, sector, fields)
        return paginate(results, page, settings.NEWS_PAGE_SIZE if per_page is None else per_page, fields)
