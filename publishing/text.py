"""
Vietnamese text: folded for comparison ("Bắc Kạn", "BẮC KẠN" and "bac kan" compare equal), made
into ASCII slugs, and indexed so that search matches it with or without diacritics.

Search fields (`AccentInsensitiveSearchField`) are indexed as their text followed by its folded
form ("Bắc Kạn bac kan"), and search queries are folded the same way (search.queries), so
"bac kan", "Bắc Kạn" and "BẮC KẠN" find the same pages on every backend — SQLite FTS5,
PostgreSQL, Elasticsearch — whatever each one's tokenizer does with accents or with "đ". The
original text stays in the index so the admin's own page search, which does not fold its
queries, still finds it.
"""

import unicodedata
from functools import lru_cache

from anyascii import anyascii
from django.utils.text import slugify
from wagtail.search import index


def fold(text):
    """Return `text` in lower-case ASCII: "Đồng Phúc" → "dong phuc".

    Unlike Unicode decomposition alone, this also maps letters that have no decomposition
    (đ/Đ → d) and keeps every other character's ASCII transliteration.
    """
    return anyascii(unicodedata.normalize("NFC", text or "")).lower()


def ascii_slug(text, max_length=255):
    """Return an ASCII slug for a Vietnamese title: "Đồng Phúc" → "dong-phuc"."""
    slug = slugify(fold(text))
    return slug[:max_length].strip("-")


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
