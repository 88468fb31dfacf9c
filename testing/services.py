"""
For tests that talk to real local services (loopback only): what each service is and how a test
says it needs one (`requires_service`), free ports, a webhook listener, a gunicorn server, Varnish
in front of servers (the shipped ops/varnish/newsroom.vcl).

A test needing PostgreSQL, Redis, nginx, Chromium or another program of the machine says so:

    @requires_service("redis")                      # a test (or `pytestmark = ...`, a module)
    pytest.param("postgresql", marks=requires_service("postgresql-client", "postgresql"))
    need_service("chromium")                        # in a fixture, when only it knows

Where the service is missing the test is skipped; with NEWSROOM_REQUIRE_SERVICES=1 (CI) it fails
instead. The services are the keys of SERVICES.
"""

import functools
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
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


def varnishd_path():
    """The varnishd program (Debian's `varnish`: /usr/sbin, often outside a user's PATH), or None."""
    return shutil.which("varnishd") or ("/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None)


@functools.cache
def _varnish():
    """varnishd is there and compiles a VCL importing the vmods ops/varnish/newsroom.vcl needs."""
    varnishd = varnishd_path()
    if varnishd is None:
        return "varnishd is not installed (apt-get install varnish varnish-modules)"
    with tempfile.TemporaryDirectory() as folder:
        Path(folder).chmod(0o755)  # run as root, varnishd reads the VCL as its own unprivileged user
        vcl = Path(folder) / "check.vcl"
        vcl.write_text(
            "vcl 4.1;\nimport directors;\nimport std;\nimport var;\nimport xkey;\n"
            'backend default { .host = "127.0.0.1"; .port = "9"; }\n'
        )
        vcl.chmod(0o644)
        checked = subprocess.run(  # noqa: S603
            [varnishd, "-C", "-f", str(vcl), "-n", str(Path(folder) / "work")],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    if checked.returncode:
        error = " ".join(checked.stderr.split())[-300:]
        return f"varnishd cannot load the xkey and var vmods (apt-get install varnish-modules): {error}"
    return None


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
    # Varnish 7 with the xkey and var vmods (Debian's varnish and varnish-modules).
    "varnish": _varnish,
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


def wait_for(condition, seconds=10):
    """
    Whether `condition()` came true within `seconds`, polled gently: what background senders
    (webhooks, purges) record meanwhile may lock a table of the in-memory SQLite test database
    (its cache is shared between threads, with no busy timeout), so a failed poll is tried again.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except Exception:  # noqa: S110 - "database table is locked" while a sender records its result
            pass
        time.sleep(0.1)
    return False


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


VARNISH_VCL = PROJECT / "ops" / "varnish" / "newsroom.vcl"
# The VCL's backend section, replaced by the servers a copy is made for (varnish_vcl).
VARNISH_BACKENDS = re.compile(r"^# --- BACKENDS\b.*?^# --- END BACKENDS\b[^\n]*\n", re.MULTILINE | re.DOTALL)


def varnish_vcl(servers, source=None):
    """
    The shipped VCL (or `source`) with its backend section replaced by `servers` — (host, port)
    pairs, taken in turn (round robin) — each probed at /healthz as the shipped one is.
    """
    source = VARNISH_VCL.read_text() if source is None else source
    assert servers and len(VARNISH_BACKENDS.findall(source)) == 1, "no BACKENDS section in the VCL"
    section = ["# --- BACKENDS (written by testing/services.py)"]
    section += [
        "probe app_alive {",
        '    .url = "/healthz";',
        "    .interval = 1s;",
        "    .timeout = 1s;",
        "    .window = 3;",
        "    .threshold = 2;",
        "    .initial = 2;",
        "}",
    ]
    for number, (host, port) in enumerate(servers, 1):
        section += [
            f"backend app{number} {{",
            f'    .host = "{host}";',
            f'    .port = "{port}";',
            "    .probe = app_alive;",
            "    .connect_timeout = 2s;",
            "    .first_byte_timeout = 60s;",
            "}",
        ]
    section += ["sub vcl_init {", "    new app_servers = directors.round_robin();"]
    section += [f"    app_servers.add_backend(app{number});" for number in range(1, len(servers) + 1)]
    section += ["}", "# --- END BACKENDS", ""]
    return VARNISH_BACKENDS.sub(lambda _match: "\n".join(section), source)


# varnishd's parameters, as ops/varnish/varnish.service.d/newsroom.conf sets them in production:
# room for the origin's tag header (8 KB by default, past which Varnish fails the fetch with a 503).
VARNISH_PARAMETERS = {"http_resp_hdr_len": "32k", "http_resp_size": "64k", "workspace_backend": "128k"}


class VarnishServer:
    """
    varnishd on a free loopback port in front of `servers` ((host, port) pairs, or ports on
    127.0.0.1), running a copy of ops/varnish/newsroom.vcl (or `vcl`, a text with the same
    BACKENDS section) with those backends. Its working directory (`-n`, for varnishstat) is a
    fresh folder under `folder` (or a temporary one); `stop()` ends it by its PID.
    """

    def __init__(self, servers, folder=None, vcl=None, memory="64m"):
        self.servers = [("127.0.0.1", server) if isinstance(server, int) else server for server in servers]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # Readable by varnishd's unprivileged users when it runs as root (mkdtemp makes 0700 folders).
        self.folder = Path(tempfile.mkdtemp(prefix=f"varnish-{self.port}-", dir=folder))
        self.folder.chmod(0o755)
        self.workdir = self.folder / "work"
        self.vcl = self.folder / "newsroom.vcl"
        self.vcl.write_text(varnish_vcl(self.servers, vcl))
        self.vcl.chmod(0o644)
        self.pidfile = self.folder / "varnishd.pid"
        self.log = open(self.folder / "varnishd.log", "w+b")
        self.process = subprocess.Popen(  # noqa: S603
            [
                varnishd_path() or "varnishd",
                "-F",  # in the foreground: this process is Varnish's manager, stopped by its PID
                "-a",
                f"127.0.0.1:{self.port}",
                "-T",
                "127.0.0.1:0",
                "-f",
                str(self.vcl),
                "-n",
                str(self.workdir),
                "-P",
                str(self.pidfile),
                "-s",
                f"malloc,{memory}",
                *[arg for name, value in VARNISH_PARAMETERS.items() for arg in ("-p", f"{name}={value}")],
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds=30):
        """Until Varnish answers a PURGE of a tag nothing carries (its own answer: no backend asked)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if self.purge("newsroom-ready-check")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"Varnish on {self.port} did not answer:\n{self.tail()}")

    def request(self, path, method="GET", data=None, headers=None, timeout=10):
        """(status, headers, body) of one request through Varnish; redirects are not followed."""
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path, data=data, method=method, headers=headers or {}
        )
        try:
            with urllib.request.build_opener(NoRedirects).open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def purge(self, *tags):
        """`PURGE /` with `xkey-purge: <tags>` as the CMS sends it (no header without tags)."""
        return self.request("/", "PURGE", headers={"xkey-purge": " ".join(tags)} if tags else {}, timeout=5)

    def varnishadm(self, *command):
        """Output of a command of Varnish's CLI (`varnishadm -n WORKDIR ...`), e.g. "ban", "req.url ~ ."."""
        return subprocess.run(  # noqa: S603
            [shutil.which("varnishadm") or "/usr/bin/varnishadm", "-n", str(self.workdir), *command],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout

    def counters(self):
        """varnishstat's counters, name → value (MAIN.cache_hit, MAIN.cache_miss, ...)."""
        output = subprocess.run(  # noqa: S603
            [shutil.which("varnishstat") or "/usr/bin/varnishstat", "-n", str(self.workdir), "-1", "-j"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        data = json.loads(output)
        data = data.get("counters", data)  # Varnish 6.5+ nests them under "counters"
        return {
            name: item["value"] for name, item in data.items() if isinstance(item, dict) and "value" in item
        }

    def tail(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the manager stops its child, then itself
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        if not self.log.closed:
            self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
