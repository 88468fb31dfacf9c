"""
The request scope: what one public read remembers while it runs, and nothing longer.

The GraphQL view opens one scope per request (`request_scope(request)`). Within it, the objects
page bodies refer to are fetched once for the whole answer (publishing.prefetch), and values every
item of a list would otherwise compute again — the restricted sections, the default site, each
sector's count of news — are computed once (`memoised`). Outside a scope (a management command,
the admin) nothing is remembered: every call computes afresh.
"""

import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache

_scope = ContextVar("publishing_request_scope", default=None)

KINDS = ("image", "document", "page")


@contextmanager
def request_scope(request=None):
    token = _scope.set({"request": request, "memo": {}, **{kind: {} for kind in KINDS}})
    try:
        yield
    finally:
        _scope.reset(token)


def current_request():
    """The request the current scope serves, or None outside one."""
    scope = _scope.get()
    return None if scope is None else scope["request"]


def prefetched(kind):
    """The objects of `kind` fetched so far in this scope ({pk: object or None}), or None outside one."""
    scope = _scope.get()
    return None if scope is None else scope[kind]


def memoised(key, compute):
    """`compute()`, once per scope for `key` (every time outside a scope)."""
    scope = _scope.get()
    if scope is None:
        return compute()
    memo = scope["memo"]
    if key not in memo:
        memo[key] = compute()
    return memo[key]


# The content version: one value every cache of public answers includes in its keys, replaced
# when anything readers may see changes (cms.graphql.invalidation owns when).
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


_in_process = {}
# Kept at most this long even when the version does not move (a change whose bump was lost while
# the cache was unreachable), and never under a version the cache could not give.
IN_PROCESS_SECONDS = 60
IN_PROCESS_MAX_ENTRIES = 1000  # keys include host names: a bound against unexpected ones


def remembered_in_process(key, compute):
    """
    `compute()`, kept in this process until the content version moves (or a minute passes): for
    small values every request needs (the sites, the restricted sections), read once per change
    instead of once per request. The version is read once per request scope.
    """
    version = memoised("content-version", content_version)
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
