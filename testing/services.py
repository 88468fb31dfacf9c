"""
For tests that talk to real local services (loopback only): what each service is and how a test
says it needs one (`requires_service`), free ports, a webhook listener, a gunicorn server.

A test needing PostgreSQL, Redis, nginx, Chromium or another program of the machine says so:

    @requires_service("redis")                      # a test (or `pytestmark = ...`, a module)
    pytest.param("postgresql", marks=requires_service("postgresql-client", "postgresql"))
    need_service("chromium")                        # in a fixture, when only it knows

Where the service is missing the test is skipped; with NEWSROOM_REQUIRE_SERVICES=1 (CI) it fails
instead. The services are the keys of SERVICES.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
# Set by CI (.ci/run): a test whose service is missing fails instead of being skipped.
REQUIRE_SERVICES = "NEWSROOM_REQUIRE_SERVICES"


def free_port():
    """A loopback port nothing listens on (for a server to start on, or to find refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def postgresql_server():
    """
    Connection settings of a PostgreSQL server tests may create and drop databases on: the
    suite's own when it runs on PostgreSQL, else the local one (127.0.0.1:5432, user postgres).
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        db = connection.settings_dict
        server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
        server["password"] = db["PASSWORD"] or None
        return server
    return {"host": "127.0.0.1", "port": 5432, "user": "postgres", "password": None}


def nginx_path():
    """The nginx program, or None."""
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def chromium_path():
    """Debian's Chromium, or the one $CHROMIUM names (Playwright never downloads a browser here)."""
    return Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))


def _postgresql():
    import psycopg2

    server = postgresql_server()
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=3, **server).close()
    except psycopg2.OperationalError as error:
        return f"no PostgreSQL server at {server['host']}:{server['port']}: {error}"
    return None


def _programs(*names, install):
    missing = [name for name in names if shutil.which(name) is None]
    return f"{' and '.join(missing)} not installed ({install})" if missing else None


# name: a check returning None when the service is there, else why it is not.
SERVICES = {
    "postgresql": _postgresql,
    "postgresql-client": lambda: _programs(
        "pg_dump", "pg_restore", install="apt-get install postgresql-client"
    ),
    "redis": lambda: None if redis_answers() else "needs the local Redis on 127.0.0.1:6379",
    "nginx": lambda: None if nginx_path() else "nginx is not installed (apt-get install nginx-light)",
    "chromium": lambda: (
        None
        if chromium_path().is_file()
        else f"No Chromium at {chromium_path()}: `apt-get install -y chromium`, or set CHROMIUM."
    ),
    "make": lambda: _programs("make", install="apt-get install make"),
}


def requires_service(*names):
    """
    A mark: the test needs these services (keys of SERVICES). Missing, the test is skipped, or
    fails with NEWSROOM_REQUIRE_SERVICES=1. Checked before the test's fixtures are set up.
    """
    import pytest

    unknown = set(names) - set(SERVICES)
    assert names and not unknown, f"unknown services {unknown}: one of {sorted(SERVICES)}"
    return pytest.mark.requires_service(*names)


def need_service(name):
    """What the mark does, now: for a fixture that alone knows the service is needed."""
    import pytest

    reason = SERVICES[name]()
    if reason is None:
        return
    if os.environ.get(REQUIRE_SERVICES):
        pytest.fail(f"{reason} ({REQUIRE_SERVICES} is set: the test must run)")
    pytest.skip(reason)


# The secret tests sign webhooks with (webhooks/tests/conftest.py's `listener`).
WEBHOOK_SECRET = "một-bí-mật-đủ-dài-cho-chữ-ký-hmac-0123456789"


class WebhookListener:
    """
    A local HTTP server standing in for a frontend's revalidation endpoint: it records what it
    receives and answers `statuses` in turn (then 204). Clear `release` to make it hang.
    """

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.release.set()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                listener.release.wait(10)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                listener.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                listener.arrived.set()
                self.send_response(listener.statuses.pop(0) if listener.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/revalidate"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(request["body"])["event"] for request in self.requests]

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class GunicornServer:
    """`make serve`'s gunicorn (cms/gunicorn.conf.py) on a free loopback port, with `env`."""

    def __init__(self, env, log_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / f"gunicorn-{self.port}.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "cms/gunicorn.conf.py"],
            cwd=PROJECT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds=60, statuses=("ok",)):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=2) as response:  # noqa: S310
                    if json.load(response)["status"] in statuses:
                        return
            except (OSError, ValueError):
                time.sleep(0.2)
        raise AssertionError(f"server on {self.port} did not become ready:\n{self.tail()}")

    def tail(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path,
            data=data,
            # As behind a load balancer: one public host name, whichever server answers.
            headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})},
        )
        try:
            with urllib.request.build_opener(NoRedirects).open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def graphql(self, query):
        status, headers, body = self.request(
            "/graphql/", json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}
        )
        assert status == 200, body
        return headers.get("X-Cache"), json.loads(body)["data"]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
