"""
The response cache of the GraphQL endpoint, and Apollo's automatic persisted queries.

Anonymous query responses are kept in Django's cache (in-process by default, Redis when
REDIS_URL is set) under a key made of the host, the *normalised* document (parsed and printed,
so whitespace and comments do not matter), the variables and the operation name, plus a content
version. Any change a response could show — a page published, unpublished, moved or deleted, a
sector, image, document, collection, redirect, site or view restriction saved or deleted — bumps
the version after the transaction commits, so every earlier entry is unreachable at once, on every
app server sharing the cache. Entries also never outlive the next scheduled go-live or expiry.

Responses to previews (any `token` argument) and to logged-in users are never cached. After an
invalidation, one request per key recomputes the response while the others wait for it (no
stampede).
"""

import hashlib
import json
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from graphql import GraphQLError, OperationType, parse, print_ast
from graphql.language import OperationDefinitionNode, Visitor, visit

from home.caching import content_version, seconds_to_next_scheduled_change

PERSISTED_PREFIX = "graphql:persisted:"


class Normalised:
    def __init__(self, query):
        document = parse(query, max_tokens=settings.GRAPHQL_MAX_TOKENS)
        self.text = print_ast(document)
        self.has_token = _has_token_argument(document)
        self.only_queries = all(
            definition.operation == OperationType.QUERY
            for definition in document.definitions
            if isinstance(definition, OperationDefinitionNode)
        )


class _TokenFinder(Visitor):
    found = False

    def enter_argument(self, node, *args):
        if node.name.value == "token":
            self.found = True
            return self.BREAK


def _has_token_argument(document):
    finder = _TokenFinder()
    visit(document, finder)
    return finder.found


@lru_cache(maxsize=2048)
def normalise(query):
    """The parsed-and-printed form of a document (cached per process); None if it does not parse."""
    try:
        return Normalised(query)
    except (GraphQLError, RecursionError):
        return None


def cache_key(request, normalised, variables, operation_name):
    material = json.dumps(
        [request.get_host(), content_version(), normalised.text, variables, operation_name],
        sort_keys=True,
        ensure_ascii=False,
    )
    return "graphql:response:" + hashlib.sha256(material.encode()).hexdigest()


def cacheable(request, normalised):
    """Anonymous queries only: never previews (a `token` argument), never logged-in users."""
    if settings.GRAPHQL_RESPONSE_CACHE_SECONDS <= 0 or normalised is None:
        return False
    if not normalised.only_queries or normalised.has_token:
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def fetch_or_compute(key, compute):
    """
    The cached entry for `key`, or `compute()`'s — computed by one request at a time: the others
    wait (up to GRAPHQL_RESPONSE_CACHE_LOCK_WAIT seconds) for it to appear. `compute` returns
    (entry, keep): only entries with keep=True are stored.
    """
    entry = cache.get(key)
    if entry is not None:
        return entry, True
    lock = key + ":lock"
    deadline = time.monotonic() + settings.GRAPHQL_RESPONSE_CACHE_LOCK_WAIT
    while not cache.add(lock, True, timeout=30):
        if cache.get(lock) is None:
            # Nobody holds the lock after all: it was released as we looked (with the entry
            # stored, or after a failed computation), or the cache is not answering (Redis down:
            # every add fails). Waiting would only make this request slower.
            entry = cache.get(key)
            if entry is not None:
                return entry, True
            return compute()[0], False
        if time.monotonic() > deadline:
            return compute()[0], False
        time.sleep(0.02)
        entry = cache.get(key)
        if entry is not None:
            return entry, True
    try:
        entry, keep = compute()
        ttl = min(settings.GRAPHQL_RESPONSE_CACHE_SECONDS, seconds_to_next_scheduled_change())
        if keep and ttl >= 1:
            cache.set(key, entry, timeout=int(ttl))
        return entry, False
    finally:
        cache.delete(lock)


def remember_persisted_query(sha256, query):
    cache.set(PERSISTED_PREFIX + sha256, query, timeout=settings.GRAPHQL_PERSISTED_QUERY_SECONDS)


def persisted_query(sha256):
    return cache.get(PERSISTED_PREFIX + sha256)
