"""
Scheduled publishing, honoured the moment it falls due.

Wagtail publishes a page scheduled for later (`go_live_at`) only when its `publish_scheduled`
command runs; until then the page stays a draft. So that readers see it at its time even if cron
runs once a minute (or not at all on a laptop), publishing what is due is a step of every request
(cms.middleware.ScheduledPublishingMiddleware calls `publish_due_revisions`): the earliest
scheduled time is cached, so while nothing is due this costs one cache read, no query.

Expiry needs no step: `publishing.visibility` hides expired pages from the second they expire.
Whoever changes a schedule calls `forget_next_go_live` (cms.graphql.invalidation does, on every
saved or deleted revision that carries one).
"""

import io
import math
import time

from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Revision

NEXT_GO_LIVE_KEY = "scheduling:next-go-live"
PUBLISHING_LOCK_KEY = "scheduling:publishing"
RECHECK_EVERY_SECONDS = 300


def next_go_live():
    """Unix time of the earliest scheduled go-live, or infinity when nothing is scheduled."""
    moment = cache.get(NEXT_GO_LIVE_KEY)
    if moment is None:
        first = (
            Revision.objects.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("approved_go_live_at", flat=True)
            .first()
        )
        moment = first.timestamp() if first else math.inf
        cache.set(NEXT_GO_LIVE_KEY, moment, timeout=RECHECK_EVERY_SECONDS)
    return moment


def forget_next_go_live():
    cache.delete(NEXT_GO_LIVE_KEY)


def publish_due_revisions():
    """Publish what is due (Wagtail's `publish_scheduled`), unless another process is doing it."""
    if next_go_live() > time.time():
        return
    if not cache.add(PUBLISHING_LOCK_KEY, True, timeout=60):
        return
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    finally:
        cache.delete_many([NEXT_GO_LIVE_KEY, PUBLISHING_LOCK_KEY])
