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

The steps live beside this file, one module per part, none importing this one:
bench/peers_processes.py (subprocesses, servers, CPU seconds, HTTP), bench/peers_directus.py
(steps 1 and 4 for Directus), bench/peers_ours.py (steps 3 and 4 for us), bench/peers_answers.py
(the requests and step 5), bench/peers_load.py (steps 2 and 6) and bench/peers_report.py (step 7).
"""

import argparse
import contextlib
import http.client
import json
import os
import runpy
import secrets
import shutil
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

# Run as a script (sys.path[0] is bench/): the modules beside it are imported as bench.peers_*.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.peers_answers import (
    DIRECTUS_LIST,
    OUR_LIST,
    Target,
    check_same_answers,
    directus_one_page,
    our_one_page,
    pick_slugs,
)
from bench.peers_directus import (
    DirectusAdmin,
    copy_data,
    create_directus_model,
    ensure_directus,
    start_directus,
)
from bench.peers_load import (
    WARMUP_REQUESTS,
    ensure_wrk,
    latency_summary,
    sequential,
    warm_up,
    wrk_run,
)
from bench.peers_ours import (
    count_news_pages,
    flush_redis,
    our_environment,
    prepare_our_data,
    start_ours,
)
from bench.peers_processes import (
    DATA,
    ROOT,
    STARTED,
    BenchError,
    CpuWatch,
    free_port,
    log,
    warn_if_busy,
)
from bench.peers_report import footer, our_revision, table, versions


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
    # A list of 50 Vietnamese news needs 51 pages: one of the demo's is its English translation.
    if not (51 <= args.pages <= 1_000_000 and 1 <= args.seconds <= 600 and 1 <= args.rounds <= 100):
        parser.error("--pages 51..1000000, --seconds 1..600, --rounds 1..100")
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
