"""
Side-by-side HTTP benchmark of this CMS against Directus, with the same news in both.

    .venv/bin/python bench/peers.py [--pages 1000] [--seconds 20] [--rounds 10] [--connections 8]

Why a peer: our own numbers (bench/run.py) say how fast a query is, not whether that is fast for
a headless CMS. Directus is a popular headless CMS with a GraphQL API on Node; serving the same
50 news items from the same data, in SQLite on both sides, through both says where we stand.

What it does, each step bounded in time:

1. installs Directus once with npm, in ~/.cache/newsroom-bench/directus-<version>/ (kept);
2. installs wrk with apt-get if it is missing;
3. builds our SQLite database bench/.data/peers-<pages>.sqlite3 (kept between runs): migrate,
   demo content, then generated news up to --pages news pages;
4. starts our gunicorn (production settings, response cache off) and a Directus with its own
   SQLite file, creates the same content model in Directus through its REST API and copies our
   live news, sectors and tags into it, with the same ids;
5. checks that both answer the same list of 50 news (same ids, same order, same titles) and the
   same single pages, then warms both up;
6. measures (a) sequential latency, interleaved round by round, and (b) throughput with wrk at a
   fixed concurrency, with the CPU seconds each server used;
7. prints a Markdown table with ratios and writes the raw numbers to bench/.data/peers-<time>.json;
8. stops both servers and cleans up whatever happens.

It is a measurement tool, not a test: it stops with a message when something does not match, and
says nothing about which numbers are good.
"""

import argparse
import contextlib
import http.client
import json
import math
import os
import re
import resource
import runpy
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
DIRECTUS_VERSION = "11.17.4"
DIRECTUS_HOME = Path.home() / ".cache" / "newsroom-bench" / f"directus-{DIRECTUS_VERSION}"
HOST = "127.0.0.1"
REDIS_URL = "redis://127.0.0.1:6379/14"
STARTED = time.monotonic()

# Timeouts (seconds). Every wait of this script is bounded by one of these.
HTTP_TIMEOUT = 60
NPM_TIMEOUT = 1800
APT_TIMEOUT = 900
MIGRATE_TIMEOUT = 900
START_TIMEOUT = 120
STOP_TIMEOUT = 15
WARMUP_REQUESTS = 300
WARMUP_SECONDS = 300
# Directus rejects request bodies over 1 MB by default: inserts are sent in smaller batches.
INSERT_BATCH_BYTES = 600_000
INSERT_BATCH_ITEMS = 200
ONE_PAGE_SLUGS = 5

# The same fields from both: ours through grapple's types, Directus through its generated schema.
OUR_FIELDS = (
    "id title slug date author intro sectors { name slug } tags { name slug } "
    "body { id field blockType ... on CharBlock { value } ... on RichTextBlock { value } }"
)
DIRECTUS_FIELDS = "id title slug date author intro sectors { sectors_id { name slug } } tags body"
OUR_LIST = f'{{ newsPages(perPage: 50, order: "-date") {{ items {{ {OUR_FIELDS} }} }} }}'
DIRECTUS_LIST = f'{{ news(limit: 50, sort: ["-date", "-id"]) {{ {DIRECTUS_FIELDS} }} }}'


def our_one_page(slug):
    return f"{{ newsPage(slug: {json.dumps(slug)}) {{ {OUR_FIELDS} }} }}"


def directus_one_page(slug):
    return f"{{ news(filter: {{slug: {{_eq: {json.dumps(slug)}}}}}, limit: 1) {{ {DIRECTUS_FIELDS} }} }}"


class BenchError(Exception):
    """A step could not be done; its message says what to look at."""


def log(message):
    """Progress on stderr, so that stdout carries only the table."""
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def run(command, *, timeout, cwd=ROOT, env=None, capture=False):
    """A subprocess with a time limit; its output goes to stderr unless captured."""
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            timeout=timeout,
            stdout=subprocess.PIPE if capture else sys.stderr,
            stderr=subprocess.PIPE if capture else sys.stderr,
            text=True,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"`{' '.join(map(str, command))}` did not finish within {timeout} s") from error
    except FileNotFoundError as error:
        raise BenchError(f"`{command[0]}` is not installed") from error
    if result.returncode != 0:
        detail = f":\n{(result.stderr or '')[-2000:]}" if capture else " (see its output above)"
        raise BenchError(f"`{' '.join(map(str, command))}` failed with exit code {result.returncode}{detail}")
    return result.stdout if capture else ""


def free_port():
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# --- 1. and 2. Tools -------------------------------------------------------------------------


def ensure_directus():
    """Directus from the npm registry, installed once outside the checkout; returns seconds spent."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        raise BenchError("Node.js and npm are needed for Directus (apt-get install nodejs npm)")
    DIRECTUS_HOME.mkdir(parents=True, exist_ok=True)
    if (DIRECTUS_HOME / "node_modules" / "directus" / "package.json").exists():
        return 0.0
    log(f"Installing directus@{DIRECTUS_VERSION} into {DIRECTUS_HOME} (first run only; several minutes)")
    started = time.monotonic()
    # sqlite3 (and isolated-vm) fetch prebuilt binaries from GitHub, out of reach here: they then
    # compile, against the system's Node headers (/usr/include/node).
    run(
        ["npm", "install", "--no-audit", "--no-fund", f"directus@{DIRECTUS_VERSION}"],
        cwd=DIRECTUS_HOME,
        env={**os.environ, "npm_config_nodedir": "/usr"},
        timeout=NPM_TIMEOUT,
    )
    if not (DIRECTUS_HOME / "node_modules" / "directus" / "package.json").exists():
        raise BenchError(f"npm finished but {DIRECTUS_HOME}/node_modules/directus is missing")
    return time.monotonic() - started


def ensure_wrk():
    """wrk from Debian's packages when it is not on PATH."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise BenchError("wrk is not installed and this is not root: run `apt-get install -y wrk` first")
    log("Installing wrk with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=APT_TIMEOUT)
    except BenchError:
        run(["apt-get", "update", "-qq"], env=env, timeout=APT_TIMEOUT)
        run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=APT_TIMEOUT)
    if not shutil.which("wrk"):
        raise BenchError("apt-get ran but wrk is still not on PATH")


# --- 3. Our data and our server --------------------------------------------------------------


def base_environment():
    """
    The few variables the servers take from this process (PATH, HOME, locale): any other setting
    left in the caller's shell (LOG_LEVEL, GUNICORN_THREADS, DB_CLIENT, ...) would change what is
    measured.
    """
    return {
        name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ
    }


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


class Server:
    """A server process in its own process group, so that it and its children stop together."""

    def __init__(self, name, command, *, cwd, env, log_path):
        self.name = name
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # closed in stop()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def tail(self, size=3000):
        return self.log_path.read_text(errors="replace")[-size:]

    def check_alive(self):
        if self.process.poll() is not None:
            raise BenchError(f"{self.name} exited with code {self.process.returncode}:\n{self.tail()}")

    def processes(self):
        """Pids of every process of the group (the master and its workers)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = read_stat(entry.name)
                if stat and stat["pgrp"] == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def cpu_by_process(self):
        """
        CPU seconds of each process of the group so far. The children's fields (cutime, cstime)
        count workers that exited and were reaped: gunicorn replaces a worker after
        GUNICORN_MAX_REQUESTS requests.
        """
        seconds = {}
        for pid in self.processes():
            stat = read_stat(pid)
            if stat:
                ticks = stat["utime"] + stat["stime"] + stat["cutime"] + stat["cstime"]
                seconds[pid] = ticks / os.sysconf("SC_CLK_TCK")
        return seconds

    def cpu_seconds(self):
        return sum(self.cpu_by_process().values())

    def stop(self):
        """SIGTERM to the group, SIGKILL after STOP_TIMEOUT seconds."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT)
        # Workers left behind by a master that died first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log_file.close()


def read_stat(pid):
    """Process group and CPU ticks from /proc/<pid>/stat; None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name, which is in parentheses and may contain spaces: field 3 first.
    fields = text[text.rfind(")") + 2 :].split()
    return {
        "pgrp": int(fields[2]),
        "utime": int(fields[11]),
        "stime": int(fields[12]),
        "cutime": int(fields[13]),
        "cstime": int(fields[14]),
    }


class CpuWatch:
    """
    CPU seconds over a stretch of the benchmark: each server's, this script's with its children
    (wrk), and everything else on the machine. The machine is shared: CPU that other processes
    take during a measurement is CPU the servers did not get, so it is recorded and warned about.
    """

    def __init__(self, servers):
        self.servers = servers
        self.start = self.sample()

    def sample(self):
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "machine": machine_busy_seconds(),
            "script_and_wrk": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            **{server.name: server.cpu_seconds() for server in self.servers},
        }

    def stop(self):
        end = self.sample()
        used = {name: end[name] - self.start[name] for name in end}
        used["other_processes"] = max(
            0.0, used["machine"] - sum(v for k, v in used.items() if k != "machine")
        )
        return used


def machine_busy_seconds():
    """CPU seconds all processors spent not idle since boot (/proc/stat: user to steal, no iowait)."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def warn_if_busy(what, cpu, seconds):
    """Other processes using more than a tenth of a core on average make the numbers less comparable."""
    if cpu["other_processes"] > 0.1 * seconds:
        log(
            f"warning: other processes used {cpu['other_processes']:.1f} CPU s during {what} "
            f"({seconds:.0f} s): the machine is not quiet, numbers may be low"
        )


def wait_until(server, check, what):
    """Poll `check` every half second until it is true, the server dies, or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    last_error = None
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            if check():
                return
        except (OSError, http.client.HTTPException, ValueError) as error:
            last_error = error
        time.sleep(0.5)
    raise BenchError(f"{server.name}: {what} not within {START_TIMEOUT} s ({last_error}):\n{server.tail()}")


def http_request(port, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request on a fresh connection; returns (status, parsed JSON or text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    try:
        return response.status, json.loads(text)
    except ValueError:
        return response.status, text


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


# --- 4. Directus with the same data ----------------------------------------------------------


def directus_env_file(run_folder, port, password):
    """Directus's configuration; CONFIG_PATH points at it, and it wins over process variables."""
    values = {
        "DB_CLIENT": "sqlite3",
        "DB_FILENAME": str(run_folder / "directus.sqlite3"),
        "KEY": secrets.token_hex(16),
        "SECRET": secrets.token_hex(32),
        "ADMIN_EMAIL": "admin@example.org",
        "ADMIN_PASSWORD": password,
        "CACHE_ENABLED": "false",
        "TELEMETRY": "false",
        "RATE_LIMITER_ENABLED": "false",
        # Its default load shedding answers 503 when the event loop lags, which wrk would provoke;
        # ours sheds nothing, so neither does Directus here.
        "PRESSURE_LIMITER_ENABLED": "false",
        "LOG_LEVEL": "warn",
        "PORT": str(port),
        "HOST": HOST,
        "PUBLIC_URL": f"http://{HOST}:{port}",
        # Uploads and extensions in the run folder, not in the cached install.
        "STORAGE_LOCAL_ROOT": str(run_folder / "uploads"),
        "EXTENSIONS_PATH": str(run_folder / "extensions"),
    }
    (run_folder / "uploads").mkdir(exist_ok=True)
    (run_folder / "extensions").mkdir(exist_ok=True)
    path = run_folder / ".env"
    path.write_text("".join(f"{name}={value}\n" for name, value in values.items()))
    return path


def start_directus(run_folder, port, password):
    config = directus_env_file(run_folder, port, password)
    env = {**base_environment(), "CONFIG_PATH": str(config)}
    log("Bootstrapping Directus (creates its tables and the admin user)")
    run(
        ["npx", "--no-install", "directus", "bootstrap"],
        cwd=DIRECTUS_HOME,
        env=env,
        timeout=START_TIMEOUT * 3,
    )
    server = Server(
        "Directus",
        ["node", "node_modules/directus/cli.js", "start"],
        cwd=DIRECTUS_HOME,
        env=env,
        log_path=run_folder / "directus.log",
    )

    def ready():
        status, answer = http_request(port, "GET", "/server/ping", timeout=5)
        return status == 200 and answer == "pong"

    wait_until(server, ready, "/server/ping answering pong")
    return server


class DirectusAdmin:
    """The admin's REST calls, each checked: a refused call stops the run with Directus's answer."""

    def __init__(self, port, password):
        self.port = port
        status, answer = http_request(
            port, "POST", "/auth/login", {"email": "admin@example.org", "password": password}
        )
        if status != 200:
            raise BenchError(f"Directus login failed ({status}): {answer}")
        self.token = answer["data"]["access_token"]

    def call(self, method, path, body=None):
        status, answer = http_request(
            self.port, method, path, body, headers={"Authorization": f"Bearer {self.token}"}
        )
        if not 200 <= status < 300:
            raise BenchError(f"Directus {method} {path} answered {status}: {str(answer)[:2000]}")
        return answer.get("data") if isinstance(answer, dict) else answer


def primary_key():
    return {
        "field": "id",
        "type": "integer",
        "meta": {"hidden": True, "readonly": True, "interface": "input"},
        "schema": {"is_primary_key": True, "has_auto_increment": True},
    }


def field(name, kind, **schema):
    return {"field": name, "type": kind, "meta": {}, "schema": {"is_nullable": True, **schema}}


def create_directus_model(admin):
    """sectors, news and the news_sectors junction of a many-to-many news.sectors, publicly readable."""
    admin.call(
        "POST",
        "/collections",
        {
            "collection": "sectors",
            "meta": {"icon": "category"},
            "schema": {},
            "fields": [
                primary_key(),
                field("name", "string", is_unique=True),
                field("slug", "string", is_unique=True),
                field("description", "text"),
                field("sort_order", "integer"),
            ],
        },
    )
    admin.call(
        "POST",
        "/collections",
        {
            "collection": "news",
            "meta": {"icon": "newspaper"},
            "schema": {},
            "fields": [
                primary_key(),
                field("title", "string"),
                # Ours has an index on (date, id) and on the slug: indexes on both here too.
                field("slug", "string", is_indexed=True),
                field("date", "date", is_indexed=True),
                field("author", "string"),
                field("intro", "text"),
                {**field("body", "json"), "meta": {"interface": "input-code"}},
                {**field("tags", "json"), "meta": {"interface": "input-code"}},
            ],
        },
    )
    admin.call(
        "POST",
        "/collections",
        {
            "collection": "news_sectors",
            "meta": {"hidden": True, "icon": "import_export"},
            "schema": {},
            "fields": [
                primary_key(),
                {**field("news_id", "integer", is_indexed=True), "meta": {"hidden": True}},
                {**field("sectors_id", "integer", is_indexed=True), "meta": {"hidden": True}},
            ],
        },
    )
    admin.call(
        "POST",
        "/fields/news",
        {"field": "sectors", "type": "alias", "meta": {"special": ["m2m"], "interface": "list-m2m"}},
    )
    admin.call(
        "POST",
        "/relations",
        {
            "collection": "news_sectors",
            "field": "news_id",
            "related_collection": "news",
            "meta": {"one_field": "sectors", "junction_field": "sectors_id", "sort_field": None},
            "schema": {"on_delete": "SET NULL"},
        },
    )
    admin.call(
        "POST",
        "/relations",
        {
            "collection": "news_sectors",
            "field": "sectors_id",
            "related_collection": "sectors",
            "meta": {"one_field": None, "junction_field": "news_id"},
            "schema": {"on_delete": "SET NULL"},
        },
    )
    policy = public_policy(admin)
    admin.call(
        "POST",
        "/permissions",
        [
            {
                "policy": policy,
                "collection": collection,
                "action": "read",
                "fields": ["*"],
                "permissions": {},
                "validation": {},
            }
            for collection in ("sectors", "news", "news_sectors")
        ],
    )


def public_policy(admin):
    """
    The id of the Public policy: the one granted to nobody in particular (the access row with
    neither role nor user). Its name is a translation key, "$t:public_label", so not matched on.
    """
    rows = admin.call(
        "GET", "/access?filter[role][_null]=true&filter[user][_null]=true&fields=policy&limit=5"
    )
    policies = {row["policy"] for row in rows or []}
    if len(policies) != 1:
        raise BenchError(f"Expected one public policy in Directus, found {sorted(policies)}")
    return policies.pop()


def export_our_news(database):
    """
    Live, unexpired Vietnamese news pages, sectors and tags read from our SQLite file: what our
    API serves to anonymous readers by default (`locale` "vi"; the generated content has no view
    restrictions; checked). The sectors' English names are rows of their own: left out.
    """
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)) as connection:
        connection.row_factory = sqlite3.Row
        if connection.execute("SELECT count(*) FROM wagtailcore_pageviewrestriction").fetchone()[0]:
            raise BenchError("Our database has page view restrictions: the export would not match our API")
        locale = "SELECT id FROM wagtailcore_locale WHERE language_code = 'vi'"
        [vietnamese] = connection.execute(locale).fetchone()
        sectors = [
            dict(row)
            for row in connection.execute(
                "SELECT id, name, slug, description, sort_order FROM news_cooperationsector"
                " WHERE locale_id = ? ORDER BY id",
                (vietnamese,),
            )
        ]
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        rows = connection.execute(
            "SELECT p.id, p.title, p.slug, n.date, n.author, n.intro, n.body"
            " FROM news_newspage n JOIN wagtailcore_page p ON p.id = n.page_ptr_id"
            " WHERE p.live = 1 AND (p.expire_at IS NULL OR p.expire_at > ?) AND p.locale_id = ?"
            " ORDER BY p.id",
            (now, vietnamese),
        ).fetchall()
        tags = {}
        for row in connection.execute(
            "SELECT pt.content_object_id AS news_id, t.name, t.slug"
            " FROM news_newspagetag pt JOIN news_newstag t ON t.id = pt.tag_id ORDER BY pt.id"
        ):
            tags.setdefault(row["news_id"], []).append({"name": row["name"], "slug": row["slug"]})
        links = connection.execute(
            "SELECT newspage_id, cooperationsector_id FROM news_newspage_sectors ORDER BY id"
        ).fetchall()
    news = []
    for row in rows:
        body = [
            {"type": block["type"], "value": block["value"], "id": block["id"]}
            for block in json.loads(row["body"] or "[]")
            if block["type"] in ("heading", "paragraph")
        ]
        news.append(
            {
                "id": row["id"],
                "title": row["title"],
                "slug": row["slug"],
                "date": row["date"],
                "author": row["author"],
                "intro": row["intro"],
                "body": body,
                "tags": tags.get(row["id"], []),
            }
        )
    ids = {item["id"] for item in news}
    junction = [{"news_id": news_id, "sectors_id": sector} for news_id, sector in links if news_id in ids]
    return sectors, news, junction


def batches(items):
    """Runs of items under INSERT_BATCH_ITEMS items and INSERT_BATCH_BYTES bytes of JSON."""
    batch, size = [], 0
    for item in items:
        item_size = len(json.dumps(item).encode())
        if batch and (len(batch) >= INSERT_BATCH_ITEMS or size + item_size > INSERT_BATCH_BYTES):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item_size
    if batch:
        yield batch


def copy_data(admin, database):
    sectors, news, junction = export_our_news(database)
    log(f"Copying {len(sectors)} sectors, {len(news)} news, {len(junction)} news-sector links to Directus")
    for collection, items in (("sectors", sectors), ("news", news), ("news_sectors", junction)):
        for batch in batches(items):
            admin.call("POST", f"/items/{collection}", batch)
    count = admin.call("GET", "/items/news?aggregate[count]=*")
    if int(count[0]["count"]) != len(news):
        raise BenchError(f"Directus holds {count[0]['count']} news after the copy, not {len(news)}")
    return news


# --- 5. The same request to both -------------------------------------------------------------


class Target:
    """One system's GraphQL endpoint and the bodies of its two requests."""

    def __init__(self, name, server, port, path, list_query, one_page_query):
        self.name = name
        self.server = server
        self.port = port
        self.path = path
        self.list_body = json.dumps({"query": list_query}).encode()
        self.one_page_query = one_page_query

    def one_page_bodies(self, slugs):
        return [json.dumps({"query": self.one_page_query(slug)}).encode() for slug in slugs]


def graphql(target, body):
    """Data of one GraphQL answer, and the size of the answer in bytes as sent."""
    connection = http.client.HTTPConnection(HOST, target.port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("POST", target.path, body=body, headers={"Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
    finally:
        connection.close()
    try:
        answer = json.loads(payload)
    except ValueError:
        answer = payload[:2000]
    if response.status != 200 or not isinstance(answer, dict) or answer.get("errors") or "data" not in answer:
        raise BenchError(f"{target.name} GraphQL answered {response.status}: {str(answer)[:2000]}")
    return answer["data"], len(payload)


def our_items(data):
    return data["newsPages"]["items"]


def directus_items(data):
    return data["news"]


def one_item(data):
    """The news item of a one-page answer of either system, or None."""
    if "newsPage" in data:
        return data["newsPage"]
    return (data.get("news") or [None])[0]


BLOCK_TYPES = {"CharBlock": "heading", "RichTextBlock": "paragraph"}


def content_differences(ours, theirs):
    """
    The fields of one news item on which the two answers differ (beyond id and title, which
    must match). Our body's other blocks (images, quotes, key figures) are not in Directus.
    """
    differences = [key for key in ("slug", "date", "author", "intro") if ours[key] != theirs[key]]
    if sorted(sector["slug"] for sector in ours["sectors"]) != sorted(
        (link["sectors_id"] or {}).get("slug") for link in theirs["sectors"]
    ):
        differences.append("sectors")
    if sorted(tag["slug"] for tag in ours["tags"]) != sorted(tag["slug"] for tag in theirs["tags"] or []):
        differences.append("tags")
    our_body = [
        (block["id"], BLOCK_TYPES[block["blockType"]], block["value"])
        for block in ours["body"]
        if block["blockType"] in BLOCK_TYPES
    ]
    their_body = [(block["id"], block["type"], block["value"]) for block in theirs["body"] or []]
    if our_body != their_body:
        differences.append("body")
    return differences


def check_same_answers(ours, theirs, slugs):
    """
    Stop before timing anything unless both give the same news in the same order (ids, titles),
    and the same single pages. Other differences of content are counted and reported.
    """
    our_data, our_size = graphql(ours, ours.list_body)
    their_data, their_size = graphql(theirs, theirs.list_body)
    our_list, their_list = our_items(our_data), directus_items(their_data)
    mine = [(str(item["id"]), item["title"]) for item in our_list]
    other = [(str(item["id"]), item["title"]) for item in their_list]
    if len(mine) != 50 or mine != other:
        first = next((i for i, (a, b) in enumerate(zip(mine, other, strict=False)) if a != b), None)
        raise BenchError(
            f"The lists differ: ours has {len(mine)} items, Directus {len(other)}; first difference at "
            f"position {first}: ours {mine[first] if first is not None else '-'}, "
            f"Directus {other[first] if first is not None else '-'}"
        )
    pairs = list(zip(our_list, their_list, strict=True))
    for slug, our_body, their_body in zip(
        slugs, ours.one_page_bodies(slugs), theirs.one_page_bodies(slugs), strict=True
    ):
        a, b = one_item(graphql(ours, our_body)[0]), one_item(graphql(theirs, their_body)[0])
        if not a or not b or (str(a["id"]), a["title"]) != (str(b["id"]), b["title"]):
            raise BenchError(f"The page {slug!r} differs: ours {a and a['id']}, Directus {b and b['id']}")
        pairs.append((a, b))
    differences = {}
    for a, b in pairs:
        if found := content_differences(a, b):
            differences[str(a["id"])] = found
    if differences:
        log(f"warning: {len(differences)} of {len(pairs)} news items differ in content: {differences}")
    body_blocks = [len(item["body"]) for item in our_list]
    kept_blocks = [len(item["body"]) for item in their_list]
    check = {
        "ours_list_bytes": our_size,
        "directus_list_bytes": their_size,
        "ours_list_body_blocks": sum(body_blocks),
        "directus_list_body_blocks": sum(kept_blocks),
        "items_compared": len(pairs),
        "content_differences": differences,
    }
    log(
        f"Both answer the same 50 news in the same order and the same {len(slugs)} single pages; "
        f"list answers of {our_size:,} bytes (ours, {sum(body_blocks)} body blocks) and {their_size:,} "
        f"bytes (Directus, {sum(kept_blocks)} heading and paragraph blocks)"
    )
    return check


def pick_slugs(news):
    """A few pages spread over the whole set, oldest ids to newest, not only the newest ones."""
    ordered = sorted(news, key=lambda item: item["id"])
    step = max(1, len(ordered) // ONE_PAGE_SLUGS)
    return [item["slug"] for item in ordered[step // 2 :: step]][:ONE_PAGE_SLUGS]


# --- 6. Measurements -------------------------------------------------------------------------


class Connection:
    """A persistent HTTP/1.1 connection, as a frontend's server-side fetch would keep one."""

    def __init__(self, target):
        self.target = target
        self.connection = http.client.HTTPConnection(HOST, target.port, timeout=HTTP_TIMEOUT)

    def post(self, body):
        """Seconds from sending the request to having read the whole answer."""
        started = time.perf_counter()
        self.connection.request(
            "POST", self.target.path, body=body, headers={"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or b'"errors":' in payload:
            raise BenchError(f"{self.target.name} answered {response.status}: {payload[:500]!r}")
        return elapsed

    def close(self):
        self.connection.close()


def warm_up(target, slugs):
    """A fresh Directus gets faster over its first few hundred requests; give both the same start."""
    connection = Connection(target)
    deadline = time.monotonic() + WARMUP_SECONDS
    bodies = target.one_page_bodies(slugs)
    try:
        for number in range(WARMUP_REQUESTS):
            if time.monotonic() > deadline:
                break
            connection.post(target.list_body if number % 3 else bodies[number % len(bodies)])
    finally:
        connection.close()


def sequential(targets, rounds, per_round, bodies_of):
    """
    Rounds of `per_round` requests to one system then the other, the first alternating, so that
    slow drifts of the machine (other processes, CPU frequency) fall on both alike. Each round
    opens a new connection and sends one untimed request first: an idle keep-alive connection
    may have been closed by the server while the other system was measured.
    """
    latencies = {target.name: [] for target in targets}
    for number in range(rounds):
        order = targets if number % 2 == 0 else list(reversed(targets))
        for target in order:
            bodies = bodies_of(target)
            connection = Connection(target)
            try:
                connection.post(bodies[0])
                for index in range(per_round):
                    latencies[target.name].append(connection.post(bodies[index % len(bodies)]) * 1000)
            finally:
                connection.close()
    return latencies


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))]


def latency_summary(values):
    return {
        "count": len(values),
        "median_ms": statistics.median(values),
        "p95_ms": percentile(values, 0.95),
        "min_ms": min(values),
        "max_ms": max(values),
    }


WRK_SCRIPT = """
-- POSTs one GraphQL request; counts answers that are not 200 or carry GraphQL errors,
-- and prints the numbers this benchmark reads as one JSON line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%(body)s]==]

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + thread:get("bad") end
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "bad": %%d, "socket_errors": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%f}\\n',
    summary.requests, summary.duration, total_bad,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_run(target, servers, seconds, connections, temp):
    """One wrk run at fixed concurrency, with the CPU seconds the server's processes used during it."""
    body = target.list_body
    script = temp / f"{target.name.replace(' ', '-')}.lua"
    text = body.decode()
    if "]==]" in text:
        raise BenchError("The request body cannot be put in a Lua long string")
    script.write_text(WRK_SCRIPT % {"body": text})
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{HTTP_TIMEOUT}s",
        "--latency",
        "-s",
        str(script),
        f"http://{HOST}:{target.port}{target.path}",
    ]
    target.server.check_alive()
    watch, per_process = CpuWatch(servers), target.server.cpu_by_process()
    output = run(command, timeout=seconds + HTTP_TIMEOUT + 30, capture=True)
    used = watch.stop()
    # How the work spread over the server's processes: with keep-alive, gunicorn's gthread workers
    # keep the connections each accepted, and one worker may hold all of wrk's connections.
    per_process = {
        str(pid): round(after - per_process.get(pid, 0.0), 2)
        for pid, after in target.server.cpu_by_process().items()
    }
    match = re.search(r"^WRK_RESULT (\{.*\})$", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not match or not rate:
        raise BenchError(f"Could not read wrk's output:\n{output}")
    result = json.loads(match.group(1))
    cpu = used[target.server.name]
    result.update(
        {
            "system": target.name,
            "requests_per_second": float(rate.group(1)),
            "cpu_seconds": cpu,
            "requests_per_cpu_second": result["requests"] / cpu if cpu > 0 else None,
            "cpu_seconds_by_process": used,
            "server_cpu_seconds_by_pid": per_process,
            "wrk_output": output,
        }
    )
    warn_if_busy(f"wrk against {target.name}", used, seconds)
    workers = sorted(per_process.values(), reverse=True)
    # A server of several processes (gunicorn: master and workers) that did nearly all its work in
    # one of them ran on one core: its workers did not share wrk's connections.
    result["one_process_did_the_work"] = len(workers) > 2 and workers[0] >= 0.9 * max(sum(workers), 1e-9)
    if result["one_process_did_the_work"]:
        log(f"note: one {target.server.name} process held all of wrk's connections during this run")
    if result["bad"] or result["socket_errors"]:
        log(f"warning: {target.name}: {result['bad']} bad answers, {result['socket_errors']} socket errors")
    log(
        f"wrk {target.name}: {result['requests_per_second']:.1f} req/s, "
        f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, {cpu:.1f} CPU s "
        f"(by process: {', '.join(f'{value:.1f}' for value in per_process.values())})"
    )
    return result


# --- 7. Report -------------------------------------------------------------------------------


def versions():
    def package(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    directus = json.loads((DIRECTUS_HOME / "node_modules" / "directus" / "package.json").read_text())
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
    return {
        "directus": directus["version"],
        "node": run(["node", "--version"], capture=True, timeout=10).strip(),
        "django": package("django"),
        "wagtail": package("wagtail"),
        "wagtail-grapple": package("wagtail-grapple"),
        "graphene-django": package("graphene-django"),
        "gunicorn": package("gunicorn"),
        "python": sys.version.split()[0],
        "wrk": (wrk.stdout + wrk.stderr).split("[")[0].strip(),
    }


def our_revision():
    """
    The commit our server ran, and the files changed from it: the code changes under the benchmark
    (gunicorn loads it once, at start), so a number is only meaningful with its revision.
    Read-only git calls; None outside a git checkout.
    """
    try:
        head = run(["git", "rev-parse", "HEAD"], capture=True, timeout=10).strip()
        changed = run(["git", "diff", "--name-only", "HEAD", "--"], capture=True, timeout=30).split()
    except BenchError:
        return None
    return {"commit": head, "changed_files": changed}


def fmt(value, unit=""):
    if value is None:
        return "-"
    number = f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return f"{number} {unit}".strip()


def table(results, connections):
    """
    The Markdown table: ours, Directus, ours / Directus. Concurrency rows give the mean of the
    wrk runs, with the lowest and highest run in parentheses when there were several.
    """
    seq, wrk = results["sequential"], results["wrk"]

    def cell(values, unit):
        values = [value for value in values if value is not None]
        if not values:
            return None, "-"
        average = sum(values) / len(values)
        spread = f" ({fmt(min(values))}–{fmt(max(values))})" if len(values) > 1 else ""
        return average, fmt(average, unit) + spread

    def sequential_rows(kind, name):
        part = seq[kind]
        return [
            (
                f"{name}, {label} (sequential)",
                *cell([part["ours"][key]], "ms"),
                *cell([part["Directus"][key]], "ms"),
            )
            for label, key in (("median", "median_ms"), ("p95", "p95_ms"))
        ]

    def wrk_values(system, key, scale):
        return [run[key] * scale if run[key] is not None else None for run in wrk if run["system"] == system]

    rows = sequential_rows("list", "list of 50")
    for measure, key, scale, unit in (
        ("req/s", "requests_per_second", 1.0, ""),
        ("p50", "p50_us", 0.001, "ms"),
        ("p95", "p95_us", 0.001, "ms"),
        ("p99", "p99_us", 0.001, "ms"),
        ("requests per CPU-second", "requests_per_cpu_second", 1.0, ""),
    ):
        ours, theirs = (
            cell(wrk_values("ours", key, scale), unit),
            cell(wrk_values("Directus", key, scale), unit),
        )
        rows.append((f"list of 50, {measure} at {connections} connections", *ours, *theirs))
    rows += sequential_rows("one_page", "one news page")

    lines = ["| | ours | Directus | ratio (ours / Directus) |", "|---|---|---|---|"]
    for label, ours, our_text, theirs, their_text in rows:
        ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"
        lines.append(f"| {label} | {our_text} | {their_text} | {ratio} |")
    return "\n".join(lines)


def footer(results):
    """What was measured, in words: versions, sizes, method, and how busy the machine was."""
    v = results["versions"]
    passes = len(results["wrk"]) // 2
    revision = results["our_revision"]
    at = ""
    if revision:
        changes = f" + {len(revision['changed_files'])} changed files" if revision["changed_files"] else ""
        at = f" at commit {revision['commit'][:10]}{changes}"
    sentences = [
        f"Ours{at}: Django {v['django']}, Wagtail {v['wagtail']}, wagtail-grapple {v['wagtail-grapple']}, "
        f"graphene-django {v['graphene-django']}, gunicorn {v['gunicorn']} "
        f"({results['gunicorn']['workers']} workers × {results['gunicorn']['threads']} threads), "
        f"Python {v['python']}, SQLite, response cache off.",
        f"Directus {v['directus']} on Node {v['node']}, one process, SQLite, cache off.",
        f"{results['news_pages']:,} news pages ({results['copied_news']:,} live ones copied to Directus); "
        f"{results['cpu_count']} cores shared by both servers and the load generator.",
        f"Sequential: {results['rounds']} interleaved rounds of 50 requests per system on one keep-alive "
        f"connection (the one-page request cycles over {len(results['slugs'])} slugs).",
        f"Concurrency: {v['wrk']}, 2 threads, {results['connections']} connections, {results['seconds']} s "
        f"per run, mean of {passes} run(s) per system; p50/p99 are wrk's (p95 from its histogram too).",
        "Latency ratios above 1 mean ours is slower; req/s and requests per CPU-second ratios above 1 "
        "mean ours does more.",
        f"Other processes on the machine used {other_cpu(results):.1f} CPU s during the timed parts "
        f"(load average {results['load_average_at_start'][0]:.2f} at the start).",
    ]
    lopsided = sum(run["one_process_did_the_work"] for run in results["wrk"] if run["system"] == "ours")
    if lopsided:
        sentences.append(
            f"In {lopsided} of {passes} wrk run(s) of ours, one gunicorn worker held all "
            f"{results['connections']} keep-alive connections and did nearly all the work, on one core "
            "(gthread workers keep the connections they accept; server_cpu_seconds_by_pid in the JSON)."
        )
    return "\n" + " ".join(sentences)


def other_cpu(results):
    """CPU seconds that processes other than the servers, this script and wrk used while timing."""
    parts = [results["sequential"][kind]["cpu_seconds_by_process"] for kind in results["sequential"]]
    parts += [run["cpu_seconds_by_process"] for run in results["wrk"]]
    return sum(part["other_processes"] for part in parts)


# --- The run ---------------------------------------------------------------------------------


def benchmark(args):
    results = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "news_pages": None,
        "rounds": args.rounds,
        "seconds": args.seconds,
        "connections": args.connections,
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "timings_s": {},
    }
    results["timings_s"]["directus_install"] = ensure_directus()
    ensure_wrk()
    results["versions"] = versions()
    # What cms/gunicorn.conf.py gives our server with its environment (GUNICORN_* passed on).
    settings = runpy.run_path(str(ROOT / "cms" / "gunicorn.conf.py"))
    results["gunicorn"] = {
        "workers": int(os.environ.get("GUNICORN_WORKERS", "2")),
        "threads": settings["threads"],
    }

    DATA.mkdir(parents=True, exist_ok=True)
    database = DATA / f"peers-{args.pages}.sqlite3"
    temp = Path(tempfile.mkdtemp(prefix="newsroom-peers-"))
    servers = []
    try:
        env = our_environment(database, temp, free_port())
        # Empty: nothing here is served, but WhiteNoise warns about a missing STATIC_ROOT.
        (temp / "static").mkdir()
        prepared = time.monotonic()
        results["timings_s"]["generate_news"] = prepare_our_data(database, args.pages, env)
        results["timings_s"]["our_database"] = time.monotonic() - prepared
        results["news_pages"] = count_news_pages(database)
        flush_redis()

        log("Starting our gunicorn")
        results["our_revision"] = our_revision()
        servers.append(start_ours(env, temp))
        directus_port = free_port()
        log("Starting Directus")
        setup_started = time.monotonic()
        password = secrets.token_urlsafe(24)
        run_folder = temp / "directus"
        run_folder.mkdir()
        servers.append(start_directus(run_folder, directus_port, password))
        admin = DirectusAdmin(directus_port, password)
        create_directus_model(admin)
        news = copy_data(admin, database)
        results["timings_s"]["directus_setup"] = time.monotonic() - setup_started
        results["copied_news"] = len(news)

        our_port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
        ours = Target("ours", servers[0], our_port, "/graphql/", OUR_LIST, our_one_page)
        theirs = Target("Directus", servers[1], directus_port, "/graphql", DIRECTUS_LIST, directus_one_page)
        targets = [ours, theirs]
        slugs = pick_slugs(news)
        results["slugs"] = slugs
        results["answers"] = check_same_answers(ours, theirs, slugs)

        for target in targets:
            log(f"Warming up {target.name} ({WARMUP_REQUESTS} requests)")
            warm_up(target, slugs)

        results["sequential"], results["raw_latencies_ms"] = {}, {}
        for kind, bodies_of in (
            ("list", lambda target: [target.list_body]),
            ("one_page", lambda target: target.one_page_bodies(slugs)),
        ):
            log(f"Sequential: {args.rounds} rounds of 50 {kind.replace('_', '-')} requests per system")
            watch, started = CpuWatch(servers), time.monotonic()
            latencies = sequential(targets, args.rounds, 50, bodies_of)
            used = watch.stop()
            warn_if_busy(f"the sequential {kind} rounds", used, time.monotonic() - started)
            results["sequential"][kind] = {
                name: latency_summary(values) for name, values in latencies.items()
            }
            results["sequential"][kind]["cpu_seconds_by_process"] = used
            results["raw_latencies_ms"][kind] = latencies

        results["wrk"] = []
        for number in range(args.passes):
            for target in targets if number % 2 == 0 else reversed(targets):
                log(f"wrk pass {number + 1}/{args.passes}: {target.name}, {args.seconds} s")
                results["wrk"].append(wrk_run(target, servers, args.seconds, args.connections, temp))
        for server in servers:
            server.check_alive()
    finally:
        for server in servers:
            server.stop()
        # Warnings the servers logged (ours: gunicorn's error log; Directus: LOG_LEVEL=warn and up).
        results["server_logs"] = {server.name: server.tail(4000) for server in servers}
        with contextlib.suppress(BenchError, ImportError):
            flush_redis()
        shutil.rmtree(temp, ignore_errors=True)
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="News pages in our database (default 1000).")
    parser.add_argument("--seconds", type=int, default=20, help="Length of each wrk run (default 20).")
    parser.add_argument("--rounds", type=int, default=10, help="Sequential rounds (default 10).")
    parser.add_argument("--connections", type=int, default=8, help="wrk's connections (default 8).")
    parser.add_argument(
        "--passes", type=int, default=2, help="wrk runs per system, alternating which goes first (default 2)."
    )
    args = parser.parse_args()
    if not (50 <= args.pages <= 1_000_000 and 1 <= args.seconds <= 600 and 1 <= args.rounds <= 100):
        parser.error("--pages 50..1000000, --seconds 1..600, --rounds 1..100")
    if not (1 <= args.connections <= 256 and 1 <= args.passes <= 10):
        parser.error("--connections 1..256, --passes 1..10")
    # A plain `kill` of this script still stops both servers: SystemExit runs the finally blocks.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    try:
        results = benchmark(args)
    except (BenchError, OSError, http.client.HTTPException) as error:
        log(f"error: {type(error).__name__}: {error}")
        return 1
    results["total_s"] = time.monotonic() - STARTED
    output = DATA / f"peers-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(table(results, args.connections))
    print(footer(results))
    print(f"\nRaw numbers: {output.relative_to(ROOT)}; whole run {results['total_s']:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
