"""
Serving the feeds: the rendered XML is cached until the content changes, like a GraphQL answer
(publishing.freshness.cached_until_content_changes: the key includes the content version, which
every publish, unpublish, move, deletion and schedule replaces; no entry outlives the next
scheduled go-live or expiry). Shared caches (a CDN, Varnish) keep a feed until one of its cache
tags is purged (publishing.http: the news of its language, its sectors, its images); browsers
revalidate it with its ETag.
"""

import hashlib
import time

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import override
from django.views.decorators.http import require_safe

from news.models import CooperationSector
from publishing import cache_tags
from publishing.freshness import cached_until_content_changes
from publishing.http import private, shared_cache_headers
from publishing.scope import request_scope

from .feeds import EnglishNewsFeed, EnglishSectorNewsFeed, NewsFeed, RssFeed, SectorNewsFeed

# How long the rendered XML is kept at most (the content version ends it sooner).
CACHE_SECONDS = 300
SLUG_MAX_LENGTH = CooperationSector._meta.get_field("slug").max_length

FEEDS = {
    "vi": (NewsFeed(), SectorNewsFeed()),
    "en": (EnglishNewsFeed(), EnglishSectorNewsFeed()),
}


def render(feed, request, *args):
    """
    The feed's XML with its validators: {"body", "etag", "last_modified"}. Last-Modified is when
    it was rendered, not its newest item's date: unpublishing the newest page makes a feed older
    by its items' dates, yet it changed.
    """
    started = time.time()
    with override(feed.language):
        generator = feed.get_feed(feed.get_object(request, *args), request)
        body = generator.writeString("utf-8").encode()
    return {
        "body": body,
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "last_modified": int(time.time()),
        "tags": cache_tags.recorded(),
        "started": started,
    }


def serve(request, feed, *args):
    # The XML names its own address (atom:link rel="self"), and links to the frontend and media.
    parts = [
        "feed",
        request.build_absolute_uri(request.path),
        settings.FRONTEND_BASE_URL,
        settings.WAGTAILADMIN_BASE_URL,
    ]
    with request_scope(request):
        # An unknown sector raises Http404 out of render: nothing is stored for a made-up slug.
        entry = cached_until_content_changes(
            parts, lambda: render(feed, request, *args), at_most=CACHE_SECONDS
        )
    response = HttpResponse(entry["body"], content_type=RssFeed.content_type)
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    if cache_tags.versions_for(entry["tags"], entry["started"]) is None:
        private(response)  # rendered across a purge of what it shows: not for shared caches
    else:
        shared_cache_headers(response, entry["tags"])
    # Revalidated by ETag only: two renderings within one second share a Last-Modified, so an
    # If-Modified-Since could keep a reader on the earlier one. (Without If-None-Match, the feed.)
    return get_conditional_response(request, etag=entry["etag"], response=response)


# Read-only: no transaction (on SQLite every transaction takes the write lock, see settings).
@transaction.non_atomic_requests
@require_safe
def latest_news(request, language="vi"):
    return serve(request, FEEDS[language][0])


@transaction.non_atomic_requests
@require_safe
def sector_news(request, slug, language="vi"):
    if len(slug) > SLUG_MAX_LENGTH:
        raise Http404
    return serve(request, FEEDS[language][1], slug)
