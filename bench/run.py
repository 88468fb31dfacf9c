"""
Benchmarks, one process per database, same generated content in each.

    python bench/run.py --suite search --pages 10000
    python bench/run.py --suite search --pages 1000 --pages 100000 --databases sqlite

Databases are kept between runs (bench/.data/*.sqlite3 and PostgreSQL databases named
newsroom_bench_<pages>), so a second run does not generate the pages again; --fresh starts over.
PostgreSQL is reached at BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def database_url(database, pages, fresh):
    if database == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"bench-{pages}.sqlite3"
        if fresh and path.exists():
            path.unlink()
        return f"sqlite:///{path}"
    name = f"newsroom_bench_{pages}"
    psql = ["psql", f"{POSTGRES}/postgres", "-q", "-t", "-c"]
    if fresh:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
    exists = subprocess.run(
        [*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    return f"{POSTGRES}/{name}"


def measure(database, pages, suites, repeat, fresh):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(database, pages, fresh),
        "MEDIA_ROOT": str(DATA / "media"),
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    command = [
        sys.executable,
        str(ROOT / "bench" / "measure.py"),
        "--pages",
        str(pages),
        "--repeat",
        str(repeat),
    ]
    for suite in suites:
        command += ["--suite", suite]
    result = subprocess.run(command, env=environment, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def search_table(results):
    lines = [
        "| query | database | pages | median | p95 | p95 over HTTP | total | SQL |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, row in result["search"].items():
            total = f"~{row['hits']:,}" if row.get("estimate") else f"{row['hits']:,}"
            lines.append(
                f"| {name} | {result['database']} | {result['news_pages']:,} | {row['median_ms']:.1f} ms "
                f"| {row['p95_ms']:.1f} ms | {row['http_p95_ms']:.1f} ms | {total} | {row['sql_queries']} |"
            )
    return "\n".join(lines)


def list_table(results):
    lines = [
        "| request | database | pages | median | p95 | SQL | × REST | × floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        rows = result["list"]
        rest = rows["REST API v2, same data"]["median_ms"]
        floor = rows["floor: hand-written ORM + JSON"]["median_ms"]
        for name, row in rows.items():
            lines.append(
                f"| {name} | {result['database']} | {result['news_pages']:,} | {row['median_ms']:.2f} ms "
                f"| {row['p95_ms']:.2f} ms | {row['sql_queries']} | {row['median_ms'] / rest:.2f} "
                f"| {row['median_ms'] / floor:.2f} |"
            )
    return "\n".join(lines)


def sitemap_table(results):
    lines = [
        "| request | database | pages | median | p95 | entries | requests or SQL |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for name, row in result["sitemap"].items():
            count = row.get("requests", row.get("sql_queries"))
            lines.append(
                f"| {name} | {result['database']} | {result['news_pages']:,} | {row['median_ms']:.1f} ms "
                f"| {row['p95_ms']:.1f} ms | {row.get('entries', '')} | {count} |"
            )
    return "\n".join(lines)


def related_table(results):
    lines = [
        "| request | database | pages | median | p95 | SQL | × baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    for result in results:
        rows = result["related"]
        for name, row in rows.items():
            baseline = rows[row["baseline"]]["median_ms"]
            lines.append(
                f"| {name} | {result['database']} | {result['news_pages']:,} | {row['median_ms']:.2f} ms "
                f"| {row['p95_ms']:.2f} ms | {row['sql_queries']} | {row['median_ms'] / baseline:.2f} |"
            )
    return "\n".join(lines)


TABLES = {"list": list_table, "search": search_table, "sitemap": sitemap_table, "related": related_table}


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--suite", action="append", choices=TABLES, required=True)
    parser.add_argument("--pages", action="append", type=int)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()
    results = [
        measure(database, pages, args.suite, args.repeat, args.fresh)
        for pages in args.pages or [10_000]
        for database in args.databases.split(",")
    ]
    for suite in args.suite:
        print(f"\n{suite} (in-process, Django test client; times per request)\n")
        print(TABLES[suite](results))


if __name__ == "__main__":
    main()
