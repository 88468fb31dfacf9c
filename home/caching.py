"""
The content version: one number every cache of public answers includes in its keys. Anything
that changes what readers may see bumps it after the transaction commits (cms/signals.py), so
every cached answer and count becomes unreachable at once, on every app server sharing the cache.
No cached value may outlive the next scheduled go-live or expiry either.
"""

import hashlib
import json
import math
import time
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "content:version"
NEXT_CHANGE_KEY = "content:next-scheduled-change"


def new_version():
    # A value no other bump can have: two bumps racing on a cache without an atomic increment
    # (Django's database cache) still leave a version that neither earlier answer was stored under.
    return uuid.uuid4().hex


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY, "unknown")
    return version


def bump_content_version(**kwargs):
    """Make every cached response stale, once the current transaction (if any) commits."""

    def bump():
        cache.set(VERSION_KEY, new_version(), timeout=None)
        cache.delete(NEXT_CHANGE_KEY)

    transaction.on_commit(bump)


def seconds_to_next_scheduled_change():
    """Seconds until the next page goes live or expires: no cached response may outlive it."""
    moment = cache.get(NEXT_CHANGE_KEY)
    if moment is None:
        from wagtail.models import Page, Revision

        now = timezone.now()
        go_live = (
            Revision.objects.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("approved_go_live_at", flat=True)
            .first()
        )
        expiry = (
            Page.objects.filter(live=True, expire_at__gt=now)
            .order_by("expire_at")
            .values_list("expire_at", flat=True)
            .first()
        )
        moments = [moment.timestamp() for moment in (go_live, expiry) if moment]
        moment = min(moments) if moments else math.inf
        cache.set(NEXT_CHANGE_KEY, moment, timeout=300)
    return moment - time.time()


def remembered(parts, compute, timeout=300):
    """`compute()`'s value, cached until the content changes (or the next scheduled change)."""
    material = json.dumps([content_version(), *parts], sort_keys=True, default=str)
    key = "content:value:" + hashlib.sha256(material.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        ttl = min(timeout, seconds_to_next_scheduled_change())
        if ttl >= 1:
            cache.set(key, value, timeout=int(ttl))
    return value
