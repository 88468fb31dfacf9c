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

import re
import unicodedata
from functools import cache, lru_cache

import snowballstemmer
from anyascii import anyascii
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.search import index


def fold(text):
    """Return `text` in lower-case ASCII: "Đồng Phúc" → "dong phuc".

    Unlike Unicode decomposition alone, this also maps letters that have no decomposition
    (đ/Đ → d) and keeps every other character's ASCII transliteration.
    """
    return anyascii(unicodedata.normalize("NFC", text or "")).lower()


def words(text):
    """
    The words search compares, in order: `text` folded, its letters and digits only, whatever
    joins them — "TP.HCM: 1.000 tỷ" → ["tp", "hcm", "1", "000", "ty"]. The index holds these words
    and queries are made of them (search), so a backend's own tokenizer, which may keep "tp.hcm"
    or "a@b.vn" whole, never decides what matches.
    """
    return WORDS.findall(fold(text))


WORDS = re.compile(r"[a-z0-9]+")

# Languages whose words search matches by their stem (Snowball, the stemmer PostgreSQL's own
# configurations use): "cooperating" finds "cooperation". Vietnamese words do not inflect.
STEMMED_LANGUAGES = {"en": "english"}


@cache
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMED_LANGUAGES[language])


def stemmer(language):
    """A word's stem in `language` ("cooperating" → "cooper"); None where words do not inflect."""
    if language not in STEMMED_LANGUAGES:
        return None
    stem = _stemmer(language)
    return lambda word: stem.stemWord(word)


def index_words(text, language):
    """
    What the search index holds for `text` in `language`: its words (`words`), and for a stemmed
    language each word's stem after it when it differs ("farming farm"), so that a query's
    stems find it.
    """
    found = words(text)
    stem = stemmer(language)
    if stem is None:
        return found
    with_stems = []
    for word in found:
        with_stems.append(word)
        stemmed = stem(word)
        if stemmed != word:
            with_stems.append(stemmed)
    return with_stems


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


class AccentInsensitiveAutocompleteField(index.AutocompleteField):
    """An autocomplete field (the admin's listing search) matched with or without diacritics."""

    def get_value(self, obj):
        return with_folded(super().get_value(obj))


WORD = re.compile(r"[^\W_]+")  # letters and digits, as `words` splits


def highlight(text, terms, words=32, before=8, stem=None):
    """
    A passage of `text` of about `words` words, from a few words before the first word that folds
    to one of `terms` ("bac" marks "Bắc"; with `stem`, a word whose stem is one of them:
    "farming" for "farm"), with every such word in `<mark>` (neighbours together:
    `<mark>Bắc Kạn</mark>`), everything else HTML-escaped; `…` where the text was cut. From the
    start of the text when no word matches; None for no text.
    """
    text = unicodedata.normalize("NFC", text or "").strip()
    found = list(WORD.finditer(text))
    if not found:
        return None
    terms = set(terms)

    def matches(word):
        folded = fold(word)
        return folded in terms or (stem is not None and stem(folded) in terms)

    marked = [matches(match.group()) for match in found]
    first = marked.index(True) if True in marked else 0
    start = max(0, first - before) if first else 0
    stop = min(len(found), start + words)
    parts, open_mark = [], False
    for position in range(start, stop):
        match = found[position]
        if position > start:
            gap = text[found[position - 1].end() : match.start()]
            if open_mark and not (marked[position] and gap.isspace()):
                parts.append("</mark>")
                open_mark = False
            parts.append(escape(gap))
        if marked[position] and not open_mark:
            parts.append("<mark>")
            open_mark = True
        parts.append(escape(match.group()))
    if open_mark:
        parts.append("</mark>")
    if stop < len(found):
        parts.append(escape(text[found[stop - 1].end() : found[stop].start()].rstrip()) + "…")
    else:
        parts.append(escape(text[found[stop - 1].end() :]))
    return ("…" if start else "") + "".join(parts)
