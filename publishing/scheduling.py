"""
Scheduled publishing, honoured the moment it falls due.

Wagtail publishes a page scheduled for later (`go_live_at`) only when its `publish_scheduled`
command runs; until then the page stays a draft. So that readers see it at its time even if cron
runs once a minute (or not at all on a laptop), publishing what is due is a step of every request
(cms.middleware.ScheduledPublishingMiddleware calls `publish_due_revisions`): the earliest
scheduled time is cached (publishing.freshness.next_go_live), so while nothing is due this costs
one cache read, no query.

Expiry needs no step: `publishing.visibility` hides expired pages from the second they expire.
Whoever changes a schedule forgets the cached go-live (publishing.freshness does, on every saved or
deleted revision that carries one).
"""

import io
import time

from django.core.cache import cache
from django.core.management import call_command

from .freshness import forget_next_go_live, next_go_live

PUBLISHING_LOCK_KEY = "scheduling:publishing"


def publish_due_revisions():
    """Publish what is due (Wagtail's `publish_scheduled`), unless another process is doing it."""
    if next_go_live() > time.time():
        return
    if not cache.add(PUBLISHING_LOCK_KEY, True, timeout=60):
        return
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    finally:
        forget_next_go_live()
        cache.delete(PUBLISHING_LOCK_KEY)
