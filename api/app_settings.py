"""
The GraphQL endpoint's settings, with their defaults: `app_settings.GRAPHQL_MAX_DEPTH` is the
Django setting of that name when the project sets one (cms/settings/base.py sets it from the
environment variable of the same name), else the default below — read at each use, so tests'
`settings` fixture and override_settings apply (docs/development.md#settings-and-environment).
"""

from django.conf import settings

DEFAULTS = {
    # Serve GraphiQL (from our own static files, never a CDN) at /graphql/ for browsers.
    "GRAPHIQL_ENABLED": False,
    # Limits of the endpoint (docs/graphql.md#limits explains each default).
    # The largest request body, and the longest query or persisted document, in bytes (413 above).
    "GRAPHQL_MAX_BODY_BYTES": 32 * 1024,
    # Tokens the parser reads before refusing a document.
    "GRAPHQL_MAX_TOKENS": 1000,
    # Depth of an operation, through fragments; introspection is measured apart, to its own depth.
    "GRAPHQL_MAX_DEPTH": 6,
    "GRAPHQL_MAX_INTROSPECTION_DEPTH": 20,
    # Aliases and directives in an operation, through fragments.
    "GRAPHQL_MAX_ALIASES": 15,
    "GRAPHQL_MAX_DIRECTIVES": 50,
    # Fields an operation may resolve, each list counted at its items (api/costs.py).
    "GRAPHQL_MAX_COST": 100_000,
    # Operations in one document (only the named one runs).
    "GRAPHQL_MAX_OPERATIONS": 10,
    # Operations in one batched request (a JSON array); 0 refuses batches.
    "GRAPHQL_MAX_BATCH": 0,
    # PostgreSQL's statement_timeout for each request's queries, in milliseconds.
    "GRAPHQL_STATEMENT_TIMEOUT_MS": 5000,
    # The largest answer, in bytes: a larger one is replaced by an error.
    "GRAPHQL_MAX_RESPONSE_BYTES": 2 * 1024 * 1024,
    # Seconds an operation may resolve before it is stopped with an error.
    "GRAPHQL_EXECUTION_BUDGET_SECONDS": 2.0,
    # `__schema` and `__type` answered (off: refused; `__typename` always works).
    "GRAPHQL_INTROSPECTION": True,
    # "Did you mean ...?" hints in error messages.
    "GRAPHQL_FIELD_SUGGESTIONS": True,
    # Unexpected resolver exceptions reach clients as "Internal server error (request id ...)".
    "GRAPHQL_MASK_ERRORS": True,
    # Items a page of `newsPages` and `search` holds when `perPage` is absent, and the most
    # `perPage` (and `children(limit:)` of any page) may ask for. Older environment variables:
    # NEWS_PAGE_SIZE, NEWS_MAX_PAGE_SIZE.
    "GRAPHQL_PAGE_SIZE": 10,
    "GRAPHQL_MAX_PAGE_SIZE": 100,
    # `sitemap`: every public page's path, a thousand a page by default (a sitemap file holds
    # 50,000), at most this many.
    "SITEMAP_PAGE_SIZE": 1000,
    "SITEMAP_MAX_PAGE_SIZE": 5000,
    # `related` on a news page: at most this many items (news/related.py chooses them).
    "RELATED_NEWS_MAX_LIMIT": 20,
    # The lean executor (api.execution): plain fields read without graphql-core's per-field
    # machinery. Off: graphql-core's own execution, with the budget and stored answers' projection
    # (docs/read-path.md).
    "GRAPHQL_LEAN_EXECUTION": True,
    # Response cache for anonymous queries (api.cache), and HTTP caching of GET answers
    # (docs/performance.md#the-response-cache).
    # Lifetime of a cached answer, in seconds (0 turns the cache off).
    "GRAPHQL_RESPONSE_CACHE_SECONDS": 300,
    # Seconds a request waits for another computing the same answer.
    "GRAPHQL_RESPONSE_CACHE_LOCK_WAIT": 2.0,
    # Larger answers are served but not cached, in bytes.
    "GRAPHQL_RESPONSE_CACHE_MAX_BYTES": 1024 * 1024,
    # Persisted queries: the longest document remembered, in bytes, and for how many seconds.
    "GRAPHQL_PERSISTED_QUERY_MAX_BYTES": 16 * 1024,
    "GRAPHQL_PERSISTED_QUERY_SECONDS": 30 * 24 * 3600,
}


def __getattr__(name):
    """The setting `name` when the project sets it, else its default here."""
    if name not in DEFAULTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(settings, name, DEFAULTS[name])
