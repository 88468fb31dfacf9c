"""
The search's settings, with their defaults: `app_settings.SEARCH_MAX_TERMS` is the Django setting
of that name when the project sets one (cms/settings/base.py sets it from the environment variable
of the same name), else the default below — read at each use
(docs/development.md#settings-and-environment). The search backend (SEARCH_BACKEND, SEARCH_URLS,
SEARCH_INDEX, SEARCH_TIMEOUT) is Wagtail's WAGTAILSEARCH_BACKENDS, made in cms/settings/base.py.
"""

from django.conf import settings

DEFAULTS = {
    # The longest query, in characters, and the most different words in one (docs/search.md).
    "SEARCH_MAX_QUERY_LENGTH": 200,
    "SEARCH_MAX_TERMS": 32,
    # Search totals are counted exactly up to this many matches, estimated beyond.
    "SEARCH_EXACT_TOTAL": 10000,
    # Results reach this deep: later pages are empty (docs/search.md#how-it-stays-fast).
    "SEARCH_MAX_RESULTS": 10000,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
