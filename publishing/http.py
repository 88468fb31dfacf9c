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
from .visibility import is_visible_now, restricted_sections


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


class SharedCacheServing:
    """
    A page type whose public HTML (Wagtail's page routes, cms/urls.py) shared caches may keep until
    purged: served to an anonymous reader, live, not expired and under no view restriction (a
    reader let in by a restriction's password gets it `private`), it carries the tags of
    `cache_tags_when_served()` — the page and the list of its children by default.
    """

    def cache_tags_when_served(self):
        return [f"page-{self.pk}", f"children-{self.pk}"]

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        user = getattr(request, "user", None)
        public = (
            request.method in ("GET", "HEAD")
            and response.status_code == 200
            and not (user is not None and user.is_authenticated)
            and is_visible_now(self)
            and not any(self.path.startswith(path) for path, _depth in restricted_sections())
        )
        if public:
            tags = cache_tags.with_families([cache_tags.ALL, *self.cache_tags_when_served()])
            return shared_cache_headers(response, sorted(tags))
        return private(response)
