"""
Scheduled publishing, honoured the moment it falls due.

Wagtail publishes a page scheduled for later (`go_live_at`) only when the `publish_scheduled`
command runs; until then the page stays a draft. So that readers see it at its time even if cron
runs once a minute (or not at all on a laptop), every request first checks the earliest scheduled
time — cached, so this costs no query — and publishes what is due
(cms.middleware.ScheduledPublishingMiddleware).
Expiry needs no help: `home.visibility.visible` hides expired pages from the second they expire.
"""

import io
import math
import time

from django.core.cache import cache
from django.core.management import call_command
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Revision

from .caching import bump_content_version

NEXT_DUE_KEY = "scheduling:next-due"
PUBLISHING_LOCK_KEY = "scheduling:publishing"
RECHECK_EVERY_SECONDS = 300


def next_due():
    """Unix time of the earliest scheduled go-live, or infinity when nothing is scheduled."""
    due = cache.get(NEXT_DUE_KEY)
    if due is None:
        first = (
            Revision.objects.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("approved_go_live_at", flat=True)
            .first()
        )
        due = first.timestamp() if first else math.inf
        cache.set(NEXT_DUE_KEY, due, timeout=RECHECK_EVERY_SECONDS)
    return due


def publish_due_revisions():
    """Publish what is due, unless another process is already doing it."""
    if next_due() > time.time():
        return
    if not cache.add(PUBLISHING_LOCK_KEY, True, timeout=60):
        return
    try:
        call_command("publish_scheduled", stdout=io.StringIO())
    finally:
        cache.delete_many([NEXT_DUE_KEY, PUBLISHING_LOCK_KEY])


@receiver(post_save, sender=Revision)
@receiver(post_delete, sender=Revision)
def forget_next_due(sender, instance, **kwargs):
    if instance.approved_go_live_at is not None:
        cache.delete(NEXT_DUE_KEY)
        # Cached answers were given lifetimes before this schedule existed: start them afresh.
        bump_content_version()
