"""
Directus's side of the side-by-side benchmark (bench/peers.py): installed once from the npm
registry (step 1), started with its own SQLite file, given the same content model through its
REST API and our live news, sectors and tags, with the same ids (step 4).
"""

import contextlib
import json
import os
import secrets
import shutil
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.peers_processes import (
    HOST,
    START_TIMEOUT,
    BenchError,
    Server,
    base_environment,
    http_request,
    log,
    run,
    wait_until,
)

DIRECTUS_VERSION = "11.17.4"
DIRECTUS_HOME = Path.home() / ".cache" / "newsroom-bench" / f"directus-{DIRECTUS_VERSION}"
NPM_TIMEOUT = 1800
# Directus rejects request bodies over 1 MB by default: inserts are sent in smaller batches.
INSERT_BATCH_BYTES = 600_000
INSERT_BATCH_ITEMS = 200


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
