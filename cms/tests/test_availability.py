"""Database outages answer 503 with Retry-After; a Redis outage only costs the cache."""

import pytest
from django.core.cache import caches
from django.db.utils import OperationalError
from django.test import Client

from cms.cache_backends import TolerantRedisCache
from testing.graphql import post_query
from testing.services import free_port, requires_service

NEWS = "{ newsPages { items { title } } }"


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_database_gone_before_execution_is_a_503(quiet_client, monkeypatch, caplog):
    def lost(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("api.views.run_operation", lost)
    with caplog.at_level("WARNING", logger="api"):
        response = post_query(quiet_client, NEWS)
    # One line, no traceback: an outage must not flood the log.
    [record] = [record for record in caplog.records if record.name == "api"]
    assert record.exc_info is None and "Connection refused" in record.getMessage()
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    [error] = response.json()["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}


@pytest.mark.django_db
def test_database_gone_inside_a_resolver_is_a_503_not_data_with_holes(demo, quiet_client, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("news.graphql.news_in", lost)
    response = post_query(quiet_client, NEWS)
    assert response.status_code == 503, response.content
    assert response.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


@pytest.mark.django_db
def test_admin_gets_a_readable_503(quiet_client, monkeypatch):
    def lost(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", lost)
    response = quiet_client.get("/admin/", HTTP_COOKIE="sessionid=" + "a" * 32)
    assert response.status_code == 503
    assert "thử lại" in response.content.decode()


@pytest.mark.django_db
def test_other_errors_stay_500(quiet_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("api.views.run_operation", broken)
    response = post_query(quiet_client, NEWS)
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL"}


@pytest.fixture
def dead_redis():
    return TolerantRedisCache(
        f"redis://127.0.0.1:{free_port()}/0",
        {"OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}},
    )


def test_unreachable_redis_misses_and_drops_writes(dead_redis):
    assert dead_redis.get("k") is None
    assert dead_redis.get("k", "fallback") == "fallback"
    assert dead_redis.set("k", 1) is None
    assert dead_redis.add("k", 1) is False
    assert dead_redis.get_many(["a", "b"]) == {}
    assert dead_redis.delete("k") is False
    with pytest.raises(ValueError):
        dead_redis.incr("k")


def test_unreachable_redis_is_left_alone_for_a_while(dead_redis, monkeypatch):
    dead_redis.get("k")
    calls = []
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", lambda *a, **k: calls.append(a))
    assert dead_redis.get("k") is None
    assert calls == []  # inside retry_after: no new connection attempt


@requires_service("redis")
def test_reachable_redis_works_as_usual():
    cache = TolerantRedisCache("redis://127.0.0.1:6379/9", {"KEY_PREFIX": "newsroom-test"})
    cache.set("k", "Đồng Phúc")
    assert cache.get("k") == "Đồng Phúc"
    assert cache.incr("n", 1) if cache.add("n", 1) else True
    cache.delete_many(["k", "n"])


@requires_service("redis")
def test_one_redis_client_per_server_writes_going_to_the_first():
    """Clients are made once per connection pool, and writes still go to the first server."""
    cache = TolerantRedisCache("redis://127.0.0.1:6379/9,redis://127.0.0.1:6379/10", {})
    client = cache._cache
    writer = client.get_client(write=True)
    assert writer is client.get_client(write=True)
    assert writer.connection_pool is client._pools[0]
    assert client.get_client().connection_pool is client._pools[1]  # reads: the other server
    cache.set("k", "Bắc Kạn")
    assert writer.get(cache.make_and_validate_key("k")) is not None
    writer.delete(cache.make_and_validate_key("k"))


@pytest.mark.django_db
def test_graphql_answers_uncached_when_redis_is_down(demo, client, settings, monkeypatch):
    settings.CACHES = {
        alias: {
            "BACKEND": "cms.cache_backends.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
        for alias in ("default", "renditions")
    }
    caches._settings = caches.settings = settings.CACHES  # rebuilt lazily below
    for alias in ("default", "renditions"):
        if hasattr(caches._connections, alias):
            delattr(caches._connections, alias)

    def no_waiting(seconds):
        raise AssertionError("waited for a lock nobody can hold while Redis is down")

    monkeypatch.setattr("api.cache.time.sleep", no_waiting)
    try:
        for _ in range(2):
            response = post_query(client, NEWS)
            assert response.status_code == 200
            assert response.json()["data"]["newsPages"]["items"], response.json()
            assert response["X-Cache"] == "MISS"
        assert client.get("/readyz").json() == {"status": "degraded", "database": "ok", "cache": "failing"}
    finally:
        for alias in ("default", "renditions"):
            if hasattr(caches._connections, alias):
                delattr(caches._connections, alias)


class FakePsycopgError(Exception):
    def __init__(self, pgcode):
        super().__init__(pgcode)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("pgcode", "outage"),
    [
        (None, True),  # connection refused, server closed the connection
        ("08006", True),  # connection failure
        ("57P01", True),  # admin shutdown
        ("57P03", True),  # cannot connect now (starting up)
        ("57014", False),  # statement timeout: this query, not the server
        ("40P01", False),  # deadlock
        ("55P03", False),  # lock not available
    ],
)
def test_only_a_server_that_is_gone_counts_as_an_outage(pgcode, outage):
    from publishing.availability import database_unavailable

    error = OperationalError("…")
    error.__cause__ = FakePsycopgError(pgcode)
    assert database_unavailable(error) is outage


@pytest.mark.django_db
def test_scheduled_publishing_that_cannot_reach_the_database_leaves_the_answer_to_the_view(
    demo, quiet_client, monkeypatch, caplog
):
    post_query(quiet_client, NEWS)  # cached

    def lost(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("cms.middleware.publish_due_revisions", lost)
    response = post_query(quiet_client, NEWS)
    assert response.status_code == 200 and response["X-Cache"] == "HIT"
    [record] = [record for record in caplog.records if record.name == "cms.scheduling"]
    assert record.exc_info is None and "Connection refused" in record.getMessage()
