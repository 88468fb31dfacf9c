"""
Services the load test drives: PostgreSQL, Redis, the app (gunicorn, one or more servers) and
Varnish in front of them (--varnish), each on loopback only.
"""

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from testing.services import SERVICES, VarnishServer

from .common import ROOT, free_port, log, require_loopback, run, tool


class Postgres:
    """The local cluster behind --postgres-url: throwaway databases, stop and start."""

    def __init__(self, url):
        require_loopback(url, "PostgreSQL")
        self.url = url.rstrip("/")
        parts = urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port or 5432
        self.version = self.name = None

    def psql(self, sql, database="postgres"):
        command = ["psql", f"{self.url}/{database}", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]
        return run(command, capture_output=True, text=True).stdout.strip()

    def server_version(self):
        return self.psql("SHOW server_version")

    def find_cluster(self):
        """Version and name of the cluster on our port (`pg_lsclusters`), for pg_ctlcluster."""
        listing = run(["pg_lsclusters", "--no-header"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            version, name, port, *_ = line.split()
            if int(port) == self.port:
                self.version, self.name = version, name
                return
        sys.exit(f"No local PostgreSQL cluster on port {self.port} (pg_lsclusters): cannot restart it")

    def ctl(self, action, check=True):
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", self.version, self.name, action]
        return run(command, check=check, capture_output=True, text=True)

    def running(self):
        return self.ctl("status", check=False).returncode == 0

    def ready(self):
        command = ["pg_isready", "-q", "-h", self.host, "-p", str(self.port)]
        return run(command, check=False).returncode == 0

    def stop(self):
        self.ctl("stop")  # "fast": rolls back open transactions and disconnects every client

    def start(self):
        if not self.running():  # (a stop that failed half-way may have left it running)
            self.ctl("start")
        deadline = time.monotonic() + 30
        while not self.ready():
            if time.monotonic() > deadline:
                raise RuntimeError("PostgreSQL did not accept connections 30 s after starting")
            time.sleep(0.1)

    def ensure_running(self):
        if self.version and not self.running():
            log(f"PostgreSQL {self.version}/{self.name} is down: starting it again")
            self.start()

    def drop_stale(self):
        """Drop databases of earlier runs whose driver process is gone."""
        names = self.psql("SELECT datname FROM pg_database WHERE datname LIKE 'newsroom_load_%'")
        for name in names.split():
            pid = name.rsplit("_", 1)[-1]
            if pid.isdigit() and not Path(f"/proc/{pid}").exists():
                log(f"dropping {name}, left by an earlier run")
                self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Redis:
    """The Redis server behind --redis-url: flush our database, shut it down, start it the same way."""

    def __init__(self, url):
        require_loopback(url, "Redis")
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port or 6379
        self.db = int(parts.path.strip("/") or 0)
        self.url = url
        self.start_command = None

    def cli(self, *args, check=True):
        command = ["redis-cli", "-h", self.host, "-p", str(self.port), *args]
        return run(command, check=check, capture_output=True, text=True, timeout=10)

    def ping(self):
        try:
            return self.cli("ping", check=False).stdout.strip() == "PONG"
        except subprocess.TimeoutExpired:
            return False

    def server_version(self):
        info = self.cli("info", "server").stdout
        return next(
            (line.split(":", 1)[1].strip() for line in info.splitlines() if "redis_version" in line), ""
        )

    def flush(self):
        self.cli("-n", str(self.db), "flushdb")

    def remember_configuration(self):
        """How to start this server again as it runs now (CONFIG GET), before stopping it."""

        def get(name):
            lines = self.cli("config", "get", name).stdout.splitlines()
            return lines[1] if len(lines) > 1 else ""

        self.start_command = [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            *(get("bind").split() or ["127.0.0.1"]),
            "--port",
            str(self.port),
            "--save",
            get("save"),
            "--appendonly",
            get("appendonly") or "no",
            "--dir",
            get("dir") or "/var/lib/redis",
        ]
        if logfile := get("logfile"):
            self.start_command += ["--logfile", logfile]

    def stop(self):
        self.cli("shutdown", "nosave", check=False)
        deadline = time.monotonic() + 10
        while self.ping():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis still answers 10 s after SHUTDOWN")
            time.sleep(0.05)

    def start(self):
        if not self.ping():
            run(self.start_command, capture_output=True, text=True)
        deadline = time.monotonic() + 15
        while not self.ping():
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not answer 15 s after starting")
            time.sleep(0.05)

    def ensure_running(self):
        if self.start_command and not self.ping():
            log("Redis is down: starting it again")
            self.start()


# Nothing from the caller's own deployment reaches the app: no S3 media, webhooks, search cluster,
# and no CDN to purge (VARNISH_PURGE_URLS is set below for the run's own Varnish only).
NOT_INHERITED = ("AWS_", "WEBHOOK_", "SEARCH_", "DJANGO_", "GUNICORN_", "GRAPHQL_")
NOT_INHERITED += ("VARNISH_", "CLOUDFLARE_", "FASTLY_", "CACHE_")


class App:
    """
    The CMS under gunicorn with the production settings, on a throwaway database: server `number`
    of the run (each on its own port, all on the same database and Redis).
    """

    def __init__(self, args, workdir, database_url, number=1):
        self.port = free_port()
        self.number = number
        self.base = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        inherited = {name: value for name, value in os.environ.items() if not name.startswith(NOT_INHERITED)}
        self.env = {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "cms.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no TLS-terminating proxy in front here.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "WAGTAILADMIN_BASE_URL": self.base,
            "PYTHONUNBUFFERED": "1",
        }
        if args.workers:
            self.env["GUNICORN_WORKERS"] = str(args.workers)
        suffix = "" if number == 1 else f"-{number}"
        self.access_log = workdir / f"gunicorn{suffix}-access.log"
        self.error_log = workdir / f"gunicorn{suffix}-error.log"
        self.process = None

    def manage(self, *argv):
        run([sys.executable, "manage.py", *argv], cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL)

    def prepare(self, news):
        log("migrating the throwaway database")
        self.manage("migrate", "--no-input", "-v", "0")
        log(f"loading the demo content and generating {news} news pages")
        self.manage("load_demo_content")
        self.manage("generate_news", str(news), "--seed", "1")
        self.manage("collectstatic", "--no-input", "-v", "0")

    def start(self):
        log(f"starting gunicorn on {self.base}")
        with open(self.access_log, "ab") as access, open(self.error_log, "ab") as errors:
            self.process = subprocess.Popen(
                [tool("gunicorn"), "-c", "cms/gunicorn.conf.py"],
                cwd=ROOT,
                env=self.env,
                stdout=access,
                stderr=errors,
                start_new_session=True,  # its own process group: stopped as a whole below
            )
        self.wait_ready(60)

    def readyz(self):
        """/readyz as a load balancer sees it: (HTTP status, its "status"), (0, error) without answer."""
        try:
            with urllib.request.urlopen(f"{self.base}/readyz", timeout=2) as response:  # noqa: S310
                return response.status, json.load(response).get("status")
        except urllib.error.HTTPError as error:
            with contextlib.suppress(ValueError):
                return error.code, json.load(error).get("status")
            return error.code, None
        except (urllib.error.URLError, OSError) as error:
            return 0, type(error).__name__

    def wait_ready(self, seconds):
        deadline = time.monotonic() + seconds
        while self.readyz()[0] != 200:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}); see {self.error_log}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"/readyz did not answer 200 within {seconds} s; see {self.error_log}")
            time.sleep(0.2)

    def graphql(self, query, variables=None, with_cache_header=False):
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            f"{self.base}/graphql/",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            payload = json.load(response)
            return (payload, response.headers.get("X-Cache")) if with_cache_header else payload

    def url_paths(self):
        """Every news page's urlPath, newest first (the locustfile's popularity ranking)."""
        paths = []
        query = "query($page: Int) { newsPages(page: $page, perPage: 100) { items { urlPath } } }"
        for page in range(1, 1000):
            items = self.graphql(query, {"page": page})["data"]["newsPages"]["items"]
            paths += [item["urlPath"] for item in items]
            if len(items) < 100:
                return paths
        return paths

    def error_log_size(self):
        return self.error_log.stat().st_size if self.error_log.exists() else 0

    def error_log_since(self, offset):
        with open(self.error_log, "rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace")

    def stop(self):
        if not self.process or self.process.poll() is not None:
            return
        log("stopping gunicorn")
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class Varnish:
    """
    Varnish running ops/varnish/newsroom.vcl in front of the app servers (round robin), started
    at once on a free loopback port (testing.services.VarnishServer); readers go through it and
    the app servers purge it (VARNISH_PURGE_URLS).
    """

    def __init__(self, ports):
        if reason := SERVICES["varnish"]():
            sys.exit(f"--varnish: {reason}")
        # (In the system temporary folder: varnishd runs as its own users, and workdir is 0700.)
        self.server = VarnishServer(ports, memory="256m")
        self.base = self.server.base
        log(f"started Varnish on {self.base} in front of {len(ports)} app server(s)")

    def wait_ready(self, seconds=60):
        """Until Varnish answers, and an app server's /readyz answers through it (probes healthy)."""
        self.server.wait_ready()
        deadline = time.monotonic() + seconds
        while True:
            with contextlib.suppress(OSError):
                if self.server.request("/readyz", timeout=5)[0] == 200:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"no app server answered through Varnish:\n{self.server.tail()}")
            time.sleep(0.2)

    def empty(self):
        """Ban every object: each scenario starts with an empty Varnish."""
        self.server.varnishadm("ban", "req.url ~ .")

    def counters(self):
        return self.server.counters()

    def graphql(self, query, variables=None, with_cache_header=False):
        """A GET through Varnish, as the readers send it; with the header, X-Varnish-Cache too."""
        path = "/graphql/?" + urlencode({"query": query, "variables": json.dumps(variables or {})})
        status, headers, body = self.server.request(path, timeout=30)
        if status != 200:
            raise RuntimeError(f"GET through Varnish answered {status}: {body[:300]!r}")
        payload = json.loads(body)
        return (payload, headers.get("X-Varnish-Cache")) if with_cache_header else payload

    def stop(self, outdir=None):
        if outdir is not None:
            (outdir / "varnishd.log").write_text(self.server.tail())
        self.server.stop()
