"""
The response cache of the GraphQL endpoint, and Apollo's automatic persisted queries.

Anonymous query responses are kept in Django's cache (Redis when REDIS_URL is set) under a key
made of the host, the *normalised* document (api.document: parsed and printed, so whitespace and
comments do not matter), the variables and the operation name, with the cache tags of what they
show (publishing.cache_tags) and the versions those tags had: an entry is good while none of its
tags has been purged since, so a change drops exactly the answers showing what it altered, on
every app server sharing the cache. An answer computed across a purge of one of its tags is not
kept (it may show what was read before the change). Entries also never outlive the next scheduled
go-live or expiry (`lifetime`).

Responses to previews (any `token` argument) and to logged-in users are never cached. After an
invalidation, one request per key recomputes the response while the others wait for it (no
stampede).
"""

import hashlib
import json
import time

from django.core.cache import cache

from publishing import cache_tags
from publishing.freshness import lifetime

from . import app_settings

PERSISTED_PREFIX = "graphql:persisted:"


def cache_key(request, prepared, variables, operation_name):
    material = json.dumps(
        [request.get_host(), prepared.normalised, variables, operation_name],
        sort_keys=True,
        ensure_ascii=False,
    )
    return "graphql:response:" + hashlib.sha256(material.encode()).hexdigest()


def cacheable(request, prepared):
    """Anonymous queries only: never previews (a `token` argument), never logged-in users."""
    if app_settings.GRAPHQL_RESPONSE_CACHE_SECONDS <= 0 or prepared.document is None:
        return False
    if not prepared.only_queries or prepared.has_token:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def usable(entry):
    """Whether a kept entry still holds: none of its tags purged since it was computed."""
    return entry is not None and cache_tags.still_current(entry["tags"], entry["versions"])


def fetch_or_compute(key, compute):
    """
    The cached entry for `key`, or `compute()`'s — computed by one request at a time: the others
    wait (up to GRAPHQL_RESPONSE_CACHE_LOCK_WAIT seconds) for it to appear. `compute` returns
    (entry, keep), the entry holding its `tags` and their `versions` (None when computed across a
    purge): only entries with keep=True and versions are stored.
    """
    entry = cache.get(key)
    if usable(entry):
        return entry, True
    lock = key + ":lock"
    deadline = time.monotonic() + app_settings.GRAPHQL_RESPONSE_CACHE_LOCK_WAIT
    while not cache.add(lock, True, timeout=30):
        if cache.get(lock) is None:
            # Nobody holds the lock after all: it was released as we looked (with the entry
            # stored, or after a failed computation), or the cache is not answering (Redis down:
            # every add fails). Waiting would only make this request slower.
            entry = cache.get(key)
            if usable(entry):
                return entry, True
            return compute()[0], False
        if time.monotonic() > deadline:
            return compute()[0], False
        time.sleep(0.02)
        entry = cache.get(key)
        if usable(entry):
            return entry, True
    try:
        entry, keep = compute()
        seconds = lifetime(app_settings.GRAPHQL_RESPONSE_CACHE_SECONDS)
        if keep and seconds and entry["versions"] is not None:
            cache.set(key, entry, timeout=seconds)
        return entry, False
    finally:
        cache.delete(lock)


def remember_persisted_query(sha256, query):
    cache.set(PERSISTED_PREFIX + sha256, query, timeout=app_settings.GRAPHQL_PERSISTED_QUERY_SECONDS)


def persisted_query(sha256):
    return cache.get(PERSISTED_PREFIX + sha256)
