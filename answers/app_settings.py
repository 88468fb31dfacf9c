"""
The stored answers' settings, with their defaults: `app_settings.GRAPHQL_STORED_ANSWERS` is the
Django setting of that name when the project sets one (cms/settings/base.py sets it from the
environment variable of the same name), else the default below — read at each use
(docs/development.md#settings-and-environment).
"""

from django.conf import settings

DEFAULTS = {
    # Stored answers (answers.stored): each live page's answer to its plain fields, kept in the
    # database and read instead of building the page (docs/performance.md#stored-answers).
    "GRAPHQL_STORED_ANSWERS": True,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
