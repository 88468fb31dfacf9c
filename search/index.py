"""
Search fields that match Vietnamese with or without diacritics.

Each field is indexed as its text followed by its folded form ("Bắc Kạn bac kan"), and search
queries are folded the same way (search.text.search_terms), so "bac kan", "Bắc Kạn" and
"BẮC KẠN" find the same pages on every backend — SQLite FTS5, PostgreSQL, Elasticsearch —
whatever each one's tokenizer does with accents or with "đ". The original text stays in the
index so the admin's own page search, which does not fold its queries, still finds it.
"""

from functools import lru_cache

from wagtail.search import index

from .text import fold


@lru_cache(maxsize=64)
def _with_folded_text(value):
    folded = fold(value)
    return value if folded == value else f"{value} {folded}"


def with_folded(value):
    # Cached: the search backends read every field once per index column (3 to 5 times a page).
    if isinstance(value, str):
        return _with_folded_text(value)
    if isinstance(value, list | tuple):
        return [with_folded(item) for item in value]
    return value


class AccentInsensitiveSearchField(index.SearchField):
    def get_value(self, obj):
        return with_folded(super().get_value(obj))
