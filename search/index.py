"""
The news search index: one row per live news page, kept in the database beside the pages, in the
order readers get results in.

Wagtail's own index (used by the admin) ranks by relevance, which means scoring every match before
returning the first page of results: seconds for a common word in 100,000 pages. Readers expect
title matches first, then the newest — so each row here carries a sort key, the publication date
then the page id (`date.toordinal() << 32 | id`), and the database walks matches in that order
and stops after the page asked for, whatever the number of matches:

- **SQLite**: an FTS5 table whose rowid is the sort key (FTS5 keeps its lists in rowid order),
  over an ordinary table holding the text (`search_news_entry`, FTS5's external content).
- **PostgreSQL**: `search_news_entry` with the sort key (B-tree) and `tsvector`s of the title and
  the whole document (GIN), the `simple` configuration: no stemming, words as readers type them.

The text is the title, and the lead, byline, sector names and body, as search's words
(publishing.text.words: "Bắc Kạn" is "bac kan", "TP.HCM" is "tp hcm"), as the reader's words
are: search matches with or without diacritics, and the index holds each word once. The sectors
are indexed too (their ids), so a sector filter is part of the match.

Rows are written in the same transaction as the page (a page saved live is indexed, one saved not
live or deleted is removed), so the index never disagrees with what was committed. Whether a
match may be shown (expiry, view restrictions, site) is decided at query time by
publishing.visibility, like every other read.
"""

from django.db import connection, transaction

from news.models import CooperationSector, NewsPage
from publishing.locales import locale_by_id
from publishing.text import index_words

ENTRY = "search_news_entry"
FTS = "search_news_fts"
PAGE_ID_BITS = 32


def sort_key(page):
    """Newest first is the highest key: the date, then the page id."""
    return (page.date.toordinal() << PAGE_ID_BITS) | page.pk


def page_id(key):
    return key & ((1 << PAGE_ID_BITS) - 1)


def texts(page):
    """
    (title, body, sector ids) of a page as indexed: the texts as search's words, with their stems
    in a stemmed language (publishing.text.index_words), the sectors named in the page's language.
    """
    language = locale_by_id(page.locale_id).language_code
    body = page._meta.get_field("body").get_searchable_content(page.body)
    sectors = list(page.sectors.all())
    named = CooperationSector.objects.translated(sectors, locale_by_id(page.locale_id))
    parts = [page.intro, page.author, *(sector.name for sector in named), *body]
    text = " ".join(index_words(" ".join(part for part in parts if part), language))
    return " ".join(index_words(page.title, language)), text, [sector.pk for sector in sectors]


def supported():
    return connection.vendor in ("sqlite", "postgresql")


def remove(ids):
    ids = list(ids)
    if not ids or not supported():
        return
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # External content: FTS5 forgets a row when told what it held.
            cursor.execute(
                f"INSERT INTO {FTS} ({FTS}, rowid, title, body, sectors) "  # noqa: S608 (table names are ours)
                f"SELECT 'delete', sort_key, title, body, sectors FROM {ENTRY} WHERE page_id IN ({marks})",
                ids,
            )
        cursor.execute(f"DELETE FROM {ENTRY} WHERE page_id IN ({marks})", ids)  # noqa: S608


def sector_tokens(ids):
    """Sector ids as FTS5 words: `s5`."""
    return " ".join(f"s{pk}" for pk in ids)


def index(pages):
    """Index `pages` (NewsPage instances): live ones written, the others removed."""
    if not supported():
        return
    pages = list(pages)
    rows = [(page.pk, sort_key(page), *texts(page)) for page in pages if page.live]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":  # SQLite writes one transaction at a time
            remove(page.pk for page in pages)
            if rows:
                rows = [
                    (pk, key, title, body, sector_tokens(sectors)) for pk, key, title, body, sectors in rows
                ]
                cursor.executemany(
                    f"INSERT INTO {ENTRY} (page_id, sort_key, title, body, sectors) "  # noqa: S608
                    "VALUES (%s, %s, %s, %s, %s)",
                    rows,
                )
                cursor.executemany(
                    f"INSERT INTO {FTS} (rowid, title, body, sectors) VALUES (%s, %s, %s, %s)",  # noqa: S608
                    [row[1:] for row in rows],
                )
            return
        # PostgreSQL: written over in place, so that two saves of one page at once (two editors
        # publishing) both end with the page's row, where a delete then an insert fails one.
        remove(page.pk for page in pages if not page.live)
        if rows:
            cursor.executemany(
                f"INSERT INTO {ENTRY} (page_id, sort_key, title, document, sectors) "  # noqa: S608
                "VALUES (%s, %s, strip(to_tsvector('simple', %s)),"
                " strip(to_tsvector('simple', %s || ' ' || %s)), %s)"
                " ON CONFLICT (page_id) DO UPDATE SET sort_key = EXCLUDED.sort_key, title = EXCLUDED.title,"
                " document = EXCLUDED.document, sectors = EXCLUDED.sectors",
                [(pk, key, title, title, body, sectors) for pk, key, title, body, sectors in rows],
            )


def index_ids(ids, batch=500):
    """Index the news pages with these ids (a bulk load, a renamed sector), in batches."""
    ids = list(ids)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        index(NewsPage.objects.filter(pk__in=chunk).prefetch_related("sectors"))


def rebuild():
    """
    Index every news page again, in one transaction (readers keep the old index until it is
    done); returns how many live ones are indexed.
    """
    if not supported():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS} ({FTS}) VALUES ('delete-all')")  # noqa: S608
        cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608
        ids = list(NewsPage.objects.live().values_list("pk", flat=True))
        index_ids(ids)
    with connection.cursor() as cursor:  # the planner's statistics describe the empty table
        cursor.execute(f"ANALYZE {ENTRY}" if connection.vendor == "postgresql" else "PRAGMA optimize")
    return len(ids)


def size():
    """The number of pages indexed."""
    if not supported():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {ENTRY}")  # noqa: S608
        return cursor.fetchone()[0]


def is_empty():
    """Whether the index has no row (False where there is no index: another database, or a
    migration taking it away)."""
    if not supported() or ENTRY not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {ENTRY} LIMIT 1")  # noqa: S608
        return cursor.fetchone() is None
