"""
The news search index (search/index.py): its tables on SQLite and PostgreSQL. The rows are
written by the app as pages are saved; an existing database is indexed once after this migration
(search.apps, after `migrate`) or with `manage.py rebuild_news_search`.
"""

from django.db import migrations

SQLITE = [
    "CREATE TABLE search_news_entry (sort_key INTEGER PRIMARY KEY, page_id INTEGER NOT NULL UNIQUE,"
    " title TEXT NOT NULL, body TEXT NOT NULL, sectors TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE search_news_fts USING fts5("
    " title, body, sectors, content='search_news_entry', content_rowid='sort_key',"
    " tokenize='unicode61 remove_diacritics 2')",
]
POSTGRESQL = [
    # Vectors without positions, of folded words only: about 1.4 KB a page, kept in the row
    # (STORAGE MAIN), so checking one against a query costs microseconds, not a TOAST fetch.
    "CREATE TABLE search_news_entry ("
    " page_id integer PRIMARY KEY, sort_key bigint NOT NULL UNIQUE,"
    " title tsvector NOT NULL, document tsvector NOT NULL, sectors integer[] NOT NULL)",
    "ALTER TABLE search_news_entry ALTER COLUMN document SET STORAGE MAIN",
    "CREATE INDEX search_news_entry_title ON search_news_entry USING gin (title)",
    "CREATE INDEX search_news_entry_document ON search_news_entry USING gin (document)",
    "CREATE INDEX search_news_entry_sectors ON search_news_entry USING gin (sectors)",
    # The matching pages found through the GIN index, never by reading every row: PostgreSQL's
    # planner does not count what checking a row costs, and would read rows to count 10,000
    # matches (70 ms) where the index gives them in 10. PL/pgSQL, so that each branch is planned
    # on its own: one SQL query with "sector IS NULL OR ..." would be planned once for both, and
    # could not use the sectors' index.
    "CREATE FUNCTION search_news_matches(query tsquery, sector integer, most integer)"
    " RETURNS SETOF integer LANGUAGE plpgsql STABLE"
    " SET enable_seqscan = off SET enable_indexscan = off AS $$"
    " BEGIN"
    " IF sector IS NULL THEN"
    " RETURN QUERY SELECT page_id FROM search_news_entry WHERE document @@ query LIMIT most;"
    " ELSE"
    " RETURN QUERY SELECT page_id FROM search_news_entry"
    " WHERE document @@ query AND sectors @> ARRAY[sector] LIMIT most;"
    " END IF;"
    " END $$",
]
DROP = {
    "sqlite": ["DROP TABLE IF EXISTS search_news_fts", "DROP TABLE IF EXISTS search_news_entry"],
    "postgresql": [
        "DROP FUNCTION IF EXISTS search_news_matches(tsquery, integer, integer)",
        "DROP TABLE IF EXISTS search_news_entry",
    ],
}


def create(apps, schema_editor):
    for statement in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_title_body_search_index"), ("news", "0002_prefetching_chooser_blocks")]
    operations = [migrations.RunPython(create, drop)]
