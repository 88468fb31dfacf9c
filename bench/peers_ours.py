"""
Our side of the side-by-side benchmark (bench/peers.py): the SQLite database with the generated
news (step 3), the environment of our production settings, and our gunicorn (step 4).
"""

import contextlib
import os
import secrets
import sqlite3
import sys
import time

from bench.peers_processes import (
    DATA,
    HOST,
    ROOT,
    BenchError,
    Server,
    base_environment,
    http_request,
    log,
    run,
    wait_until,
)

REDIS_URL = "redis://127.0.0.1:6379/14"
MIGRATE_TIMEOUT = 900


def our_environment(database, temp, port):
    """The variables of every manage.py and gunicorn call: production settings, no response cache."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#%^&*(-_=+)"
    return {
        **base_environment(),
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": REDIS_URL,
        "GRAPHQL_RESPONSE_CACHE_SECONDS": "0",
        "STATIC_ROOT": str(temp / "static"),
        "MEDIA_ROOT": str(DATA / "media"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(temp / "gunicorn-access.log"),
        "GUNICORN_BIND": f"{HOST}:{port}",
        # Any GUNICORN_* the caller sets (threads, workers) is passed on: to compare set-ups.
        **{
            key: value
            for key, value in os.environ.items()
            if key.startswith("GUNICORN_") and key != "GUNICORN_BIND"
        },
    }


def count_news_pages(database):
    with contextlib.closing(sqlite3.connect(database, timeout=30)) as connection:
        return connection.execute("SELECT count(*) FROM news_newspage").fetchone()[0]


def prepare_our_data(database, pages, env):
    """Migrate, load the demo content, generate news up to `pages`; returns seconds spent generating."""
    manage = [sys.executable, "manage.py"]
    log(f"Migrating {database.relative_to(ROOT)}")
    run([*manage, "migrate", "--no-input", "-v", "0"], env=env, timeout=MIGRATE_TIMEOUT)
    run([*manage, "load_demo_content"], env=env, timeout=MIGRATE_TIMEOUT)
    existing = count_news_pages(database)
    if existing >= pages:
        log(f"{existing} news pages already there")
        return 0.0
    log(f"Generating {pages - existing} news pages ({existing} already there)")
    started = time.monotonic()
    run([*manage, "generate_news", str(pages - existing)], env=env, timeout=MIGRATE_TIMEOUT + pages // 10)
    return time.monotonic() - started


def flush_redis():
    """Empty db 14 of the local Redis, which only this benchmark uses."""
    import redis  # in the virtualenv: django-redis needs it

    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {REDIS_URL} does not answer: {error}") from error


def start_ours(env, temp):
    server = Server(
        "our gunicorn",
        # gunicorn 27 opens a control socket, by default ~/.gunicorn/gunicorn.ctl: another
        # gunicorn on this machine (make serve) must keep its own.
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "cms/gunicorn.conf.py",
            "--control-socket",
            str(temp / "ctl"),
        ],
        cwd=ROOT,
        env=env,
        log_path=temp / "gunicorn.log",
    )
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])

    def ready():
        status, answer = http_request(port, "GET", "/readyz", timeout=5)
        return status == 200 and isinstance(answer, dict) and answer.get("status") == "ok"

    wait_until(server, ready, "/readyz answering {'status': 'ok'}")
    return server
