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
    # Cache tags (publishing.cache_tags, docs/cache-tags.md): the response header naming what a
    # public answer shows — `Cache-Tag` (Cloudflare; comma-separated), `Surrogate-Key` (Fastly) or
    # `xkey` (Varnish; both space-separated) — and its longest value in bytes: Varnish refuses a
    # header line over 8 KB by default (http_resp_hdr_len), Cloudflare and Fastly take 16 KB.
    "CACHE_TAG_HEADER": "Cache-Tag",
    "CACHE_TAG_HEADER_MAX_BYTES": 8000,
    # Seconds a shared cache (a CDN, Varnish) may keep a public answer (`s-maxage`): they are
    # purged by tag when what they show changes, so this only bounds what a lost purge could
    # leave. Never past the next scheduled go-live or expiry.
    "CDN_MAX_AGE": 86400,
    # Seconds a shared cache may serve an answer past `s-maxage` while it fetches a fresh one
    # (`stale-while-revalidate`); 0 when the lifetime ends at a scheduled change.
    "CDN_STALE_WHILE_REVALIDATE": 60,
    # Seconds two app servers' clocks (kept by NTP) may differ: a purge stamped this long before an
    # answer started still counts as one it may have missed (publishing.cache_tags.versions_for).
    # Longer, and under a publish a second many answers would be refused to shared caches.
    "CACHE_TAG_CLOCK_SKEW": 0.05,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
