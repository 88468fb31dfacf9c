"""
Attacks the GraphQL endpoint as an anonymous client would, over HTTP, against the production
stack on this machine: gunicorn with the production settings, PostgreSQL and Redis, with
--pages news pages. Prints, for every request class, its status, time and answer size, slowest
first. A tool, not a test (the classes are pinned in api/tests/test_hostile_requests.py):

    .venv/bin/python bench/attack.py                  # 1,000 pages, each attack 3 times
    .venv/bin/python bench/attack.py --pages 10000 --repeat 5

Every request is made distinct (its own operation name) so the response cache never answers it:
each one is measured as the first of its kind. The database newsroom_attack_<pages> is kept
between runs (--fresh starts over); Redis database 13 is flushed before and after.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = "redis://127.0.0.1:6379/13"

LISTS_OF_LISTS = "newsPages(perPage: $n) { items { ancestors { children(limit: $n) { title } } } }"
SEARCH_LISTS = (
    'search(query: "hop tac", perPage: $n) { items { ancestors { children(limit: $n) { title } } } }'
)
FULL_NEWS = """
  id title slug url urlPath date author intro heroCaption firstPublishedAt lastPublishedAt
  heroImage { url width height srcSet(sizes: [320, 480, 640, 800, 960, 1200, 1600], format: "webp")
              rendition(width: 1600) { url width height } }
  sectors { id name slug description newsCount } tags { id name slug }
  parent { title urlPath } ancestors { title urlPath }
  body { id field blockType rawValue
    ... on CharBlock { value } ... on RichTextBlock { value }
    ... on ImageBlock { caption credit image { url srcSet(sizes: [320, 640, 960, 1200, 1600]) } }
    ... on QuoteBlock { text attribution }
    ... on KeyFiguresBlock { title figures { value label } }
    ... on DocumentChooserBlock { document { title url } } ... on EmbedBlock { url } }
"""


def aliased(field, times=15):
    return " ".join(f"a{i}: {field}" for i in range(times))


LIST_100 = LISTS_OF_LISTS.replace("$n", "100")
FIFTEEN_LISTS = aliased(LISTS_OF_LISTS)
FULL_ITEMS = f"items {{ {FULL_NEWS} }}"
BODIES_100 = "newsPages(perPage: 100) { items { body { rawValue ... on RichTextBlock { value } } } }"
SIX_THOUSAND = "query OP($s: [Int]) { newsPages(perPage: 100) { items { heroImage { srcSet(sizes: $s) } } } }"
INDEX_CHILDREN = (
    'query OP { page(urlPath: "/tin-tuc/") { children(limit: 100) { ancestors { children(limit: 100) '
    "{ title } } } } }"
)
PAGE_50 = (
    'query OP { search(query: "bac kan", page: 50, perPage: 20) { items { title } pagination { total } } }'
)
SLUG = "query OP($s: String) { newsPage(slug: $s) { title } }"

# (class, document with OP for the operation name, variables)
ATTACKS = [
    ("15 × lists of lists, perPage from a float", f"query OP($n: Int) {{ {FIFTEEN_LISTS} }}", {"n": 100.0}),
    ("15 × lists of lists, operation default", f"query OP($n: Int = 100) {{ {FIFTEEN_LISTS} }}", {}),
    ("15 × search lists of lists", f"query OP($n: Int) {{ {aliased(SEARCH_LISTS)} }}", {"n": 100}),
    ("srcSet with 6,000 sizes", SIX_THOUSAND, {"s": [320] * 6000}),
    ("lone surrogate in variables", SLUG, {"s": "\ud800"}),
    ("NUL in a slug", SLUG, {"s": "a\x00"}),
    ("one list of lists", f"query OP {{ {LIST_100} }}", {}),
    ("2 × lists of lists", f"query OP {{ {aliased(LIST_100, 2)} }}", {}),
    ("3 × lists of lists (most the cost allows)", f"query OP {{ {aliased(LIST_100, 3)} }}", {}),
    ("4 × lists of lists", f"query OP {{ {aliased(LIST_100, 4)} }}", {}),
    ("50 news, every field and block", f"query OP {{ newsPages(perPage: 50) {{ {FULL_ITEMS} }} }}", {}),
    ("100 news, every field and block", f"query OP {{ newsPages(perPage: 100) {{ {FULL_ITEMS} }} }}", {}),
    ("search, 100 results, every field",
     f'query OP {{ search(query: "hop tac", perPage: 100) {{ {FULL_ITEMS} }} }}', {}),
    ("search, page 50 of a common word", PAGE_50, {}),
    ("15 × 100 titles", f"query OP {{ {aliased('newsPages(perPage: 100) { items { title intro } }')} }}", {}),
    ("4 × 100 rich-text bodies", f"query OP {{ {aliased(BODIES_100, 4)} }}", {}),
    ("2 × 100 rich-text bodies", f"query OP {{ {aliased(BODIES_100, 2)} }}", {}),
    ("children of the news index, 100 deep twice", INDEX_CHILDREN, {}),
    ("sectors with counts, 15 aliases", f"query OP {{ {aliased('sectors { name newsCount }')} }}", {}),
]  # fmt: skip


def run(command, env, **kwargs):
    return subprocess.run(command, env=env, check=True, cwd=ROOT, **kwargs)


def prepare(pages, fresh):
    name = f"newsroom_attack_{pages}"
    psql = ["psql", f"{POSTGRES}/postgres", "-q", "-t", "-c"]
    if fresh:
        run([*psql, f"DROP DATABASE IF EXISTS {name}"], os.environ)
    exists = run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"], os.environ,
                 capture_output=True, text=True).stdout.strip()  # fmt: skip
    if not exists:
        run([*psql, f"CREATE DATABASE {name}"], os.environ)
    scratch = Path(tempfile.mkdtemp(prefix="newsroom-attack-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{POSTGRES}/{name}",
        "REDIS_URL": REDIS_URL,
        "MEDIA_ROOT": str(ROOT / "bench" / ".data" / "media"),
        "STATIC_ROOT": str(scratch / "static"),
        "GUNICORN_WORKERS": "2",
        "GUNICORN_ACCESS_LOG": str(scratch / "access.log"),
    }
    python = sys.executable
    run([python, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([python, "manage.py", "load_demo_content"], env, stdout=subprocess.DEVNULL)
    count_news = "from news.models import NewsPage; print(NewsPage.objects.count())"
    shell = [python, "manage.py", "shell", "--no-imports", "-c", count_news]
    count = run(shell, env, capture_output=True, text=True).stdout.strip()
    if pages - int(count) > 0:
        print(f"generating {pages - int(count)} news pages ...", file=sys.stderr)
        run([python, "manage.py", "generate_news", str(pages - int(count))], env, stdout=subprocess.DEVNULL)
    return env, scratch


def redis_flush():
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def post(base, document, variables):
    body = json.dumps({"query": document, "variables": variables}).encode()
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{base}/graphql/", data=body, headers={"Content-Type": "application/json", "Host": "127.0.0.1"}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            status, answer = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, answer = error.code, error.read()
    elapsed = time.perf_counter() - started
    errors = json.loads(answer).get("errors") if answer.startswith(b"{") else None
    return status, elapsed, len(answer), (errors or [{}])[0].get("message", "")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    from testing.services import GunicornServer

    env, scratch = prepare(args.pages, args.fresh)
    redis_flush()
    server = GunicornServer(env, scratch)
    rows = []
    try:
        server.wait_ready()
        base = server.base
        post(base, "{ sectors { slug } }", {})  # warm the workers
        serial = 0
        for name, document, variables in ATTACKS:
            runs = []
            for _ in range(args.repeat):
                serial += 1
                runs.append(post(base, document.replace("OP", f"Attack{serial}"), variables))
            status, _elapsed, size, message = runs[-1]
            times = [elapsed for _status, elapsed, _size, _message in runs]
            rows.append((max(times), statistics.median(times), status, size, name, message))
    finally:
        server.stop()
        redis_flush()
    print(
        f"\nAttacks on gunicorn + PostgreSQL + Redis (production settings), {args.pages:,} news pages, "
        f"{args.repeat} runs each, every request uncached\n"
    )
    print("| request | status | slowest | median | answer | error |\n|---|---|---|---|---|---|")
    for slowest, median, status, size, name, message in sorted(rows, reverse=True):
        times = f"{slowest * 1000:,.0f} ms | {median * 1000:,.0f} ms"
        print(f"| {name} | {status} | {times} | {size / 1024:,.1f} KB | {message[:90]} |")
    slowest = max(rows)
    largest = max(row[3] for row in rows) / 1024
    print(f"\nslowest: {slowest[4]}, {slowest[0] * 1000:,.0f} ms; largest answer {largest:,.0f} KB")


if __name__ == "__main__":
    main()
