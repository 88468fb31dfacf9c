"""
Mixed frontend traffic against /graphql/, for `ops/loadtest/` (docs/load-testing.md).

Each simulated user is a frontend (a Next.js server, an app) reading the queries of docs/contract.md#graphql:
mostly single news pages (popular ones often, so some answers come from the response cache and
the long tail does not) and news lists (the first page of the section or of a sector often, deep
pages rarely), then search with Vietnamese queries with and without diacritics, the sector
menu, and now and then a GET with `?query=` as a CDN-friendly client sends.

Every request is recorded (start time, name, status, outcome, milliseconds, X-Cache) and the
records are written as JSON to $LOADTEST_RECORDS when locust quits; the driver computes its
figures from them (per-second timelines included), not from locust's own statistics.
A 200 whose body has `errors` counts as a failure, and so does anything but JSON.

Environment: LOADTEST_URLPATHS (a JSON list of news urlPaths, newest first), LOADTEST_RECORDS,
LOADTEST_STARTED (a file written when the test starts), LOADTEST_SEED, LOADTEST_WAIT ("min,max"
seconds between two requests of one user).
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
from queries import LIST_QUERY, PAGE_QUERY, SEARCH_QUERY, SECTORS_QUERY

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

RECORDS = []  # [start (epoch s), name, status, outcome, ms, x-cache]
SAMPLES = {}  # outcome → the first answer seen with it (status, a few headers, the body's start)


def _url_paths():
    path = os.environ.get("LOADTEST_URLPATHS")
    paths = json.loads(Path(path).read_text()) if path else []
    return paths or [DEMO_ARTICLE]


URL_PATHS = _url_paths()
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


def record(name, started, response):
    status = response.status_code or 0
    body = response.content
    outcome = outcome_of(status, body)
    elapsed_ms = (time.time() - started) * 1000
    headers = response.headers or {}
    RECORDS.append([round(started, 4), name, status, outcome, round(elapsed_ms, 2), headers.get("X-Cache")])
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

    def post(self, name, query, variables):
        started = time.time()
        with self.client.post(
            "/graphql/", json={"query": query, "variables": variables}, name=name, catch_response=True
        ) as response:
            record(name, started, response)

    def get(self, name, query, variables):
        url = "/graphql/?" + urlencode({"query": query, "variables": json.dumps(variables)})
        started = time.time()
        with self.client.get(url, name=name, catch_response=True) as response:
            record(name, started, response)

    def list_variables(self):
        roll = RANDOM.random()
        page = 1 if roll < 0.7 else RANDOM.randint(2, 5) if roll < 0.9 else RANDOM.randint(6, 80)
        sector = RANDOM.choice(SECTORS) if RANDOM.random() < 0.5 else None
        return {"page": page, "sector": sector}

    def article(self):
        return RANDOM.choices(URL_PATHS, cum_weights=POPULARITY)[0]

    @task(45)
    def news_page(self):
        self.post("page(urlPath)", PAGE_QUERY, {"urlPath": self.article()})

    @task(30)
    def news_list(self):
        variables = self.list_variables()
        self.post("newsPages(sector)" if variables["sector"] else "newsPages", LIST_QUERY, variables)

    @task(12)
    def search(self):
        page = 1 if RANDOM.random() < 0.85 else 2
        self.post("search", SEARCH_QUERY, {"q": RANDOM.choice(SEARCHES), "page": page})

    @task(8)
    def sectors(self):
        self.post("sectors", SECTORS_QUERY, {})

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
