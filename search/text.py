"""
Vietnamese text folding: diacritics and case removed, so "Bắc Kạn", "BẮC KẠN" and "bac kan"
compare equal. Used for page slugs and for accent-insensitive search.
"""

import re
import unicodedata

from anyascii import anyascii
from django.utils.text import slugify


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


def search_terms(query):
    """
    The words of a reader's query, folded: "Bắc Kạn!" → ["bac", "kan"].

    Only letters and digits survive, so quotes, brackets, `*`, `-`, `NEAR(...)` and the other
    operators of SQLite FTS5, PostgreSQL tsquery or Elasticsearch can never reach a backend;
    "AND"/"OR" become plain lower-case words.
    """
    return re.findall(r"[a-z0-9]+", fold(query))
