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
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

# name → (words, extra variables): each query class readers send.
SEARCH_QUERIES = {
    "common words (bac kan)": ("bac kan", {}),
    "with diacritics (Hà Nội)": ("Hà Nội", {}),
    "without diacritics (ha noi)": ("ha noi", {}),
    "phrase (chuyển giao kỹ thuật)": ("chuyển giao kỹ thuật", {}),
    "rare (dong phuc)": ("dong phuc", {}),
    "no match (khinh khi cau)": ("khinh khi cau", {}),
    "sector filter (nông nghiệp, y-te)": ("nông nghiệp", {"sector": "y-te"}),
    "page 50 (bac kan)": ("bac kan", {"page": 50}),
}
SEARCH_DOCUMENT = """query ($q: String!, $page: Int, $sector: String) {
  search(query: $q, page: $page, perPage: 20, sector: $sector) {
    items { title urlPath date sectors { name } searchExcerpt } pagination { total totalIsEstimate } } }"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def timed(function, repeat, warmup=3, before=None):
    """Median and p95 of `function()` in ms; `before()` runs ahead of each call, outside the timing."""
    for _ in range(warmup):
        if before:
            before()
        function()
    times = []
    for _ in range(repeat):
        if before:
            before()
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
    from django.test.utils import override_settings

    results = {}
    with override_settings(GRAPHQL_RESPONSE_CACHE_SECONDS=0):  # measure the search, not the cache
        for name, (query, variables) in SEARCH_QUERIES.items():
            run = graphql(client, SEARCH_DOCUMENT, {"q": query, **variables})
            pagination = run()["data"]["search"]["pagination"]
            results[name] = {
                **timed(run, repeat),
                "hits": pagination["total"],
                "estimate": pagination["totalIsEstimate"],
                "sql_queries": count_queries(run),
            }
            log(f"  search {name}: {results[name]}")
    for name, row in search_over_http(repeat).items():
        results[name].update(row)
        log(f"  search {name} over HTTP: {row}")
    return results


def search_over_http(repeat):
    """
    The same searches sent to `make serve`'s gunicorn (production settings, one worker, response
    cache off) on the same database, over one kept-alive loopback connection: what a frontend
    server waits for, JSON parsing and HTTP included.
    """
    import http.client
    import secrets
    import tempfile

    from testing.services import GunicornServer, redis_answers

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "GRAPHQL_RESPONSE_CACHE_SECONDS": "0",
        "GUNICORN_WORKERS": "1",
    }
    if redis_answers():
        env["REDIS_URL"] = "redis://127.0.0.1:6379/13"
    results = {}
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as scratch:
        env["STATIC_ROOT"] = str(Path(scratch) / "static")
        env["GUNICORN_ACCESS_LOG"] = str(Path(scratch) / "access.log")
        server = GunicornServer(env, Path(scratch))
        try:
            server.wait_ready()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            for name, (query, variables) in SEARCH_QUERIES.items():
                body = json.dumps({"query": SEARCH_DOCUMENT, "variables": {"q": query, **variables}})

                def post(body=body):
                    connection.request(
                        "POST", "/graphql/", body, {"Content-Type": "application/json", "Host": "127.0.0.1"}
                    )
                    response = connection.getresponse()
                    answer = json.loads(response.read())
                    assert response.status == 200 and "errors" not in answer, answer

                row = timed(post, repeat)
                results[name] = {"http_median_ms": row["median_ms"], "http_p95_ms": row["p95_ms"]}
            connection.close()
        finally:
            server.stop()
    return results


NEWS_FIELDS = """
  id title slug urlPath date author intro heroCaption
  heroImage { rendition(width: 800) { url width height } }
  sectors { name slug } tags { name slug }
  body { id field blockType rawValue
    ... on RichTextBlock { value }
    ... on ImageBlock { caption credit image { rendition(width: 800) { url width height } } }
    ... on KeyFiguresBlock { title figures { value label } } }
"""
LIST_DOCUMENT = f"{{ newsPages(perPage: 50) {{ items {{ {NEWS_FIELDS} }} pagination {{ total }} }} }}"
# The same fields without renditions (which take arguments): all of them stored (answers.stored).
STORED_FIELDS = """
  id title slug urlPath date author intro heroCaption
  heroImage { url width height }
  sectors { name slug } tags { name slug }
  body { id field blockType rawValue
    ... on RichTextBlock { value }
    ... on ImageBlock { caption credit image { url width height } }
    ... on KeyFiguresBlock { title figures { value label } } }
"""
STORED_LIST_DOCUMENT = (
    f"{{ newsPages(perPage: 50) {{ items {{ {STORED_FIELDS} }} pagination {{ total }} }} }}"
)
REST_URL = (
    "/api/v2/pages/?type=news.NewsPage&limit=50&order=-date"
    "&fields=date,author,intro,hero_rendition,hero_caption,sectors,tags,body"
)


def rest(client):
    def run():
        response = client.get(REST_URL)
        assert response.status_code == 200, response.content[:500]
        return response

    return run


def floor():
    """The same rows, fetched by hand-written ORM code and dumped to JSON: the least work possible."""
    from news.models import NewsPage

    pages = (
        NewsPage.objects.live()
        .order_by("-date", "-pk")
        .select_related("hero_image")
        .prefetch_related("sectors", "tags", "hero_image__renditions")[:50]
    )
    items = []
    for page in pages:
        rendition = page.hero_image.get_rendition("width-800") if page.hero_image else None
        items.append(
            {
                "id": page.pk, "title": page.title, "slug": page.slug, "urlPath": page.url_path,
                "date": page.date.isoformat(), "author": page.author, "intro": page.intro,
                "heroCaption": page.hero_caption,
                "heroImage": rendition
                and {"url": rendition.url, "width": rendition.width, "height": rendition.height},
                "sectors": [{"name": s.name, "slug": s.slug} for s in page.sectors.all()],
                "tags": [{"name": t.name, "slug": t.slug} for t in page.tags.all()],
                "body": list(page.body.raw_data),
            }
        )  # fmt: skip
    return json.dumps({"items": items}, ensure_ascii=False)


def list_suite(client, repeat):
    from django.test.utils import override_settings

    from news.models import NewsPage

    results = {}
    with override_settings(GRAPHQL_RESPONSE_CACHE_SECONDS=0):
        uncached = graphql(client, LIST_DOCUMENT)
        results["GraphQL newsPages(perPage: 50)"] = {
            **timed(uncached, repeat),
            "sql_queries": count_queries(uncached),
        }
        results["REST API v2, same data"] = {
            **timed(rest(client), repeat),
            "sql_queries": count_queries(rest(client)),
        }
        results["floor: hand-written ORM + JSON"] = {
            **timed(floor, repeat),
            "sql_queries": count_queries(floor),
        }
        article = NewsPage.objects.live().exclude(body=[]).order_by("-date").first()
        path = article.get_url_parts()[2]
        detail = graphql(client, f'{{ page(urlPath: "{path}") {{ ... on NewsPage {{ {NEWS_FIELDS} }} }} }}')
        results["GraphQL page(urlPath)"] = {**timed(detail, repeat), "sql_queries": count_queries(detail)}
        results.update(stored_rows(client, repeat, article))
    cached = graphql(client, LIST_DOCUMENT)
    results["GraphQL newsPages(perPage: 50), cached"] = {
        **timed(cached, repeat),
        "sql_queries": count_queries(cached),
    }
    for name, row in results.items():
        log(f"  {name}: {row}")
    return results


def stored_rows(client, repeat, article):
    """
    A list of 50 and one page whose fields are all stored: read from stored answers, built from
    the database (stored answers off), and right after one page of the list was published (its
    answer dropped before each request, so one page is built and stored again).
    """
    from django.test.utils import override_settings

    from answers.models import StoredAnswer

    listed = graphql(client, STORED_LIST_DOCUMENT)
    locale = article.locale.language_code
    one = graphql(client, f'{{ newsPage(slug: "{article.slug}", locale: "{locale}") {{ {STORED_FIELDS} }} }}')
    newest = listed()["data"]["newsPages"]["items"][0]["id"]
    rows = {}
    for name, run in (("newsPages(perPage: 50)", listed), ("newsPage(slug)", one)):
        rows[f"GraphQL {name}, stored fields"] = {**timed(run, repeat), "sql_queries": count_queries(run)}
        with override_settings(GRAPHQL_STORED_ANSWERS=False):
            rows[f"GraphQL {name}, stored fields, stored answers off"] = {
                **timed(run, repeat),
                "sql_queries": count_queries(run),
            }

    def drop():
        StoredAnswer.objects.filter(page_id=newest).delete()

    rows["GraphQL newsPages(perPage: 50), stored fields, one just published"] = {
        **timed(listed, repeat, before=drop),
        "sql_queries": drop() or count_queries(listed),
    }
    return rows


SITEMAP_DOCUMENT = """query ($page: Int!) {
  sitemap(page: $page, perPage: 5000) { items { urlPath lastPublishedAt } pagination { total nextPage } } }"""


def sitemap_suite(client, repeat):
    """A frontend writing sitemap.xml: every page of `sitemap` at 5,000 entries, uncached."""
    from django.test.utils import override_settings

    results = {}
    with override_settings(GRAPHQL_RESPONSE_CACHE_SECONDS=0):

        def walk():
            entries, page, requests = 0, 1, 0
            while page is not None:
                answer = graphql(client, SITEMAP_DOCUMENT, {"page": page})()["data"]["sitemap"]
                entries += len(answer["items"])
                requests += 1
                page = answer["pagination"]["nextPage"]
            return entries, requests

        entries, requests = walk()
        walks = max(3, repeat // 10)
        results["full walk, 5,000 a request"] = {
            **timed(walk, walks, warmup=1),
            "entries": entries,
            "requests": requests,
        }
        first, last = (
            graphql(client, SITEMAP_DOCUMENT, {"page": 1}),
            graphql(client, SITEMAP_DOCUMENT, {"page": requests}),
        )
        results["first page"] = {**timed(first, repeat), "sql_queries": count_queries(first)}
        results["last page"] = {**timed(last, repeat), "sql_queries": count_queries(last)}
    for name, row in results.items():
        log(f"  {name}: {row}")
    return results


NEWS_PAGE_DOCUMENT = "query ($slug: String!) { newsPage(slug: $slug) { %s } }"
RELATED_FIELDS = (
    "title related { title urlPath heroImage { url } } previous { title urlPath } next { title urlPath }"
)
RELATED_LIST_DOCUMENT = """{ newsPages(perPage: 50) {
  items { title related { title urlPath } previous { title } next { title } } } }"""
PLAIN_LIST_DOCUMENT = "{ newsPages(perPage: 50) { items { title urlPath } } }"


def related_suite(client, repeat):
    """
    `related`, `previous` and `next` on one news page (the oldest, a middle one, the newest) and on
    a list of 50, against the same requests without them, response cache off. "pool cold": the
    cache is cleared before each request, so the related candidates are read again (as after any
    content change); it also drops the content version and the next scheduled change, which the
    "without them, cache cleared" row prices alone.
    """
    from django.core.cache import cache
    from django.test.utils import override_settings
    from wagtail.models import Locale

    from news.models import NewsPage

    def row(run, before=None):
        measured = timed(run, repeat, before=before)
        if before:
            before()
        return {**measured, "sql_queries": count_queries(run)}

    results = {}
    with override_settings(GRAPHQL_RESPONSE_CACHE_SECONDS=0):
        visible = NewsPage.objects.visible_in(locale=Locale.get_default())  # the Vietnamese news
        places = {
            "oldest": visible.order_by("date", "pk").first(),
            "middle": visible.order_by("date", "pk")[visible.count() // 2],
            "newest": visible.order_by("-date", "-pk").first(),
        }
        for place, page in places.items():
            fields = graphql(client, NEWS_PAGE_DOCUMENT % RELATED_FIELDS, {"slug": page.slug})
            plain = graphql(client, NEWS_PAGE_DOCUMENT % "title", {"slug": page.slug})
            answer = fields()["data"]["newsPage"]
            assert answer["title"] == page.title and answer["related"], (place, answer)
            assert (answer["previous"] is None) == (place == "oldest"), (place, answer)
            assert (answer["next"] is None) == (place == "newest"), (place, answer)
            baseline = f"{place} page, without them"
            results[f"{place} page, related previous next"] = {**row(fields), "baseline": baseline}
            results[f"{place} page, related previous next, pool cold"] = {
                **row(fields, before=cache.clear),
                "baseline": baseline,
            }
            results[baseline] = {**row(plain), "baseline": baseline}
        results["newest page, without them, cache cleared"] = {
            **row(plain, before=cache.clear),
            "baseline": "newest page, without them",
        }
        fields, plain = graphql(client, RELATED_LIST_DOCUMENT), graphql(client, PLAIN_LIST_DOCUMENT)
        items = fields()["data"]["newsPages"]["items"]
        assert len(items) == min(50, visible.count()) and any(item["related"] for item in items), items
        baseline = "newsPages(perPage: 50), title urlPath"
        results["newsPages(perPage: 50), related previous next"] = {**row(fields), "baseline": baseline}
        results[baseline] = {**row(plain), "baseline": baseline}
    for name, measured in results.items():
        log(f"  {name}: {measured}")
    return results


SUITES = {"search": search_suite, "list": list_suite, "sitemap": sitemap_suite, "related": related_suite}


def main():
    import gc

    from cms.schema import schema  # noqa: F401 (load it before freezing, as cms.wsgi does)

    gc.freeze()  # as cms/wsgi.py does in servers
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
