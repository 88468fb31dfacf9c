"""
The request scope: what one public read remembers while it runs, and nothing longer.

Every GraphQL operation runs in one scope (`request_scope(request)`, opened by
api.execution's `run_operation`), as does each request for a feed (feeds.views).
Within it, the objects page bodies refer to are fetched once for the whole answer
(publishing.prefetch), and values every item of a list would otherwise compute again — the
content version, the locales, a site's root in a language, each sector's count of news and its
translations, the candidates for related news, renditions — are computed once
(publishing.freshness.once_per_request, which keeps them in `request_memo()`). Outside a scope (a
management command, the admin) nothing is remembered: every call computes afresh. (The sites and
the restricted sections and collections are kept longer, in the process until the content
changes: publishing.visibility.)
"""

from contextlib import contextmanager
from contextvars import ContextVar

_scope = ContextVar("publishing_request_scope", default=None)
_changing = ContextVar("publishing_changing", default=False)

KINDS = ("image", "document", "page")


@contextmanager
def request_scope(request=None):
    token = _scope.set({"request": request, "memo": {}, "tags": set(), **{kind: {} for kind in KINDS}})
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


def recorded_tags():
    """The cache tags of what this scope's answer shows so far (a set, publishing.cache_tags), or
    None outside one."""
    scope = _scope.get()
    return None if scope is None else scope["tags"]


def request_memo():
    """The values this scope has computed ({key: value}), or None outside one."""
    scope = _scope.get()
    return None if scope is None else scope["memo"]


@contextmanager
def working_out_a_change():
    """
    Around what a change's receiver reads in the change's own transaction (publishing.cache_tags:
    a page's new neighbours): nothing read then is kept beyond it (publishing.freshness), as it
    may hold what is not committed yet — or never will be.
    """
    token = _changing.set(True)
    try:
        yield
    finally:
        _changing.reset(token)


def within_a_change():
    return _changing.get()
