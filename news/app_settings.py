"""
The news app's settings, with their defaults: `app_settings.RELATED_NEWS_CANDIDATES` is the Django
setting of that name when the project sets one (cms/settings/base.py sets it from the environment
variable of the same name), else the default below — read at each use
(docs/development.md#settings-and-environment). The sizes of news lists are the GraphQL
endpoint's (api/app_settings.py).
"""

from django.conf import settings

DEFAULTS = {
    # `related` on a news page is chosen among the site's newest this many visible news
    # (news/related.py).
    "RELATED_NEWS_CANDIDATES": 1000,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
