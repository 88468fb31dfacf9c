import logging

from django.conf import settings
from django.db import DatabaseError
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import cc_delim_re

from publishing.scheduling import publish_due_revisions

logger = logging.getLogger("cms.scheduling")


class GraphQLResponseMiddleware(GZipMiddleware):
    """
    For /graphql/ only:

    - compresses answers for clients that accept it (their content is public, so compression
      leaks nothing; pages carrying CSRF tokens are left alone, see BREACH);
    - drops `Vary: Cookie, Accept-Language` from public answers: they are the same for every
      reader and language (logged-in answers are `private, no-store`), and a CDN would otherwise
      store one copy per cookie.
    """

    def process_response(self, request, response):
        if request.path != "/graphql/" or response.get("Content-Type", "").startswith("text/html"):
            return response
        if response.get("Cache-Control", "").startswith("public") and response.has_header("Vary"):
            kept = [
                h
                for h in cc_delim_re.split(response["Vary"])
                if h.lower() not in ("cookie", "accept-language")
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return super().process_response(request, response)


class ScheduledPublishingMiddleware:
    """
    Scheduled publishing as an explicit step of every request, before anything reads content:
    revisions whose go-live time has passed are published (Wagtail's `publish_scheduled`), so
    GraphQL and the CMS's own page routes show a scheduled page at its time even when cron runs
    once a minute, or not at all on a laptop. Knowing that nothing is due costs a cache read
    (publishing.scheduling). Static files, media and health checks skip it.
    """

    SKIPPED = (settings.STATIC_URL, settings.MEDIA_URL)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.SKIPPED):
            try:
                publish_due_revisions()
            except DatabaseError as error:
                # The database is unreachable: nothing can be published now; the view answers
                # from the cache or with a 503, and the next request tries again.
                logger.warning("Scheduled publishing skipped: %s", str(error).strip()[:200])
        return self.get_response(request)
