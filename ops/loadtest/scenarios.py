"""One scenario: warm-up, locust traffic, an editor publishing, the fault injected at its time."""

import contextlib
import json
import os
import subprocess
import sys
import threading
import time

from .analysis import (
    check_freshness,
    fault_analysis,
    hidden_pages,
    log_analysis,
    per_request,
    summarise,
    timeline,
    varnish_stats,
    verify_revisions,
)
from .common import OPS, ROOT, log, tool


class ReadinessProbe:
    """Polls /readyz every `interval` seconds in the background, as a load balancer would."""

    def __init__(self, app, interval=0.5):
        self.app, self.interval, self.samples = app, interval, []
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self):
        while not self.stopped.is_set():
            started = time.time()
            status, state = self.app.readyz()
            self.samples.append([round(started, 3), status, state])
            self.stopped.wait(max(0.0, self.interval - (time.time() - started)))

    def finish(self):
        self.stopped.set()
        self.thread.join(timeout=10)
        return self.samples


class Publisher:
    """
    ops/publisher.py in the background; its JSON lines collected as they come: the publishes
    (`attempts`), the unpublishes and republishes of the watched pages (`visibility`), and which
    pages are watched (`watched`, from its first line).
    """

    def __init__(self, app, args):
        self.attempts, self.visibility, self.watched, self.ready = [], [], [], threading.Event()
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(OPS / "publisher.py"),
                "--interval",
                str(args.publish_every),
                "--duration",
                str(args.duration),
                "--seed",
                str(args.seed),
                "--unpublish-every",
                str(args.unpublish_every),
                "--hidden-for",
                str(args.hidden_for),
            ],
            cwd=ROOT,
            env=app.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self):
        for line in self.process.stdout:
            with contextlib.suppress(ValueError):
                item = json.loads(line)
                if item.get("event") == "ready":
                    self.watched = item.get("watched") or []
                    self.ready.set()
                elif item.get("kind") in ("unpublish", "republish"):
                    self.visibility.append(item)
                elif "ok" in item:
                    self.attempts.append(item)
        self.ready.set()

    def finish(self, timeout):
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.reader.join(timeout=10)
        return self.attempts


class FirstAnswer:
    """Polls `answers()` in the background from now on; `at` is when it first returned True."""

    def __init__(self, answers):
        self.answers, self.at, self.stopped = answers, None, threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()

    def poll(self):
        while not self.stopped.is_set() and self.at is None:
            if self.answers():
                self.at = time.time()
            else:
                self.stopped.wait(0.05)

    def finish(self):
        self.stopped.set()
        self.thread.join(timeout=10)
        return self.at


def inject_fault(scenario, args, postgres, redis, t0):
    """
    Stop the service at t0 + fault_at, start it again after the outage; returns the times:
    fault_start (stop asked), service_stopped (stop done), restart_issued, service_back (the
    service first answered again: pg_isready, PING) and start_returned (the start command is done).
    """
    if scenario == "steady":
        return {}
    service, outage = (
        (postgres, args.pg_outage) if scenario == "postgres-restart" else (redis, args.redis_outage)
    )
    name = f"PostgreSQL {postgres.version}/{postgres.name}" if service is postgres else "Redis"
    time.sleep(max(0.0, t0 + args.fault_at - time.time()))
    events = {"fault_start": time.time()}
    log(f"stopping {name} for {outage} s")
    watcher = None
    try:
        service.stop()
        events["service_stopped"] = time.time()
        watcher = FirstAnswer(service.ready if service is postgres else service.ping)
        time.sleep(outage)
    finally:
        events["restart_issued"] = time.time()
        service.start()
        events["start_returned"] = time.time()
        back = watcher.finish() if watcher else None
        events["service_back"] = (
            back if back and back >= events["restart_issued"] else events["start_returned"]
        )
    log(f"{name} answers again ({events['service_back'] - events['fault_start']:.1f} s after the stop)")
    return events


def start_locust(args, base, label, duration, url_paths_file, outdir, watched=()):
    """
    locust, headless, for `duration` seconds, reading from `base` (the app server, or Varnish);
    it writes its records to <label>-records.json. `watched`: the pages the editor unpublishes.
    """
    files = {kind: outdir / f"{label}-{kind}" for kind in ("records.json", "started", "locust.log")}
    env = {
        **os.environ,
        "LOADTEST_RECORDS": str(files["records.json"]),
        "LOADTEST_STARTED": str(files["started"]),
        "LOADTEST_URLPATHS": str(url_paths_file),
        "LOADTEST_SEED": str(args.seed),
        "LOADTEST_WAIT": args.wait,
        "LOADTEST_READ_METHOD": args.read_method,
    }
    if watched:
        (outdir / f"{label}-watched.json").write_text(json.dumps(watched, ensure_ascii=False))
        env["LOADTEST_WATCHED"] = str(outdir / f"{label}-watched.json")
    command = [
        tool("locust"),
        "-f",
        str(OPS / "locustfile.py"),
        "--headless",
        "--host",
        base,
        "--users",
        str(args.users),
        "--spawn-rate",
        str(args.spawn_rate or args.users),
        "--run-time",
        f"{duration}s",
        "--csv",
        str(outdir / label),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    with open(files["locust.log"], "wb") as locust_log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=locust_log, stderr=subprocess.STDOUT)
    return process, files


def wait_started(process, files):
    """The time locust started its users (written by the locustfile's test_start hook)."""
    deadline = time.monotonic() + 60
    while not files["started"].exists() or not files["started"].read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"locust did not start; see {files['locust.log']}")
        time.sleep(0.05)
    return float(files["started"].read_text())


def finish_locust(process, timeout):
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def warm_up(args, base, url_paths_file, outdir):
    """Traffic before the measured runs, so each worker has loaded what it loads lazily."""
    log(f"warming up: {args.users} users for {args.warmup} s (not measured)")
    process, _ = start_locust(args, base, "warmup", args.warmup, url_paths_file, outdir)
    finish_locust(process, args.warmup + 60)


def run_scenario(scenario, args, apps, varnish, postgres, redis, database, url_paths_file, outdir):
    """
    One scenario against the app servers `apps` — through `varnish` when there is one (the
    readers' requests; the editor purges it) — on `database`; its figures.
    """
    app = apps[0]
    log(f"scenario {scenario}: {args.users} users for {args.duration} s")
    for server in apps:
        server.wait_ready(60)
    if not args.keep_caches:
        redis.flush()  # every scenario starts with an empty response cache
        if varnish:
            varnish.empty()  # and an empty Varnish
    log_offsets = [server.error_log_size() for server in apps]
    publisher = Publisher(app, args)
    publisher.ready.wait(60)
    counters = varnish.counters() if varnish else None
    base = varnish.base if varnish else app.base
    locust, files = start_locust(
        args, base, scenario, args.duration, url_paths_file, outdir, publisher.watched
    )
    probe = ReadinessProbe(app)
    events = {}
    try:
        t0 = wait_started(locust, files)
        events = inject_fault(scenario, args, postgres, redis, t0)
    except BaseException:
        publisher.process.terminate()  # the editor stops with the run
        raise
    finally:
        finish_locust(locust, args.duration + 60)
        readiness = probe.finish()
    varnish_counts = varnish_stats(counters, varnish.counters(), args.duration) if varnish else None
    attempts = publisher.finish(timeout=args.publish_every + args.hidden_for + 60)
    data = json.loads(files["records.json"].read_text())
    records = data["records"]
    end = t0 + args.duration
    error_log = "".join(
        server.error_log_since(offset) for server, offset in zip(apps, log_offsets, strict=True)
    )
    (outdir / f"{scenario}-gunicorn-error.log").write_text(error_log)
    result = {
        "scenario": scenario,
        "overall": summarise(records, args.duration),
        "by_request": per_request(records, args.duration),
        "samples": data["samples"],
        "revisions": verify_revisions(postgres, database, attempts),
        # Read back from the origin (POST: its response cache), and through Varnish (GET).
        "freshness": check_freshness(app, postgres, database, attempts),
        "hidden": hidden_pages(records, publisher.visibility),
        "visibility_changes": publisher.visibility,
        "server_log": log_analysis(error_log),
        "timeline": timeline(records, t0, readiness),
        "readyz_samples": [[round(t - t0, 3), status, state] for t, status, state in readiness],
    }
    if varnish:
        result["varnish"] = varnish_counts
        result["freshness_varnish"] = check_freshness(varnish, postgres, database, attempts)
    if events:
        result["fault"] = fault_analysis(records, t0, end, events, readiness)
    log(f"scenario {scenario}: {len(records)} requests, {result['overall']['errors']} failed")
    return result
