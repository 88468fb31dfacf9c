"""
Measures one database, in this process: `python bench/measure.py --pages 10000 --suite search`.
Run by bench/run.py once per database (DATABASE_URL set by it); prints one JSON line of results
on stdout, progress on stderr.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

SEARCH_QUERIES = {
    "common words (bac kan)": "bac kan",
    "with diacritics (Hà Nội)": "Hà Nội",
    "phrase (chuyển giao kỹ thuật)": "chuyển giao kỹ thuật",
    "rare (dong phuc)": "dong phuc",
    "no match (khinh khi cau)": "khinh khi cau",
}
SEARCH_DOCUMENT = """query ($q: String!) { search(query: $q, perPage: 20) {
  items { title urlPath date sectors { name } } pagination { total } } }"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def timed(function, repeat, warmup=3):
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 2),
        "runs": repeat,
    }


def graphql(client, document, variables=None):
    def run():
        response = client.post(
            "/graphql/",
            json.dumps({"query": document, "variables": variables or {}}),
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body

    return run


def count_queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


def prepare(pages):
    from news.models import NewsPage

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    missing = pages - NewsPage.objects.count()
    if missing > 0:
        log(f"generating {missing} news pages ...")
        started = time.perf_counter()
        call_command("generate_news", missing, stdout=open(os.devnull, "w"))
        log(f"generated in {time.perf_counter() - started:.0f} s")
    return NewsPage.objects.count()


def search_suite(client, repeat):
    results = {}
    for name, query in SEARCH_QUERIES.items():
        run = graphql(client, SEARCH_DOCUMENT, {"q": query})
        total = run()["data"]["search"]["pagination"]["total"]
        results[name] = {**timed(run, repeat), "hits": total, "sql_queries": count_queries(run)}
        log(f"  search {name}: {results[name]}")
    return results


SUITES = {"search": search_suite}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--suite", choices=SUITES, action="append", required=True)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    pages = prepare(args.pages)
    client = Client()
    reset_queries()
    output = {"database": connection.vendor, "news_pages": pages}
    for suite in args.suite:
        log(f"{suite} on {connection.vendor}, {pages} news pages")
        output[suite] = SUITES[suite](client, args.repeat)
    print(json.dumps(output, ensure_ascii=False))


if __name__ == "__main__":
    main()
