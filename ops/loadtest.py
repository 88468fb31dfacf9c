"""
Load and fault test of the production stack on this machine: gunicorn with the production
settings, PostgreSQL and Redis, driven by locust with mixed frontend traffic (ops/locustfile.py).

    python ops/loadtest.py                                  # every scenario, 60 s each
    python ops/loadtest.py --scenario steady --users 20 --duration 30
    make loadtest LOADTEST_ARGS="--scenario redis-stop"

Scenarios:
  steady            mixed traffic for --duration seconds
  postgres-restart  the same, with PostgreSQL stopped at --fault-at for --pg-outage seconds
                    (at most 8) and started again: requests meanwhile should get a clean 503 JSON
                    answer, and the app must recover by itself
  redis-stop        the same, with Redis shut down at --fault-at for --redis-outage seconds and
                    started again with its own configuration: the app should go on, uncached

In every scenario an editor (ops/publisher.py) publishes a revision every --publish-every
seconds through the ORM; afterwards every revision it was told was saved must exist.

Everything stays on loopback and is bounded: a throwaway database newsroom_load_<pid> (migrated,
demo content plus --news generated pages), gunicorn on a free 127.0.0.1 port, Redis database
--redis-db (flushed), and locust for a fixed time. Whatever happens, stopped services are started
again, gunicorn is stopped and the database dropped. Prints Markdown tables; the JSON summary,
locust's CSV files and the logs go to ops/.results/. See docs/load-testing.md.
"""

import argparse
import contextlib
import json
import os
import re
import secrets
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
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from queries import PAGE_QUERY

ROOT = Path(__file__).resolve().parent.parent
OPS = ROOT / "ops"
RESULTS = OPS / ".results"
BIN = Path(sys.executable).parent
SCENARIOS = ("steady", "postgres-restart", "redis-stop")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_PG_OUTAGE = 8  # seconds: other people's tests share this PostgreSQL


def log(message):
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run(command, **kwargs)


def tool(name):
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: run `make loadtest`, which installs ops/requirements-load.txt")
    return found


def require_loopback(url, what):
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK and not host.startswith("127."):
        sys.exit(f"{what} must be on loopback (127.0.0.0/8 or ::1), not {host!r}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- Services -----------------------------------------------------------------------------------


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


class App:
    """The CMS under gunicorn with the production settings, on a throwaway database."""

    def __init__(self, args, workdir, database_url):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        inherited = {
            name: value
            for name, value in os.environ.items()
            # Nothing from the caller's own deployment: no S3 media, webhooks, search cluster.
            if not name.startswith(("AWS_", "WEBHOOK_", "SEARCH_", "DJANGO_", "GUNICORN_", "GRAPHQL_"))
        }
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
        self.access_log = workdir / "gunicorn-access.log"
        self.error_log = workdir / "gunicorn-error.log"
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


# --- Analysis -----------------------------------------------------------------------------------

# A record: [start (epoch s), request name, HTTP status (0: no answer), outcome, ms, X-Cache]
START, NAME, STATUS, OUTCOME, MS, XCACHE = range(6)


def percentile(ordered, share):
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(share / 100 * len(ordered) + 0.5) - 1))]


def summarise(records, seconds):
    ok = [record for record in records if record[OUTCOME] == "ok"]
    latencies = sorted(record[MS] for record in ok)
    return {
        "requests": len(records),
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(records) / seconds, 1) if seconds > 0 else None,
        "ok": len(ok),
        "errors": len(records) - len(ok),
        "ok_over_5s": sum(record[MS] > 5000 for record in ok),
        "error_rate": round((len(records) - len(ok)) / len(records), 4) if records else None,
        # Latency of successful answers: a quick 503 is not a fast answer.
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": latencies[-1] if latencies else None,
        "cache_hit_rate": round(sum(r[XCACHE] == "HIT" for r in ok) / len(ok), 3) if ok else None,
        "status_codes": dict(sorted(Counter(str(record[STATUS]) for record in records).items())),
        "outcomes": dict(Counter(record[OUTCOME] for record in records).most_common()),
    }


def per_request(records, seconds):
    names = sorted({record[NAME] for record in records})
    return {name: summarise([r for r in records if r[NAME] == name], seconds) for name in names}


def timeline(records, t0, readiness=()):
    """Per second since the start: requests, successes, cache hits, status codes, median latency,
    and what /readyz answered."""
    seconds, ready = {}, {}
    for record in records:
        seconds.setdefault(int(record[START] - t0), []).append(record)
    for started, status, state in readiness:
        if started >= t0:
            ready.setdefault(int(started - t0), Counter())[f"{status} {state}"] += 1
    rows = []
    for second in range(max(seconds, default=-1) + 1):
        bucket = seconds.get(second, [])
        ok = sorted(record[MS] for record in bucket if record[OUTCOME] == "ok")
        rows.append(
            {
                "second": second,
                "requests": len(bucket),
                "ok": len(ok),
                "cache_hits": sum(record[XCACHE] == "HIT" for record in bucket if record[OUTCOME] == "ok"),
                "status_codes": dict(sorted(Counter(str(record[STATUS]) for record in bucket).items())),
                "outcomes": dict(Counter(record[OUTCOME] for record in bucket).most_common()),
                "p50_ms": percentile(ok, 50),
                "readyz": dict(ready.get(second, {})),
            }
        )
    return rows


def between(records, start, end):
    return [record for record in records if start <= record[START] < end]


def fault_analysis(records, t0, end, events, readiness=()):
    """Before, during and after the fault; when answers came back (times in s from service_back)."""
    fault_start, service_back = events["fault_start"], events["service_back"]
    during = between(records, fault_start, service_back)
    after = between(records, service_back, end)
    first_ok = next((r for r in after if r[OUTCOME] == "ok"), None)
    first_miss = next((r for r in after if r[OUTCOME] == "ok" and r[XCACHE] != "HIT"), None)
    first_hit = next((r for r in after if r[OUTCOME] == "ok" and r[XCACHE] == "HIT"), None)
    failures_after = [r for r in after if r[OUTCOME] != "ok"]
    failures = [r for r in records if r[START] >= fault_start and r[OUTCOME] != "ok"]

    def done(record):  # seconds from the service's return to that answer's arrival
        return round(record[START] + record[MS] / 1000 - service_back, 3) if record else None

    unready = [sample for sample in readiness if sample[0] >= fault_start and sample[1] != 200]
    ready_again = next((s for s in readiness if s[0] >= service_back and s[1] == 200), None)
    return {
        "events": {name: round(value - t0, 3) for name, value in events.items()},
        "down_s": round(service_back - fault_start, 3),
        "before": summarise(between(records, t0, fault_start), fault_start - t0),
        "during": summarise(during, service_back - fault_start),
        "after": summarise(after, end - service_back),
        "first_ok_after_s": done(first_ok),
        "first_uncached_ok_after_s": done(first_miss),
        "first_cache_hit_after_s": done(first_hit),
        # The last failed answer, in s from the service's return (negative: before it came back).
        "last_error_after_s": done(failures[-1]) if failures else None,
        "errors_after": len(failures_after),
        "errors_after_by_outcome": dict(Counter(r[OUTCOME] for r in failures_after).most_common()),
        # What a load balancer polling /readyz saw: when it would take this server out and back.
        "readyz_not_ready_samples": len(unready),
        "readyz_not_ready": dict(Counter(f"{status} {state}" for _, status, state in unready)),
        "readyz_first_not_ready_s": round(unready[0][0] - fault_start, 3) if unready else None,
        "readyz_ready_again_after_s": round(ready_again[0] - service_back, 3) if ready_again else None,
    }


TRACEBACK_END = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Timeout|Refused|Exit))(?::\s*(.*))?$")


def log_analysis(text):
    """Exception types ending tracebacks, and the other log lines by kind (numbers folded)."""
    exceptions, samples, messages, lines = Counter(), {}, Counter(), Counter()
    for line in text.splitlines():
        if match := TRACEBACK_END.match(line.strip()) if not line.startswith(" ") else None:
            exceptions[match[1]] += 1
            samples.setdefault(match[1], (match[2] or "")[:200])
            messages[f"{match[1]}: {re.sub(r'[0-9]+', 'N', match[2] or '')}"[:160]] += 1
        elif line and not line[0].isspace() and not line.startswith("Traceback"):
            if not line.startswith(("The above exception", "During handling")):
                kind = re.sub(r"\d+", "N", re.sub(r"^\[[^]]*\] \[\d+\] ", "", line))[:140]
                lines[kind] += 1
    return {
        "line_count": len(text.splitlines()),
        "exceptions": dict(exceptions.most_common()),
        "exception_samples": samples,
        "exception_messages": dict(messages.most_common(10)),
        "lines": dict(lines.most_common(15)),
    }


def verify_revisions(postgres, database, attempts):
    """Every revision the editor was told was saved exists, and each page's latest one is live."""
    acknowledged = [a for a in attempts if a.get("ok")]
    failed = [a for a in attempts if a.get("ok") is False]
    ids = {a["revision"] for a in acknowledged} | {a["revision"] for a in failed if a.get("revision")}
    present = set()
    if ids:
        rows = postgres.psql(
            f"SELECT id FROM wagtailcore_revision WHERE id IN ({','.join(str(int(i)) for i in ids)})",
            database,
        )
        present = {int(value) for value in rows.split()}
    latest = {}
    for attempt in acknowledged:
        latest[attempt["page"]] = max(latest.get(attempt["page"], 0), attempt["revision"])
    not_live = []
    if latest:
        rows = postgres.psql(
            "SELECT id, coalesce(live_revision_id, 0) FROM wagtailcore_page "
            f"WHERE id IN ({','.join(str(int(i)) for i in latest)})",
            database,
        )
        live = dict(tuple(int(v) for v in row.split("|")) for row in rows.splitlines())
        not_live = [page for page, revision in latest.items() if live.get(page, 0) < revision]
    return {
        "attempts": len(attempts),
        "acknowledged": len(acknowledged),
        "acknowledged_missing": sorted(a["revision"] for a in acknowledged if a["revision"] not in present),
        "pages_whose_acknowledged_revision_is_not_live": sorted(not_live),
        "failed": len(failed),
        "failed_errors": dict(Counter(a["error"].split(":")[0] for a in failed).most_common()),
        "failed_but_revision_saved": sorted(a["revision"] for a in failed if a.get("revision") in present),
        "failed_attempts": [
            {k: a.get(k) for k in ("t", "page", "revision", "stage", "error", "ms")} for a in failed[:10]
        ],
    }


def check_freshness(app, postgres, database, attempts):
    """
    After the run, every page the editor published must read (through the traffic's own document,
    so from the response cache when it holds an entry) with the lead that is live in the database:
    an older one would be a cache entry that a publish failed to invalidate.
    """
    pages = sorted({a["page"] for a in attempts if a.get("page") and a.get("revision")})
    if not pages:
        return {"pages": 0, "stale": []}
    rows = json.loads(
        postgres.psql(
            "SELECT coalesce(json_agg(json_build_object("
            "'id', p.id, 'url_path', p.url_path, 'intro', n.intro)), '[]') "
            "FROM wagtailcore_page p JOIN news_newspage n ON n.page_ptr_id = p.id "
            f"WHERE p.id IN ({','.join(str(int(page)) for page in pages)})",
            database,
        )
    )
    stale, hits = [], 0
    for row in rows:
        url_path = "/" + row["url_path"].split("/", 2)[2]  # site-relative: without the root's slug
        payload, x_cache = app.graphql(PAGE_QUERY, {"urlPath": url_path}, with_cache_header=True)
        served = ((payload.get("data") or {}).get("page") or {}).get("intro")
        hits += x_cache == "HIT"
        if served != row["intro"]:
            stale.append(
                {
                    "page": row["id"],
                    "live": row["intro"][-12:],
                    "served": (served or "")[-12:],
                    "x_cache": x_cache,
                }
            )
    return {"pages": len(rows), "answered_from_cache": hits, "stale": stale}


# --- Scenarios ----------------------------------------------------------------------------------


class ReadinessProbe:
    """Polls /readyz every `interval` seconds in the background, as a load balancer would."""

    def __init__(self, app, interval=0.5):
        self.app, self.interval, self.samples = app, interval, []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self):
        while not self.stopped.is_set():
            started = time.time()
            status, state = self.app.readyz()
            self.samples.append([round(started, 3), status, state])
            self.stopped.wait(max(0.0, self.interval - (time.time() - started)))

    def finish(self):
        self.stopped.set()
        self.thread.join(timeout=10)
        return self.samples


class Publisher:
    """ops/publisher.py in the background; its JSON lines collected as they come."""

    def __init__(self, app, interval, duration, seed):
        self.attempts, self.ready = [], threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(OPS / "publisher.py"),
                "--interval",
                str(interval),
                "--duration",
                str(duration),
                "--seed",
                str(seed),
            ],
            cwd=ROOT,
            env=app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                item = json.loads(line)
                if item.get("event") == "ready":
                    self.ready.set()
                elif "ok" in item:
                    self.attempts.append(item)
        self.ready.set()

    def finish(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        return self.attempts


class FirstAnswer:
    """Polls `answers()` in the background from now on; `at` is when it first returned True."""

    def __init__(self, answers):
        self.answers, self.at, self.stopped = answers, None, threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self):
        while not self.stopped.is_set() and self.at is None:
            if self.answers():
                self.at = time.time()
            else:
                self.stopped.wait(0.05)

    def finish(self):
        self.stopped.set()
        self.thread.join(timeout=10)
        return self.at


def inject_fault(scenario, args, postgres, redis, t0):
    """
    Stop the service at t0 + fault_at, start it again after the outage; returns the times:
    fault_start (stop asked), service_stopped (stop done), restart_issued, service_back (the
    service first answered again: pg_isready, PING) and start_returned (the start command is done).
    """
    if scenario == "steady":
        return {}
    service, outage = (
        (postgres, args.pg_outage) if scenario == "postgres-restart" else (redis, args.redis_outage)
    )
    name = f"PostgreSQL {postgres.version}/{postgres.name}" if service is postgres else "Redis"
    time.sleep(max(0.0, t0 + args.fault_at - time.time()))
    events = {"fault_start": time.time()}
    log(f"stopping {name} for {outage} s")
    watcher = None
    try:
        service.stop()
        events["service_stopped"] = time.time()
        watcher = FirstAnswer(service.ready if service is postgres else service.ping)
        time.sleep(outage)
    finally:
        events["restart_issued"] = time.time()
        service.start()
        events["start_returned"] = time.time()
        back = watcher.finish() if watcher else None
        events["service_back"] = (
            back if back and back >= events["restart_issued"] else events["start_returned"]
        )
    log(f"{name} answers again ({events['service_back'] - events['fault_start']:.1f} s after the stop)")
    return events


def start_locust(args, app, label, duration, url_paths_file, outdir):
    """locust, headless, for `duration` seconds; it writes its records to <label>-records.json."""
    files = {kind: outdir / f"{label}-{kind}" for kind in ("records.json", "started", "locust.log")}
    env = {
        **os.environ,
        "LOADTEST_RECORDS": str(files["records.json"]),
        "LOADTEST_STARTED": str(files["started"]),
        "LOADTEST_URLPATHS": str(url_paths_file),
        "LOADTEST_SEED": str(args.seed),
        "LOADTEST_WAIT": args.wait,
    }
    command = [
        tool("locust"),
        "-f",
        str(OPS / "locustfile.py"),
        "--headless",
        "--host",
        app.base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate or args.users),
        "--run-time",
        f"{duration}s",
        "--csv",
        str(outdir / label),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    with open(files["locust.log"], "wb") as locust_log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=locust_log, stderr=subprocess.STDOUT)
    return process, files


def wait_started(process, files):
    """The time locust started its users (written by the locustfile's test_start hook)."""
    deadline = time.monotonic() + 60
    while not files["started"].exists() or not files["started"].read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"locust did not start; see {files['locust.log']}")
        time.sleep(0.05)
    return float(files["started"].read_text())


def finish_locust(process, timeout):
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def warm_up(args, app, url_paths_file, outdir):
    """Traffic before the measured runs, so each worker has loaded what it loads lazily."""
    log(f"warming up: {args.users} users for {args.warmup} s (not measured)")
    process, _ = start_locust(args, app, "warmup", args.warmup, url_paths_file, outdir)
    finish_locust(process, args.warmup + 60)


def run_scenario(scenario, args, app, postgres, redis, database, url_paths_file, outdir):
    log(f"scenario {scenario}: {args.users} users for {args.duration} s")
    app.wait_ready(60)
    redis.flush()  # every scenario starts with an empty response cache
    log_offset = app.error_log_size()
    publisher = Publisher(app, args.publish_every, args.duration, args.seed)
    publisher.ready.wait(60)
    locust, files = start_locust(args, app, scenario, args.duration, url_paths_file, outdir)
    probe = ReadinessProbe(app)
    events = {}
    try:
        t0 = wait_started(locust, files)
        events = inject_fault(scenario, args, postgres, redis, t0)
    except BaseException:
        publisher.process.terminate()  # the editor stops with the run
        raise
    finally:
        finish_locust(locust, args.duration + 60)
        readiness = probe.finish()
    attempts = publisher.finish(timeout=args.publish_every + 60)
    data = json.loads(files["records.json"].read_text())
    records = data["records"]
    end = t0 + args.duration
    error_log = app.error_log_since(log_offset)
    (outdir / f"{scenario}-gunicorn-error.log").write_text(error_log)
    result = {
        "scenario": scenario,
        "overall": summarise(records, args.duration),
        "by_request": per_request(records, args.duration),
        "samples": data["samples"],
        "revisions": verify_revisions(postgres, database, attempts),
        "freshness": check_freshness(app, postgres, database, attempts),
        "server_log": log_analysis(error_log),
        "timeline": timeline(records, t0, readiness),
        "readyz_samples": [[round(t - t0, 3), status, state] for t, status, state in readiness],
    }
    if events:
        result["fault"] = fault_analysis(records, t0, end, events, readiness)
    log(f"scenario {scenario}: {len(records)} requests, {result['overall']['errors']} failed")
    return result


# --- Report -------------------------------------------------------------------------------------


def ms(value):
    return "–" if value is None else f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def seconds(value):
    return "–" if value is None else f"{value:.1f} s"


def codes(counter):
    return ", ".join(f"{code}×{count}" for code, count in counter.items()) or "–"


def percent(value):
    return "–" if value is None else f"{value:.2%}"


def report(results, args):
    lines = [
        f"Load test: {args.users} users, {args.duration} s per scenario after {args.warmup} s of warm-up, "
        f"{args.news} generated news pages, {args.wait} s between two requests of a user, "
        f"a publish every {args.publish_every} s; {os.cpu_count()} cores.",
        "",
        "| scenario | requests | req/s | p50 | p95 | p99 | error rate | cache hits | status codes | "
        "revisions saved / lost | stale pages after |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        o, r, fresh = result["overall"], result["revisions"], result["freshness"]
        lines.append(
            f"| {result['scenario']} | {o['requests']:,} | {o['requests_per_s']} | {ms(o['p50_ms'])} "
            f"| {ms(o['p95_ms'])} | {ms(o['p99_ms'])} | {percent(o['error_rate'])} "
            f"| {percent(o['cache_hit_rate'])} | {codes(o['status_codes'])} "
            f"| {r['acknowledged']} / {len(r['acknowledged_missing'])} "
            f"| {len(fresh['stale'])} of {fresh['pages']} |"
        )
    faults = [result for result in results if "fault" in result]
    if faults:
        lines += [
            "",
            "Fault window: from the stop to the service's first answer again (pg_isready, PING); "
            "times after are from that first answer.",
            "",
            "| scenario | window | during: requests | during: 2xx (cache hits) | during: errors "
            "| during: status codes | during: 2xx p50 / p99 | 2xx slower than 5 s | first uncached 2xx after "
            "| last error | errors after | /readyz not 200 |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for result in faults:
            f, during = result["fault"], result["fault"]["during"]
            lines.append(
                f"| {result['scenario']} | {f['down_s']:.1f} s | {during['requests']} "
                f"| {during['ok']} ({percent(during['cache_hit_rate'])}) | {during['errors']} "
                f"| {codes(during['status_codes'])} | {ms(during['p50_ms'])} / {ms(during['p99_ms'])} "
                f"| {during['ok_over_5s']} | {seconds(f['first_uncached_ok_after_s'])} "
                f"| {seconds(f['last_error_after_s'])} | {f['errors_after']} "
                f"| {f['readyz_not_ready_samples']} ({codes(f['readyz_not_ready'])}) |"
            )
    for result in results:
        lines += ["", f"### {result['scenario']}", ""]
        lines += [
            "| request | requests | p50 | p95 | p99 | errors | cache hits |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, row in result["by_request"].items():
            lines.append(
                f"| {name} | {row['requests']:,} | {ms(row['p50_ms'])} | {ms(row['p95_ms'])} "
                f"| {ms(row['p99_ms'])} "
                f"| {row['errors']} | {percent(row['cache_hit_rate'])} |"
            )
        outcomes = {k: v for k, v in result["overall"]["outcomes"].items() if k != "ok"}
        if outcomes:
            lines += ["", "Failed answers: " + codes(outcomes) + "."]
            for outcome, sample in result["samples"].items():
                if outcome != "ok":
                    body = sample["body"].replace("|", "\\|").replace("\n", " ")[:240]
                    lines.append(
                        f"- `{outcome}` ({sample['request']}, {sample['content_type']}, "
                        f"Retry-After {sample['retry_after']}): `{body or sample['error']}`"
                    )
        server = result["server_log"]
        if server["exceptions"] or server["lines"]:
            lines += [
                "",
                f"gunicorn's error log: {server['line_count']:,} lines; exceptions "
                + codes(server["exceptions"])
                + "; records: "
                + codes(server["lines"])
                + ".",
            ]
            for message, count in server["exception_messages"].items():
                lines.append(f"- {count}× `{message}`")
        fresh = result["freshness"]
        lines += [
            "",
            f"Read back after the run: {fresh['pages']} published pages, "
            f"{fresh.get('answered_from_cache', 0)} "
            f"from the response cache, {len(fresh['stale'])} showing an older lead than the live one"
            + (f" ({fresh['stale']})." if fresh["stale"] else "."),
        ]
        revisions = result["revisions"]
        if revisions["failed"] or revisions["acknowledged_missing"]:
            lines += [
                "",
                f"Publishing: {revisions['attempts']} attempts, {revisions['acknowledged']} acknowledged, "
                f"{len(revisions['acknowledged_missing'])} of those missing afterwards, "
                f"{len(revisions['pages_whose_acknowledged_revision_is_not_live'])} pages not showing their "
                f"latest acknowledged revision; {revisions['failed']} failed "
                f"({codes(revisions['failed_errors'])}), "
                f"{len(revisions['failed_but_revision_saved'])} of which saved a revision anyway.",
            ]
        if "fault" in result:
            lines += ["", timeline_table(result)]
    return "\n".join(lines)


def timeline_table(result):
    """The seconds around the fault, one row each."""
    fault = result["fault"]["events"]
    marks = [
        (fault["fault_start"], "fault starts"),
        (fault.get("service_stopped"), "service stopped"),
        (fault["restart_issued"], "restart issued"),
        (fault["service_back"], "service answers"),
        (fault.get("start_returned"), "start command done"),
    ]
    end = max(fault["service_back"], fault.get("start_returned") or 0)
    first, last = max(0, int(fault["fault_start"]) - 3), int(end) + 5
    lines = [
        "| second | requests | 2xx ok | cache hits | status codes | p50 | /readyz | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["timeline"][first : last + 1]:
        mark = ", ".join(
            f"{text} ({at:.1f})" for at, text in marks if at is not None and int(at) == row["second"]
        )
        lines.append(
            f"| {row['second']} | {row['requests']} | {row['ok']} | {row['cache_hits']} "
            f"| {codes(row['status_codes'])} | {ms(row['p50_ms'])} | {codes(row['readyz'])} | {mark} |"
        )
    return "\n".join(lines)


# --- Main ---------------------------------------------------------------------------------------


def git_state():
    commit = run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    status = run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False)
    return {"commit": commit.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", choices=("all", *SCENARIOS), default="all")
    parser.add_argument("--duration", type=int, default=60, help="seconds of traffic per scenario (10–600)")
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated frontends (1–500)")
    parser.add_argument("--spawn-rate", type=float, help="users started per second (default: all at once)")
    parser.add_argument("--wait", default="0.2,1.0", help="seconds between two requests of a user: MIN,MAX")
    parser.add_argument("--warmup", type=int, default=15, help="seconds of unmeasured traffic first (0–120)")
    parser.add_argument("--news", type=int, default=1000, help="generated news pages (generate_news)")
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: gunicorn.conf.py's)")
    parser.add_argument(
        "--fault-at", type=float, default=20, help="seconds into the run when the fault starts"
    )
    parser.add_argument(
        "--pg-outage", type=float, default=5, help=f"seconds PostgreSQL stays down (≤ {MAX_PG_OUTAGE})"
    )
    parser.add_argument("--redis-outage", type=float, default=15, help="seconds Redis stays down")
    parser.add_argument("--publish-every", type=float, default=3, help="seconds between two publishes")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LOADTEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/7")
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not 10 <= args.duration <= 600:
        parser.error("--duration must be between 10 and 600 seconds")
    if not 0 <= args.warmup <= 120:
        parser.error("--warmup must be between 0 and 120 seconds")
    if not 1 <= args.users <= 500:
        parser.error("--users must be between 1 and 500")
    if not 0 < args.pg_outage <= MAX_PG_OUTAGE:
        parser.error(f"--pg-outage must be between 0 and {MAX_PG_OUTAGE} seconds (a shared server)")
    if not 0 < args.redis_outage <= 60:
        parser.error("--redis-outage must be between 0 and 60 seconds")
    if not 1 <= args.news <= 100_000:
        parser.error("--news must be between 1 and 100000")
    if args.publish_every < 0.5:
        parser.error("--publish-every must be at least 0.5 s")
    try:
        low, high = (float(value) for value in args.wait.split(","))
        assert 0 <= low <= high <= 60  # noqa: S101
    except (ValueError, AssertionError):
        parser.error("--wait takes MIN,MAX seconds, e.g. 0.2,1.0")
    args.scenarios = SCENARIOS if args.scenario == "all" else (args.scenario,)
    outage = {"postgres-restart": args.pg_outage, "redis-stop": args.redis_outage}
    for scenario in args.scenarios:
        if scenario in outage and args.fault_at + outage[scenario] + 10 > args.duration:
            parser.error(f"{scenario}: --duration must leave 10 s after --fault-at + the outage")
    return args


def main():
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the clean-up below on kill too
    postgres, redis = Postgres(args.postgres_url), Redis(args.redis_url)
    if not redis.ping():
        sys.exit(f"Redis does not answer at {args.redis_url}")
    postgres.server_version()  # fails early when PostgreSQL does not answer
    if "postgres-restart" in args.scenarios:
        postgres.find_cluster()
    if "redis-stop" in args.scenarios:
        redis.remember_configuration()
    postgres.drop_stale()

    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    outdir = RESULTS / stamp
    outdir.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-load-"))
    database = f"newsroom_load_{os.getpid()}"
    app, created, results = None, False, []
    try:
        postgres.psql(f'CREATE DATABASE "{database}"')
        created = True
        app = App(args, workdir, f"{postgres.url}/{database}")
        app.prepare(args.news)
        app.start()
        url_paths_file = workdir / "url-paths.json"
        url_paths_file.write_text(json.dumps(app.url_paths()))
        if args.warmup:
            warm_up(args, app, url_paths_file, outdir)
        for scenario in args.scenarios:
            results.append(
                run_scenario(scenario, args, app, postgres, redis, database, url_paths_file, outdir)
            )
    finally:
        for restore in (postgres.ensure_running, redis.ensure_running):
            try:
                restore()
            except Exception as error:  # try every clean-up step, say what failed
                log(f"could not restore a service: {error}")
        if app:
            app.stop()
            for name in (app.error_log, app.access_log):
                if name.exists():
                    shutil.copy(name, outdir / name.name)
        if created:
            with contextlib.suppress(subprocess.CalledProcessError):
                postgres.psql(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                log(f"dropped {database}")
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            redis.flush()
        shutil.rmtree(workdir, ignore_errors=True)

    summary = {
        "generated_at": stamp,
        "git": git_state(),
        "machine": {
            "cores": os.cpu_count(),
            "postgresql": postgres.server_version(),
            "redis": redis.server_version(),
        },
        "settings": {
            key: getattr(args, key)
            for key in ("users", "duration", "warmup", "wait", "news", "workers", "fault_at", "pg_outage")
            + ("redis_outage", "publish_every", "seed")
        },
        "scenarios": results,
    }
    (RESULTS / f"loadtest-{stamp}.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    markdown = report(results, args)
    (outdir / "report.md").write_text(markdown + "\n")
    print(markdown)
    log(f"summary: {RESULTS / f'loadtest-{stamp}.json'}; logs and locust CSV: {outdir}")


if __name__ == "__main__":
    main()
