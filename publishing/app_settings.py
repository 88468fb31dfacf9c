"""
The publishing app's settings, with their defaults: `app_settings.PREVIEW_TOKEN_MAX_AGE` is the
Django setting of that name when the project sets one (cms/settings/base.py sets it from the
environment variable of the same name), else the default below — read at each use
(docs/development.md#settings-and-environment). Where previews open (PREVIEW_FRONTEND_URL,
PREVIEW_FRONTEND_URLS) is wagtail-headless-preview's setting, made in cms/settings/base.py.
"""

from django.conf import settings

DEFAULTS = {
    # Seconds a preview token (`page(token:)`, publishing/preview.py) stays valid.
    "PREVIEW_TOKEN_MAX_AGE": 3600,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
