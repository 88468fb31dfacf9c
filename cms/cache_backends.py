"""
A Redis cache that degrades instead of failing: when Redis is unreachable, reads miss, writes are
dropped and the site goes on uncached (every cached value here can be computed again). After a
failure the process leaves Redis alone for a short while, so a Redis that hangs costs one timeout
per few seconds, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("cms.cache")


class ReusedRedisCacheClient(RedisCacheClient):
    """
    One Redis client per connection pool, made once: Django makes a client for every cache call,
    and a client builds its table of some 170 response callbacks when made (about 0.15 ms each,
    several times a request). Clients are thread-safe: they take connections from the pool.
    """

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # the first server for writes, any other for reads
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class TolerantRedisCache(RedisCache):
    retry_after = 2.0  # seconds without trying Redis after it failed
    # Django makes one cache object per thread: what is known of each server is shared by all.
    _down_until_by_server = {}

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))  # settings.CACHES itself stays as it is
        self.retry_after = float(options.pop("retry_after", self.retry_after))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedRedisCacheClient
        self._server_key = server if isinstance(server, str) else ",".join(server)

    @property
    def _down_until(self):
        return self._down_until_by_server.get(self._server_key, 0.0)

    @_down_until.setter
    def _down_until(self, moment):
        self._down_until_by_server[self._server_key] = moment

    def _guarded(name, fallback):  # builds the methods below, at class creation
        def method(self, *args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(args, kwargs)
            try:
                # Not a method itself: zero-argument super() has no class to look at here.
                return getattr(super(TolerantRedisCache, self), name)(*args, **kwargs)  # noqa: UP008
            except RedisError as error:
                self._down_until = time.monotonic() + self.retry_after
                logger.warning(
                    "Redis cache unavailable (%s: %s); serving uncached", type(error).__name__, error
                )
                return fallback(args, kwargs)

        method.__name__ = name
        return method

    def _default(args, kwargs):  # get(key, default=None)
        return kwargs.get("default", args[1] if len(args) > 1 else None)

    get = _guarded("get", _default)
    get_many = _guarded("get_many", lambda args, kwargs: {})
    has_key = _guarded("has_key", lambda args, kwargs: False)
    add = _guarded("add", lambda args, kwargs: False)
    set = _guarded("set", lambda args, kwargs: None)
    set_many = _guarded("set_many", lambda args, kwargs: list(args[0]) if args else [])
    touch = _guarded("touch", lambda args, kwargs: False)
    delete = _guarded("delete", lambda args, kwargs: False)
    delete_many = _guarded("delete_many", lambda args, kwargs: None)
    clear = _guarded("clear", lambda args, kwargs: False)

    def incr(self, key, delta=1, version=None):
        # ValueError (missing key) is part of the contract; an unreachable Redis is not.
        if time.monotonic() < self._down_until:
            raise ValueError("Redis is unavailable")
        try:
            return super().incr(key, delta, version)
        except RedisError as error:
            self._down_until = time.monotonic() + self.retry_after
            logger.warning("Redis cache unavailable (%s: %s); serving uncached", type(error).__name__, error)
            raise ValueError("Redis is unavailable") from error

    del _guarded, _default
