"""
Searching the news: a reader's words, folded as the index folds them (publishing.text), matched
against the news search index (search/index.py), visible news only. Title matches come first,
then the others, each newest first.

The cost is that of the page of results asked for, not of the number of matches: the index
gives matching page ids in result order, so the database stops after the page's window; which of
them readers may see is checked for that window only (publishing.visibility, the same rule as
every list). Totals are exact up to SEARCH_EXACT_TOTAL (10,000 visible matches); beyond that the
count would cost as much as the matches, and the total is the database's estimate, flagged as one
(`pagination.totalIsEstimate`). Which of the two a total is depends on the visible matches alone:
a word held only by hidden pages (restricted, expired, another site's) answers as a word nobody
holds. Results reach SEARCH_MAX_RESULTS deep (10,000), as search engines' do. Other search
backends (Elasticsearch, OpenSearch) rank with Wagtail's own `.search()`.
"""

from django.db import connection
from django.db.models import F, Lookup
from django.db.models.expressions import RawSQL
from wagtail.search.backends import get_search_backend

from news.models import CooperationSector, NewsPage
from publishing.freshness import cached_until_content_changes
from publishing.text import stemmer, words

from . import app_settings, index

PAGE_ID_MASK = (1 << index.PAGE_ID_BITS) - 1
VISIBLE_COUNT_ROUNDS = 8  # then every match is read at once


class SearchQueryError(ValueError):
    """A query readers cannot search with; its message is written for them."""


def search_terms(query):
    """
    The words of a reader's query, folded: "Bắc Kạn!" → ["bac", "kan"].

    Only letters and digits survive, so quotes, brackets, `*`, `-`, `NEAR(...)` and the other
    operators of SQLite FTS5, PostgreSQL tsquery or Elasticsearch can never reach a backend;
    "AND"/"OR" become plain lower-case words.
    """
    return words(query)


def search_news(news, query, sector=None, count_key=None, language="vi"):
    """
    The pages of `news` (visible news, in `language`) matching every word of `query`, in result
    order; in a stemmed language (English), by each word's stem, which the index holds beside the
    word ("cooperating" finds "cooperation"). `count_key`: the key the number of `news` is
    remembered under (publishing.freshness), if it is.
    """
    if not query.strip():
        raise SearchQueryError("Type something to search for.")
    if len(query) > (most := app_settings.SEARCH_MAX_QUERY_LENGTH):
        raise SearchQueryError(f"Search queries are limited to {most} characters.")
    terms = search_terms(query)
    stem = stemmer(language)
    if stem is not None:
        terms = [stem(term) for term in terms]
    terms = list(dict.fromkeys(terms))  # each word once, in order
    if len(terms) > (most := app_settings.SEARCH_MAX_TERMS):
        raise SearchQueryError(f"Search queries are limited to {most} different words.")
    if not terms:
        return news.none()
    if type(get_search_backend()).__name__ in ("SQLiteSearchBackend", "PostgresSearchBackend"):
        if sector is None:
            return NewsSearch(news, terms, None, count_key)
        sectors = CooperationSector.objects.canonical()
        sector_id = sectors.filter(slug=sector).values_list("pk", flat=True).first()
        return NewsSearch(news, terms, sector_id, count_key) if sector_id is not None else news.none()
    if sector is not None:
        news = news.filter(id__in=NewsPage.objects.filter(sectors__slug=sector).values("pk"))
    return WithTerms(news.search(" ".join(terms), operator="and", order_by_relevance=True), terms)


class AnyOf(Lookup):
    """`pk = ANY(%s)` on PostgreSQL: thousands of ids as one array parameter, where `pk__in` writes a
    placeholder for each (a third slower to send and plan for 10,000 ids)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def among(queryset, ids):
    """The rows of `queryset` whose primary key is one of `ids`."""
    if connection.vendor == "postgresql":
        return queryset.filter(AnyOf(F("pk"), ids))
    return queryset.filter(pk__in=ids)


class WithTerms:
    """A search backend's results, whose pages know the words that found them (`searchExcerpt`)."""

    def __init__(self, results, terms):
        self.results, self.terms = results, terms

    def count(self):
        return self.results.count()

    def __getitem__(self, window):
        pages = list(self.results[window])
        for page in pages:
            page.search_terms = self.terms
        return pages


class Matches:
    """The SQL of one match (all words in the title; anywhere; anywhere but not all in the title)."""

    def __init__(self, terms, sector_id, where):
        self.terms, self.sector_id, self.where = terms, sector_id, where

    def fts_match(self):
        words = " AND ".join(f'"{term}"' for term in self.terms)
        match = {
            "title": f"{{title}} : ({words})",
            "any": f"{{title body}} : ({words})",
            "not title": f"{{title body}} : ({words}) NOT {{title}} : ({words})",
        }[self.where]
        return match if self.sector_id is None else f'({match}) AND {{sectors}} : "s{self.sector_id}"'

    def sql(self):
        """(SELECT page_id, sort_key ... in result order, params)."""
        if connection.vendor == "sqlite":
            return (
                f"SELECT {index.FTS}.rowid & {PAGE_ID_MASK} AS page_id, {index.FTS}.rowid AS sort_key "  # noqa: S608
                f"FROM {index.FTS} "
                f"WHERE {index.FTS} MATCH %s ORDER BY {index.FTS}.rowid DESC",
                [self.fts_match()],
            )
        condition, params = self.condition()
        return f"SELECT page_id, sort_key FROM {index.ENTRY} WHERE {condition} ORDER BY sort_key DESC", params  # noqa: S608

    def condition(self):
        """PostgreSQL: (the WHERE condition on the index's rows, params)."""
        condition = {
            "title": "title @@ to_tsquery('simple', %s)",
            "any": "document @@ to_tsquery('simple', %s)",
            "not title": "document @@ to_tsquery('simple', %s) AND NOT title @@ to_tsquery('simple', %s)",
        }[self.where]
        params = [" & ".join(self.terms)] * condition.count("%s")
        if self.sector_id is not None:
            condition += " AND sectors @> ARRAY[%s]"
            params.append(self.sector_id)
        return condition, params

    def first_ids_sql(self, most):
        """(SELECT up to `most` matching page ids (None: all), params): in no order, through the
        index alone."""
        if connection.vendor == "sqlite":
            return (
                f"SELECT rowid & {PAGE_ID_MASK} FROM {index.FTS} WHERE {index.FTS} MATCH %s LIMIT %s",  # noqa: S608
                [self.fts_match(), -1 if most is None else most],
            )
        return (
            "SELECT * FROM search_news_matches(to_tsquery('simple', %s), %s, %s)",
            [" & ".join(self.terms), self.sector_id, most],
        )

    def first_ids(self, most):
        with connection.cursor() as cursor:
            cursor.execute(*self.first_ids_sql(most))
            return [row[0] for row in cursor.fetchall()]

    def estimate(self):
        """The number of matches as the database estimates it, without counting them."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":  # FTS5 counts from its lists: cheap enough
                count = f"SELECT count(*) FROM {index.FTS} WHERE {index.FTS} MATCH %s"  # noqa: S608
                cursor.execute(count, [self.fts_match()])
                return cursor.fetchone()[0]
            # A sample of about 2,000 rows (whole table blocks, PostgreSQL's TABLESAMPLE SYSTEM),
            # scaled up: the planner's own estimate multiplies the words' frequencies as if they
            # were independent, and falls far short for several words that go together.
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [index.ENTRY])
            rows = cursor.fetchone()[0]  # -1 until the table is first analysed: sample it all
            share = min(100.0, 2000 * 100.0 / rows) if rows > 0 else 100.0
            condition, params = self.condition()
            cursor.execute(
                f"SELECT count(*), count(*) FILTER (WHERE {condition}) "  # noqa: S608 (our SQL, parameters)
                f"FROM {index.ENTRY} TABLESAMPLE SYSTEM (%s)",
                [*params, share],
            )
            sampled, matching = cursor.fetchone()
            if share == 100.0:  # the whole table was read: what it holds now, not what it held
                return matching
            return round(matching * max(rows, sampled) / sampled) if sampled else 0


class NewsSearch:
    """
    What `paginate` needs of a result set — a count and slices of pages, in result order — read
    from the news search index one window at a time.
    """

    def __init__(self, news, terms, sector_id, count_key=None):
        self.news, self.terms, self.sector_id, self.count_key = news, terms, sector_id, count_key
        self.total_is_estimate = False
        self.depth = app_settings.SEARCH_MAX_RESULTS  # results past this are not given

    def matches(self, where):
        return Matches(self.terms, self.sector_id, where)

    def count(self):
        """
        The number of visible matches: exact up to SEARCH_EXACT_TOTAL, estimated (and flagged)
        beyond. Whether it is estimated is decided by the visible matches alone — never by hidden
        ones, which would tell readers that restricted or expired pages hold their words.
        """
        limit = app_settings.SEARCH_EXACT_TOTAL
        everything = self.matches("any")
        ids = everything.first_ids(limit + 1)
        if not ids or self.everything_indexed_is_visible():
            if len(ids) <= limit:
                return len(ids)
            self.total_is_estimate = True
            return max(everything.estimate(), limit + 1)
        visible, read_all = self.visible_matches(everything, ids, limit)
        if visible <= limit:
            return visible
        # More visible matches than are counted exactly: the index's estimate of its matches, times
        # the share of those read that readers may see; never fewer than the visible ones read.
        self.total_is_estimate = True
        if read_all:
            return visible
        return max(round(everything.estimate() * visible / len(ids)), visible)

    def visible_matches(self, everything, ids, limit):
        """
        (visible matches, whether every match was read), from the first `limit + 1` matches `ids`:
        while none is left unread and no more than `limit` of those read are visible, more are
        read. Usually one round: most matches are visible; when some of those read are hidden, the
        next read is larger by as many as the share of hidden ones says are needed (four times
        larger at most, every match after VISIBLE_COUNT_ROUNDS).
        """
        most = limit + 1
        for round_ in range(1, VISIBLE_COUNT_ROUNDS + 2):
            if connection.vendor == "sqlite":  # it reads the matches again faster than it is sent them
                matching = RawSQL(*everything.first_ids_sql(most))  # noqa: S611 (our SQL, parameters)
                visible = self.news.filter(pk__in=matching).count()
            else:
                visible = among(self.news, ids).count()
            read_all = most is None or len(ids) < most
            if visible > limit or read_all:
                break
            missing = limit + 1 - visible
            if round_ >= VISIBLE_COUNT_ROUNDS:
                most = None
            elif visible == 0:
                most *= 4
            else:
                most = min(most + missing * most // visible + missing, most * 4)
            ids = everything.first_ids(most)
        return visible, read_all

    def everything_indexed_is_visible(self):
        """
        Whether readers may see every page the index holds — one site, nothing expired or under a
        view restriction, the usual case — so that every match counts without checking each.
        Visible news are live news pages, all of which are indexed: the same number means the
        same pages. Both numbers are remembered until the content changes.
        """
        if self.count_key is None:
            return False
        return cached_until_content_changes(self.count_key, self.news.count) == cached_until_content_changes(
            ["news-search-indexed"], index.size
        )

    def ranked_ids(self, limit):
        """
        (the first `limit` title matches, the first `limit` others), each in result order — one
        query: each part walks the index in date order and stops at its limit.
        """
        parts, params = [], []
        for tier, where in enumerate(("title", "not title")):
            sql, part_params = self.matches(where).sql()
            inner = f"SELECT page_id, sort_key, {tier} AS tier FROM ({sql} LIMIT %s) part{tier}"  # noqa: S608
            parts.append(f"SELECT * FROM ({inner}) t{tier}")  # noqa: S608
            params += [*part_params, limit]
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = sorted(cursor.fetchall(), key=lambda row: (row[2], -row[1]))  # UNION ALL keeps no order
        return [pk for pk, _key, tier in rows if tier == 0], [pk for pk, _key, tier in rows if tier == 1]

    def ids(self, start, stop):
        """Page ids of results `start` to `stop`: title matches first, then the others."""
        stop = min(stop, app_settings.SEARCH_MAX_RESULTS)
        if start >= stop:
            return []
        limit = stop + stop // 10 + 20  # almost every indexed page is visible: one round, usually
        for _ in range(12):  # bounded: the limit doubles each round
            titles, others = self.ranked_ids(limit)
            visible = set(among(self.news, titles + others).values_list("pk", flat=True))
            found = [pk for pk in titles if pk in visible]
            if len(titles) == limit:  # more title matches may follow: the others cannot come yet
                if len(found) >= stop:
                    return found[start:stop]
            else:
                found += [pk for pk in others if pk in visible]
                if len(found) >= stop or len(others) < limit:
                    return found[start:stop]
            limit *= 2
        return found[start:stop]

    def __getitem__(self, window):
        wanted = self.ids(window.start or 0, window.stop)
        found = {page.pk: page for page in self.news.filter(pk__in=wanted)}
        pages = [found[pk] for pk in wanted if pk in found]
        for page in pages:
            page.search_terms = self.terms  # for `searchExcerpt`
        return pages
