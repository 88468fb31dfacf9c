"""`python -m ops.loadtest`: checks the arguments, prepares the app, runs the scenarios, cleans up."""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from . import __doc__ as USAGE
from .common import MAX_PG_OUTAGE, RESULTS, ROOT, SCENARIOS, log, run
from .report import report
from .scenarios import run_scenario, warm_up
from .services import App, Postgres, Redis, Varnish


def git_state():
    commit = run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    status = run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=False)
    return {"commit": commit.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def parse_args():
    parser = argparse.ArgumentParser(
        prog="python -m ops.loadtest", description=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter
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
    parser.add_argument(
        "--varnish",
        action="store_true",
        help="readers go through Varnish (ops/varnish/newsroom.vcl), which the app servers purge",
    )
    parser.add_argument("--servers", type=int, default=1, help="app servers (1–8; more than 1: --varnish)")
    parser.add_argument(
        "--read-method",
        choices=("post", "get"),
        help="how readers send their queries (default: get with --varnish, else post)",
    )
    parser.add_argument(
        "--unpublish-every",
        type=float,
        default=10,
        help="seconds between two unpublishes of a watched page by the editor (0: none)",
    )
    parser.add_argument(
        "--hidden-for", type=float, default=30, help="seconds before an unpublished page is published again"
    )
    parser.add_argument(
        "--keep-caches",
        action="store_true",
        help="start each scenario with what the warm-up (and earlier scenarios) cached, not empty",
    )
    args = parser.parse_args()
    if not 1 <= args.servers <= 8:
        parser.error("--servers must be between 1 and 8")
    if args.servers > 1 and not args.varnish:
        parser.error("--servers needs --varnish: Varnish shares the readers between them")
    if args.unpublish_every and not 2 <= args.unpublish_every <= 600:
        parser.error("--unpublish-every must be 0 (none) or between 2 and 600 seconds")
    if not 1 <= args.hidden_for <= 600:
        parser.error("--hidden-for must be between 1 and 600 seconds")
    args.read_method = args.read_method or ("get" if args.varnish else "post")
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
    apps, varnish, created, results = [], None, False, []
    try:
        postgres.psql(f'CREATE DATABASE "{database}"')
        created = True
        apps = [
            App(args, workdir, f"{postgres.url}/{database}", number) for number in range(1, args.servers + 1)
        ]
        if args.varnish:
            varnish = Varnish([server.port for server in apps])
            for server in apps:  # the editor too runs with apps[0].env: its changes purge Varnish
                server.env["VARNISH_PURGE_URLS"] = varnish.base
        apps[0].prepare(args.news)
        for server in apps:
            server.start()
        if varnish:
            varnish.wait_ready()
        url_paths_file = workdir / "url-paths.json"
        url_paths_file.write_text(json.dumps(apps[0].url_paths()))
        if args.warmup:
            warm_up(args, varnish.base if varnish else apps[0].base, url_paths_file, outdir)
        for scenario in args.scenarios:
            results.append(
                run_scenario(scenario, args, apps, varnish, postgres, redis, database, url_paths_file, outdir)
            )
    finally:
        for restore in (postgres.ensure_running, redis.ensure_running):
            try:
                restore()
            except Exception as error:  # try every clean-up step, say what failed
                log(f"could not restore a service: {error}")
        if varnish:
            try:
                varnish.stop(outdir)
            except Exception as error:  # try every clean-up step, say what failed
                log(f"could not stop Varnish: {error}")
        for app in apps:
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
            + ("redis_outage", "publish_every", "seed", "varnish", "servers", "read_method")
            + ("unpublish_every", "hidden_for", "keep_caches")
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
