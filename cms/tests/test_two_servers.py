"""
Two app servers, one truth: two gunicorn servers (production settings) on different loopback
ports share PostgreSQL and Redis. An editor publishes through one; the other's cached GraphQL
answer changes within a second, and a webhook reaches a local listener.

Runs against PostgreSQL with the local Redis (CI's PostgreSQL suite); skipped on SQLite, whose
test database lives in this process only.
"""

import json
import os
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from news.factories import NewsPageFactory
from testing.services import GunicornServer, WebhookListener, need_service

PROJECT = Path(settings.BASE_DIR)
REDIS_DB = 11
WEBHOOK_SECRET = secrets.token_urlsafe(48)
NEWS = "{ newsPages(perPage: 5) { items { title slug } pagination { total } } }"


# serialized_rollback: the data migrations made (root page, locale) is back for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def production_environment(tmp_path, **overrides):
    if connection.vendor != "postgresql":
        pytest.skip("servers need a database the test can share: run with DATABASE_URL=postgres://...")
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url(),
        "STATIC_ROOT": str(tmp_path / "static"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "2",
        "GUNICORN_ACCESS_LOG": "-",
        **overrides,
    }


@pytest.fixture
def two_servers(tmp_path):
    if connection.vendor == "postgresql":  # on SQLite, production_environment skips the test
        need_service("redis")
    listener = WebhookListener()
    env = production_environment(
        tmp_path,
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        WEBHOOK_URLS=listener.url,
        WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()
    servers = [GunicornServer(env, tmp_path), GunicornServer(env, tmp_path)]
    try:
        for server in servers:
            server.wait_ready()
        yield servers, listener
    finally:
        for server in servers:
            server.stop()
        listener.stop()
        redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()


@pytest.fixture
def workers_without_redis(tmp_path):
    """One server, four worker processes, no REDIS_URL: what production falls back to."""
    env = production_environment(tmp_path, REDIS_URL="", GUNICORN_WORKERS="4", GUNICORN_THREADS="1")
    server = GunicornServer(env, tmp_path)
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def log_in(server, username, password):
    """The admin's login form, as a browser posts it (CSRF cookie and field, Referer over https)."""
    csrf = secrets.token_hex(16)  # a 32-character secret: valid as both cookie and field
    status, headers, _body = server.request(
        "/admin/login/",
        urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
        ).encode(),
        {
            "Cookie": f"csrftoken={csrf}",
            "Referer": "https://127.0.0.1/admin/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302, server.tail()
    # Logging in rotates the CSRF secret and starts a session.
    cookies = dict(cookie.split(";")[0].split("=", 1) for cookie in headers.get_all("Set-Cookie"))
    return f"csrftoken={cookies['csrftoken']}; sessionid={cookies['sessionid']}", cookies["csrftoken"]


def test_publishing_through_one_server_changes_the_other_within_a_second(two_servers, news_index, settings):
    (first, second), listener = two_servers
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]  # what the servers check
    NewsPageFactory(
        parent=news_index, title="Bắc Kạn – Hà Nội: hợp tác nông nghiệp"
    ).save_revision().publish()
    get_user_model().objects.create_superuser("bien-tap", password="mat-khau-dai-123")

    # Both servers answer from the one shared cache.
    assert first.graphql(NEWS)[0] == "MISS"
    assert first.graphql(NEWS)[0] == "HIT"
    cached, before = second.graphql(NEWS)
    assert cached == "HIT"
    assert before["newsPages"]["pagination"]["total"] == 1

    # An editor publishes a draft through the first server (the admin's bulk "Publish" action).
    draft = NewsPageFactory(
        parent=news_index, title="Đồng Phúc: Trường Tiểu học được hỗ trợ 1 tỷ đồng", live=False
    )
    draft.save_revision()
    cookies, csrf = log_in(first, "bien-tap", "mat-khau-dai-123")
    published_at = time.monotonic()
    admin_action(first, cookies, csrf, "publish", draft)

    # The second server's answer changes within a second.
    deadline = published_at + 1.0
    while True:
        _cache, after = second.graphql(NEWS)
        if after["newsPages"]["pagination"]["total"] == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert after["newsPages"]["pagination"]["total"] == 2, "the second server still answers the old list"
    assert after["newsPages"]["items"][0]["slug"] == "dong-phuc-truong-tieu-hoc-duoc-ho-tro-1-ty-dong"

    # And the first server told the frontend.
    assert listener.arrived.wait(10), "no webhook arrived"
    headers, payload = listener.requests[0]["headers"], json.loads(listener.requests[0]["body"])
    assert (payload["event"], payload["id"]) == ("page.published", draft.pk)
    assert payload["urlPath"] == "/tin-tuc/dong-phuc-truong-tieu-hoc-duoc-ho-tro-1-ty-dong/"
    assert headers["X-Newsroom-Signature"].startswith("sha256=")


def admin_action(server, cookies, csrf, action, page):
    """One of the admin's bulk page actions ("publish", "unpublish"), as its form posts it."""
    status, _headers, _body = server.request(
        f"/admin/bulk/wagtailcore/page/{action}/?id={page.pk}&next=/admin/",
        urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "include_descendants": ""}).encode(),
        {
            "Cookie": cookies,
            "Referer": "https://127.0.0.1/admin/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302, server.tail()


def test_without_redis_no_worker_serves_an_unpublished_page(workers_without_redis, news_index, settings):
    """Each worker used to keep its own cache: 5 of 30 requests still got an unpublished page."""
    server = workers_without_redis
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    page = NewsPageFactory(parent=news_index, title="Tin sẽ bị gỡ")
    page.save_revision().publish()
    get_user_model().objects.create_superuser("bien-tap", password="mat-khau-dai-123")
    # Every worker answers (and caches) the list; new connections spread over the workers.
    answers = [server.graphql(NEWS) for _ in range(30)]
    assert all(data["newsPages"]["pagination"]["total"] == 1 for _cache, data in answers)
    assert "HIT" in {cache for cache, _data in answers}

    cookies, csrf = log_in(server, "bien-tap", "mat-khau-dai-123")
    admin_action(server, cookies, csrf, "unpublish", page)
    totals = [server.graphql(NEWS)[1]["newsPages"]["pagination"]["total"] for _ in range(30)]
    assert totals == [0] * 30
