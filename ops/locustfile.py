"""
Mixed frontend traffic against /graphql/, for `ops/loadtest/` (docs/load-testing.md).

Each simulated user is a frontend (a Next.js server, an app) reading the queries of docs/contract.md#graphql:
mostly single news pages (popular ones often, so some answers come from the response cache and
the long tail does not) and news lists (the first page of the section or of a sector often, deep
pages rarely), then search with Vietnamese queries with and without diacritics, the sector
menu, and now and then a GET with `?query=` as a CDN-friendly client sends.

With LOADTEST_READ_METHOD=get (the driver's --varnish) every read is a GET with `?query=` and
`&variables=`, as a frontend behind a CDN or Varnish sends them so they can be cached there.
When the driver names watched pages (LOADTEST_WATCHED: the pages the editor unpublishes now and
then), readers also ask for them by slug (WATCHED_QUERY), and each such record says whether the
answer showed the page.

Every request is recorded (start time, name, status, outcome, milliseconds, X-Cache — the
origin's own response cache —, X-Varnish-Cache, and for a watched page [slug, shown]) and the
records are written as JSON to $LOADTEST_RECORDS when locust quits; the driver computes its
figures from them (per-second timelines included), not from locust's own statistics.
A 200 whose body has `errors` counts as a failure, and so does anything but JSON.

Environment: LOADTEST_URLPATHS (a JSON list of news urlPaths, newest first), LOADTEST_RECORDS,
LOADTEST_STARTED (a file written when the test starts), LOADTEST_SEED, LOADTEST_WAIT ("min,max"
seconds between two requests of one user), LOADTEST_READ_METHOD (post or get), LOADTEST_WATCHED
(a JSON file: [{"page": id, "slug": slug}, ...]).
"""

import itertools
import json
import os
import random
import time
from pathlib import Path
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from queries import LIST_QUERY, PAGE_QUERY, SEARCH_QUERY, SECTORS_QUERY, WATCHED_QUERY

SECTORS = [
    "nong-nghiep",
    "khoa-hoc-cong-nghe",
    "cong-nghiep",
    "tieu-thu-cong-nghiep",
    "giao-duc",
    "y-te",
    "du-lich",
    "van-hoa",
]
DEMO_ARTICLE = "/tin-tuc/tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong/"
# Readers type both forms; the API folds accents, so each pair finds the same pages.
SEARCHES = [
    "Bắc Kạn",
    "bac kan",
    "Hà Nội",
    "ha noi",
    "nông nghiệp",
    "nong nghiep",
    "du lịch",
    "du lich",
    "giáo dục",
    "giao duc",
    "y tế",
    "y te",
    "chuyển giao kỹ thuật",
    "chuyen giao ky thuat",
    "Đồng Phúc",
    "dong phuc",
    "hợp tác",
    "hop tac",
    "khinh khí cầu",  # no match
]

# [start (epoch s), name, status, outcome, ms, x-cache, x-varnish-cache, [slug, shown], key]: the key
# names what was asked (the request's name and variables), so a repeat of an earlier read is known.
RECORDS = []
SAMPLES = {}  # outcome → the first answer seen with it (status, a few headers, the body's start)


def _url_paths():
    path = os.environ.get("LOADTEST_URLPATHS")
    paths = json.loads(Path(path).read_text()) if path else []
    return paths or [DEMO_ARTICLE]


def _watched():
    path = os.environ.get("LOADTEST_WATCHED")
    return [item["slug"] for item in json.loads(Path(path).read_text())] if path else []


URL_PATHS = _url_paths()
WATCHED = _watched()
READ_METHOD = os.environ.get("LOADTEST_READ_METHOD", "post")
# Popularity of articles falls with their rank (Zipf, s = 1): the newest dozen draw about a third
# of the reads, and every article is read now and then.
POPULARITY = list(itertools.accumulate(1 / rank for rank in range(1, len(URL_PATHS) + 1)))
RANDOM = random.Random(int(os.environ.get("LOADTEST_SEED", "1")))
WAIT = [float(value) for value in os.environ.get("LOADTEST_WAIT", "0.2,1.0").split(",")]


def outcome_of(status, body):
    """What an answer means for a frontend: ok, or the kind of failure."""
    if status == 0:
        return "connection-error"
    try:
        payload = json.loads(body or b"")
    except ValueError:
        payload = None
    if status == 200:
        if not isinstance(payload, dict):
            return "200-not-json"
        if payload.get("errors"):
            return "200-with-errors"
        return "ok" if "data" in payload else "200-no-data"
    if status == 503:
        errors = payload.get("errors") if isinstance(payload, dict) else None
        code = errors and isinstance(errors[0], dict) and errors[0].get("extensions", {}).get("code")
        return "503-json" if code == "SERVICE_UNAVAILABLE" else "503-other"
    return f"{status}-json" if isinstance(payload, dict) else f"{status}-other"


def shown(body):
    """Whether a WATCHED_QUERY answer holds the page (None: no readable answer)."""
    try:
        return json.loads(body)["data"]["newsPage"] is not None
    except (ValueError, KeyError, TypeError):
        return None


def record(name, started, response, slug=None, key=None):
    status = response.status_code or 0
    body = response.content
    outcome = outcome_of(status, body)
    elapsed_ms = (time.time() - started) * 1000
    headers = response.headers or {}
    RECORDS.append(
        [
            round(started, 4),
            name,
            status,
            outcome,
            round(elapsed_ms, 2),
            headers.get("X-Cache"),
            headers.get("X-Varnish-Cache"),
            [slug, shown(body)] if slug else None,
            key,
        ]
    )
    if outcome not in SAMPLES:
        SAMPLES[outcome] = {
            "status": status,
            "request": name,
            "content_type": headers.get("Content-Type"),
            "retry_after": headers.get("Retry-After"),
            "body": (body or b"")[:400].decode("utf-8", "replace"),
            "error": repr(getattr(response, "error", None)) if status == 0 else None,
        }
    if outcome == "ok":
        response.success()
    else:
        response.failure(f"{outcome} (HTTP {status})")


class Frontend(FastHttpUser):
    wait_time = between(*WAIT)
    default_headers = {"Accept": "application/json", "Accept-Encoding": "gzip"}

    def read(self, name, query, variables, slug=None):
        """A read as the run sends them: POST, or GET with LOADTEST_READ_METHOD=get."""
        if READ_METHOD == "get":
            self.get(name, query, variables, slug)
        else:
            self.post(name, query, variables, slug)

    def post(self, name, query, variables, slug=None):
        started = time.time()
        with self.client.post(
            "/graphql/", json={"query": query, "variables": variables}, name=name, catch_response=True
        ) as response:
            record(name, started, response, slug, key=f"{name} {json.dumps(variables, sort_keys=True)}")

    def get(self, name, query, variables, slug=None):
        url = "/graphql/?" + urlencode({"query": query, "variables": json.dumps(variables)})
        started = time.time()
        with self.client.get(url, name=name, catch_response=True) as response:
            record(name, started, response, slug, key=f"{name} {json.dumps(variables, sort_keys=True)}")

    def list_variables(self):
        roll = RANDOM.random()
        page = 1 if roll < 0.7 else RANDOM.randint(2, 5) if roll < 0.9 else RANDOM.randint(6, 80)
        sector = RANDOM.choice(SECTORS) if RANDOM.random() < 0.5 else None
        return {"page": page, "sector": sector}

    def article(self):
        return RANDOM.choices(URL_PATHS, cum_weights=POPULARITY)[0]

    @task(45)
    def news_page(self):
        self.read("page(urlPath)", PAGE_QUERY, {"urlPath": self.article()})

    @task(30)
    def news_list(self):
        variables = self.list_variables()
        self.read("newsPages(sector)" if variables["sector"] else "newsPages", LIST_QUERY, variables)

    @task(12)
    def search(self):
        page = 1 if RANDOM.random() < 0.85 else 2
        self.read("search", SEARCH_QUERY, {"q": RANDOM.choice(SEARCHES), "page": page})

    @task(8)
    def sectors(self):
        self.read("sectors", SECTORS_QUERY, {})

    @task(10 if WATCHED else 0)  # (a weight of 0: never, as in the warm-up, which has no editor)
    def watched_page(self):
        slug = RANDOM.choice(WATCHED)  # a page the editor unpublishes now and then, by its slug
        self.read("newsPage(slug) watched", WATCHED_QUERY, {"slug": slug}, slug)

    @task(5)
    def with_get(self):
        roll = RANDOM.random()
        if roll < 0.4:
            self.get("GET newsPages", LIST_QUERY, {"page": 1, "sector": None})
        elif roll < 0.7:
            self.get("GET sectors", SECTORS_QUERY, {})
        else:
            self.get("GET page(urlPath)", PAGE_QUERY, {"urlPath": self.article()})


@events.test_start.add_listener
def started(environment, **kwargs):
    if path := os.environ.get("LOADTEST_STARTED"):
        Path(path).write_text(str(time.time()))


@events.quitting.add_listener
def write_records(environment, **kwargs):
    if path := os.environ.get("LOADTEST_RECORDS"):
        Path(path).write_text(json.dumps({"records": RECORDS, "samples": SAMPLES}, ensure_ascii=False))
