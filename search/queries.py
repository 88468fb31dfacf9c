"""
Searching the news: a reader's words, folded as the index folds them (publishing.text), matched
against the full-text index of the database backend, visible news only, best first.
"""

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models.expressions import RawSQL
from modelsearch.conf import get_app_config
from wagtail.search.backends import get_search_backend

from news.models import NewsPage
from publishing.text import fold


class SearchQueryError(ValueError):
    """A query readers cannot search with; its message is written for them."""


def search_terms(query):
    """
    The words of a reader's query, folded: "Bắc Kạn!" → ["bac", "kan"].

    Only letters and digits survive, so quotes, brackets, `*`, `-`, `NEAR(...)` and the other
    operators of SQLite FTS5, PostgreSQL tsquery or Elasticsearch can never reach a backend;
    "AND"/"OR" become plain lower-case words.
    """
    return re.findall(r"[a-z0-9]+", fold(query))


def search_news(news, query, sector=None):
    """The pages of `news` (visible news) matching every word of `query`, most relevant first."""
    if not query.strip():
        raise SearchQueryError("Type something to search for.")
    if len(query) > settings.SEARCH_MAX_QUERY_LENGTH:
        raise SearchQueryError(
            f"Search queries are limited to {settings.SEARCH_MAX_QUERY_LENGTH} characters."
        )
    terms = list(dict.fromkeys(search_terms(query)))  # each word once, in order
    if len(terms) > settings.SEARCH_MAX_TERMS:
        raise SearchQueryError(f"Search queries are limited to {settings.SEARCH_MAX_TERMS} different words.")
    if not terms:
        return news.none()
    if sector is not None:
        news = news.filter(id__in=NewsPage.objects.filter(sectors__slug=sector).values("pk"))
    backend = type(get_search_backend()).__name__
    if backend == "SQLiteSearchBackend":
        return ranked_by_sqlite_fts(news, terms)
    if backend == "PostgresSearchBackend":
        return ranked_by_postgres(news, terms)
    return news.search(" ".join(terms), operator="and", order_by_relevance=True)


class RankedSearch:
    """
    What `paginate` needs of a result set: a count and slices of pages, in rank order. The ranked
    ids come from the full-text index in one query, the visible ones among them in another.
    """

    def __init__(self, news, ranked_sql, params):
        self.news, self.ranked_sql, self.params = news, ranked_sql, params
        self._ids = None

    def ids(self):
        if self._ids is None:
            with connection.cursor() as cursor:
                cursor.execute(self.ranked_sql, self.params)
                ranked = [row[0] for row in cursor.fetchall()]
            matching = RawSQL(f"SELECT object_id FROM ({self.ranked_sql}) ranked", self.params)  # noqa: S608, S611
            visible_ids = set(self.news.filter(pk__in=matching).values_list("pk", flat=True))
            self._ids = [pk for pk in ranked if pk in visible_ids]
        return self._ids

    def count(self):
        return len(self.ids())

    def __getitem__(self, page):
        wanted = self.ids()[page]
        found = {news.pk: news for news in self.news.filter(pk__in=wanted)}
        return [found[pk] for pk in wanted if pk in found]


def ranked_by_sqlite_fts(news, terms):
    """
    Wagtail's SQLite backend ranks results with a correlated subquery that repeats the full-text
    match for every matching row (0.6 s for 1,000 matches), and SQLite's planner joins the index
    the slow way round. Here the FTS5 index drives the query (CROSS JOIN keeps that order) and
    ranks with bm25, the title weighing ten times the body.
    """
    models = get_app_config()
    entries = models.get_model("IndexEntry")._meta.db_table
    fts = models.get_model("SQLiteFTSIndexEntry")._meta.db_table
    match = "{title body} : (" + " AND ".join(f'"{term}"' for term in terms) + ")"
    # Table names come from the models; the match expression is a parameter.
    ranked_sql = (
        f'SELECT CAST(e.object_id AS INTEGER) AS object_id FROM "{fts}" f CROSS JOIN "{entries}" e '  # noqa: S608
        f'ON e.id = f.rowid WHERE "{fts}" MATCH %s AND e.content_type_id = %s '
        f'ORDER BY bm25("{fts}", 0.0, 1.0, 10.0), e.object_id DESC'
    )
    return RankedSearch(news, ranked_sql, [match, ContentType.objects.get_for_model(NewsPage).pk])


def ranked_by_postgres(news, terms):
    """
    Wagtail's PostgreSQL backend ranks every match with ts_rank over its title *and* body vectors,
    reading (and decompressing) each body vector: half a second for 10,000 matches. Here the
    match uses the GIN index on `title || body` (search/migrations/0001), and the order is the
    title's rank, then the newest first: a title match still comes before a body-only one, and
    among body-only matches a newsroom shows the latest.
    """
    entries = get_app_config().get_model("IndexEntry")._meta.db_table
    news_table = NewsPage._meta.db_table
    # Table names come from the models; the words are parameters.
    ranked_sql = (
        f'SELECT CAST(e.object_id AS INTEGER) AS object_id FROM "{entries}" e '  # noqa: S608
        f'JOIN "{news_table}" n ON n.page_ptr_id = CAST(e.object_id AS INTEGER) '
        "WHERE e.content_type_id = %s AND (e.title || e.body) @@ to_tsquery(%s) "
        "ORDER BY ts_rank(e.title, to_tsquery(%s)) DESC, n.date DESC, n.page_ptr_id DESC"
    )
    query = " & ".join(terms)
    return RankedSearch(news, ranked_sql, [ContentType.objects.get_for_model(NewsPage).pk, query, query])
