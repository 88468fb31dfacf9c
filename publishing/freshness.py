"""
Freshness: how long anything read for the public may be kept, and what ends it. This module is the
one owner of that question; every cache of public answers asks it.

- **The content version** (`content_version`): one value every cache of public answers includes
  in its keys (the GraphQL response cache, the feeds, remembered list totals). Anything that
  changes what readers may see replaces it once the transaction commits
  (cms.graphql.invalidation), so every cached answer becomes unreachable at once, on every app
  server sharing the cache.
- **The next scheduled change** (`next_scheduled_change`): the earliest go-live of a scheduled
  revision or expiry of a live page. No cached answer outlives it: `lifetime(at_most)` is how
  long one may be kept. (Publishing what is due is publishing.scheduling's, which reads
  `next_go_live` from here.)
- **Three ways to keep a value**, named by how long they keep it:
  `once_per_request` (within one request scope, publishing.scope; nothing outside one),
  `kept_in_process_until_content_changes` (in this process, a minute at most: small values every
  request needs) and `cached_until_content_changes` (in the shared cache, for every app server,
  never past the next scheduled change).
"""

import hashlib
import json
import math
import time
import uuid

from django.core.cache import cache
from django.utils import timezone
from wagtail.models import Page, Revision

from .scope import request_memo

# Named lifetimes, in seconds: each the longest something is kept even if nothing ends it sooner.
SHARED_CACHE_SECONDS = 300  # a value cached_until_content_changes (unless its caller says less)
IN_PROCESS_SECONDS = 60  # a value kept_in_process_until_content_changes (should a bump be lost)
IN_PROCESS_MAX_ENTRIES = 1000  # keys include host names: a bound against unexpected ones
SCHEDULE_RECHECK_SECONDS = 300  # the next go-live and the next expiry, read again at least this often


# The content version

VERSION_KEY = "content:version"
UNKNOWN_VERSION = "unknown"  # the cache is unreachable


def new_version():
    # A value no other bump can have: two bumps racing on a cache without an atomic increment
    # (Django's database cache) still leave a version that neither earlier answer was stored under.
    return uuid.uuid4().hex


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY, UNKNOWN_VERSION)
    return version


# The next scheduled change: go-live and expiry, the two ends of every lifetime

NEXT_GO_LIVE_KEY = "scheduling:next-go-live"
NEXT_EXPIRY_KEY = "content:next-expiry"


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
        cache.set(NEXT_GO_LIVE_KEY, moment, timeout=SCHEDULE_RECHECK_SECONDS)
    return moment


def forget_next_go_live():
    """A schedule changed, or what was due has been published: read the next go-live again."""
    cache.delete(NEXT_GO_LIVE_KEY)


def next_expiry():
    """Unix time of the earliest expiry of a live page, or infinity (read again after every bump)."""
    moment = cache.get(NEXT_EXPIRY_KEY)
    if moment is None:
        first = (
            Page.objects.filter(live=True, expire_at__gt=timezone.now())
            .order_by("expire_at")
            .values_list("expire_at", flat=True)
            .first()
        )
        moment = first.timestamp() if first else math.inf
        cache.set(NEXT_EXPIRY_KEY, moment, timeout=SCHEDULE_RECHECK_SECONDS)
    return moment


def next_scheduled_change():
    """Unix time at which the next page goes live or expires, or infinity."""
    return min(next_go_live(), next_expiry())


def seconds_to_next_scheduled_change():
    """Seconds until the next page goes live or expires: no cached answer may outlive it."""
    return next_scheduled_change() - time.time()


def lifetime(at_most):
    """Whole seconds an answer may be kept: `at_most`, cut short by the next scheduled change.
    0: do not keep it."""
    return max(0, int(min(at_most, seconds_to_next_scheduled_change())))


# Keeping values, by how long

_in_process = {}


def once_per_request(key, compute):
    """`compute()`, once per request scope for `key` (publishing.scope); every time outside one."""
    memo = request_memo()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def kept_in_process_until_content_changes(key, compute):
    """
    `compute()`, kept in this process until the content version moves (or IN_PROCESS_SECONDS
    pass): for small values every request needs (the sites, the restricted sections), read once
    per change instead of once per request. The version is read once per request scope; while
    the cache cannot give one, nothing is kept.
    """
    version = once_per_request("content-version", content_version)
    if version == UNKNOWN_VERSION:
        return compute()
    now = time.monotonic()
    entry = _in_process.get(key)
    if entry is None or entry[0] != version or entry[1] < now:
        if len(_in_process) >= IN_PROCESS_MAX_ENTRIES:
            _in_process.clear()
        entry = (version, now + IN_PROCESS_SECONDS, compute())
        _in_process[key] = entry
    return entry[2]


def cached_until_content_changes(parts, compute, at_most=SHARED_CACHE_SECONDS):
    """
    `compute()`'s value, in the shared cache under `parts` (JSON-serialisable) and the content
    version: until the content changes, the next scheduled change, or `at_most` seconds.
    """
    material = json.dumps([content_version(), *parts], sort_keys=True, default=str)
    key = "content:value:" + hashlib.sha256(material.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        seconds = lifetime(at_most)
        if seconds:
            cache.set(key, value, timeout=seconds)
    return value
