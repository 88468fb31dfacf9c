"""The `search` root field: live, public news pages matching a reader's query, best first."""

import graphene
from graphql import GraphQLError

from api import app_settings as api_settings
from api.fetch_plans import fetch_plan
from api.languages import asked_locale, locale_argument
from news.graphql import NewsPageListType, news_count_key, news_list, paginate
from news.models import NewsPage
from publishing.cache_tags import record

from .queries import SearchQueryError, search_news


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
        locale=locale_argument(),
        description=(
            "Live, public news pages in `locale` containing every word of `query` in their title, "
            "lead, body, byline or sectors: pages with every word in the title first, then the "
            "others, each newest first."
        ),
    )

    def resolve_search(self, info, query, page=1, per_page=None, sector=None, locale=None):
        locale = asked_locale(locale)
        # Any news of the language may match, by its sectors' names too (publishing.cache_tags).
        record(f"search-{locale.language_code}", "sectors")
        plan = fetch_plan(NewsPage, info, "items")
        try:
            news = news_list(info, plan, locale)
            results = search_news(news, query, sector, news_count_key(info, locale), locale.language_code)
        except SearchQueryError as error:
            raise GraphQLError(str(error)) from error
        return paginate(results, page, api_settings.GRAPHQL_PAGE_SIZE if per_page is None else per_page, plan)
