"""
The publish webhooks' settings, with their defaults: `app_settings.WEBHOOK_URLS` is the Django
setting of that name when the project sets one (cms/settings/base.py sets it from the environment
variable of the same name), else the default below — read at each use
(docs/development.md#settings-and-environment).

Publish webhooks (docs/webhooks.md): POSTed to each of WEBHOOK_URLS after a news page or a sector
changes, signed with WEBHOOK_SECRET, retried after each of WEBHOOK_RETRY_DELAYS seconds.

CDN purges (docs/purging.md): the tags of each change purged from each CDN of
CACHE_PURGE_BACKENDS, retried like webhooks, and once more after CACHE_PURGE_REPEAT_SECONDS.
"""

from django.conf import settings

DEFAULTS = {
    # The receivers' URLs (none: no webhooks).
    "WEBHOOK_URLS": [],
    # The secret each delivery is signed with (HMAC-SHA256); required with WEBHOOK_URLS.
    "WEBHOOK_SECRET": "",
    # Seconds to wait for a receiver's answer.
    "WEBHOOK_TIMEOUT": 5.0,
    # Seconds before each retry of a failed delivery; after the last, it has failed for good.
    "WEBHOOK_RETRY_DELAYS": [10, 60, 300, 1800, 7200, 21600],
    # Deliveries sent from background threads (off: in the committing thread, as tests do).
    "WEBHOOK_ASYNC": True,
    # The CDNs purged by tag after each change, like Wagtail's WAGTAILFRONTENDCACHE: {name:
    # {"BACKEND": "webhooks.purging.VarnishBackend", ...}} (none: nothing purged). cms/settings/base.py
    # builds it from VARNISH_PURGE_URLS, CLOUDFLARE_* and FASTLY_* (docs/purging.md).
    "CACHE_PURGE_BACKENDS": {},
    # Seconds after a purge first went through before it is sent once more (answers computed from
    # the old content while it went out may have reached the CDN after it); 0: never repeated.
    "CACHE_PURGE_REPEAT_SECONDS": 1.0,
    # Seconds to wait for a CDN's answer to one purge request (a backend's TIMEOUT wins).
    "CACHE_PURGE_TIMEOUT": 5.0,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
