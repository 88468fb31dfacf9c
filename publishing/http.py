"""
The HTTP headers of a public answer, for browsers and shared caches (a CDN, Varnish): one place for
every public surface (the GraphQL endpoint, the feeds, the CMS's page routes).

- `Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=M`: browsers ask again
  each time (and get a 304 by the ETag), shared caches keep the answer until it is purged by one of
  its tags — `CDN_MAX_AGE` at most, and never past the next scheduled go-live or expiry, with no
  `stale-while-revalidate` then (a page that expires must not be served stale).
- The tag header (`CACHE_TAG_HEADER`, publishing.cache_tags.header_value): what the answer shows.

Nothing else gets them: previews, signed-in users, mutations and errors are `private, no-store`
or left as they are.
"""

from . import app_settings, cache_tags
from .freshness import lifetime


def shared_cache_headers(response, tags):
    """Mark `response` (an anonymous, public answer showing `tags`) as kept by shared caches until purged."""
    at_most = app_settings.CDN_MAX_AGE
    seconds = lifetime(at_most)
    if seconds <= 0:
        response["Cache-Control"] = "public, max-age=0, s-maxage=0"
    else:
        stale = app_settings.CDN_STALE_WHILE_REVALIDATE if seconds >= at_most else 0
        response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}, stale-while-revalidate={stale}"
    response[app_settings.CACHE_TAG_HEADER] = cache_tags.header_value(tags)
    return response


def private(response):
    """Mark `response` as for its reader only: never kept by a shared cache."""
    response["Cache-Control"] = "private, no-store"
    return response
