"""
The report of the side-by-side benchmark (bench/peers.py), step 7: versions and revision of what
ran, the Markdown table with ratios, and the sentences under it.
"""

import json
import subprocess
import sys
from importlib import metadata

from bench.peers_directus import DIRECTUS_HOME
from bench.peers_processes import BenchError, run


def versions():
    def package(name):
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    directus = json.loads((DIRECTUS_HOME / "node_modules" / "directus" / "package.json").read_text())
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10, check=False)
    return {
        "directus": directus["version"],
        "node": run(["node", "--version"], capture=True, timeout=10).strip(),
        "django": package("django"),
        "wagtail": package("wagtail"),
        "wagtail-grapple": package("wagtail-grapple"),
        "graphene-django": package("graphene-django"),
        "gunicorn": package("gunicorn"),
        "python": sys.version.split()[0],
        "wrk": (wrk.stdout + wrk.stderr).split("[")[0].strip(),
    }


def our_revision():
    """
    The commit our server ran, and the files changed from it: the code changes under the benchmark
    (gunicorn loads it once, at start), so a number is only meaningful with its revision.
    Read-only git calls; None outside a git checkout.
    """
    try:
        head = run(["git", "rev-parse", "HEAD"], capture=True, timeout=10).strip()
        changed = run(["git", "diff", "--name-only", "HEAD", "--"], capture=True, timeout=30).split()
    except BenchError:
        return None
    return {"commit": head, "changed_files": changed}


def fmt(value, unit=""):
    if value is None:
        return "-"
    number = f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"
    return f"{number} {unit}".strip()


def table(results, connections):
    """
    The Markdown table: ours, Directus, ours / Directus. Concurrency rows give the mean of the
    wrk runs, with the lowest and highest run in parentheses when there were several.
    """
    seq, wrk = results["sequential"], results["wrk"]

    def cell(values, unit):
        values = [value for value in values if value is not None]
        if not values:
            return None, "-"
        average = sum(values) / len(values)
        spread = f" ({fmt(min(values))}–{fmt(max(values))})" if len(values) > 1 else ""
        return average, fmt(average, unit) + spread

    def sequential_rows(kind, name):
        part = seq[kind]
        return [
            (
                f"{name}, {label} (sequential)",
                *cell([part["ours"][key]], "ms"),
                *cell([part["Directus"][key]], "ms"),
            )
            for label, key in (("median", "median_ms"), ("p95", "p95_ms"))
        ]

    def wrk_values(system, key, scale):
        return [run[key] * scale if run[key] is not None else None for run in wrk if run["system"] == system]

    rows = sequential_rows("list", "list of 50")
    for measure, key, scale, unit in (
        ("req/s", "requests_per_second", 1.0, ""),
        ("p50", "p50_us", 0.001, "ms"),
        ("p95", "p95_us", 0.001, "ms"),
        ("p99", "p99_us", 0.001, "ms"),
        ("requests per CPU-second", "requests_per_cpu_second", 1.0, ""),
    ):
        ours, theirs = (
            cell(wrk_values("ours", key, scale), unit),
            cell(wrk_values("Directus", key, scale), unit),
        )
        rows.append((f"list of 50, {measure} at {connections} connections", *ours, *theirs))
    rows += sequential_rows("one_page", "one news page")

    lines = ["| | ours | Directus | ratio (ours / Directus) |", "|---|---|---|---|"]
    for label, ours, our_text, theirs, their_text in rows:
        ratio = f"{ours / theirs:.2f}" if ours is not None and theirs else "-"
        lines.append(f"| {label} | {our_text} | {their_text} | {ratio} |")
    return "\n".join(lines)


def footer(results):
    """What was measured, in words: versions, sizes, method, and how busy the machine was."""
    v = results["versions"]
    passes = len(results["wrk"]) // 2
    revision = results["our_revision"]
    at = ""
    if revision:
        changes = f" + {len(revision['changed_files'])} changed files" if revision["changed_files"] else ""
        at = f" at commit {revision['commit'][:10]}{changes}"
    sentences = [
        f"Ours{at}: Django {v['django']}, Wagtail {v['wagtail']}, wagtail-grapple {v['wagtail-grapple']}, "
        f"graphene-django {v['graphene-django']}, gunicorn {v['gunicorn']} "
        f"({results['gunicorn']['workers']} workers × {results['gunicorn']['threads']} threads), "
        f"Python {v['python']}, SQLite, response cache off.",
        f"Directus {v['directus']} on Node {v['node']}, one process, SQLite, cache off.",
        f"{results['news_pages']:,} news pages ({results['copied_news']:,} live ones copied to Directus); "
        f"{results['cpu_count']} cores shared by both servers and the load generator.",
        f"Sequential: {results['rounds']} interleaved rounds of 50 requests per system on one keep-alive "
        f"connection (the one-page request cycles over {len(results['slugs'])} slugs).",
        f"Concurrency: {v['wrk']}, {min(2, results['connections'])} threads, "
        f"{results['connections']} connections, {results['seconds']} s "
        f"per run, mean of {passes} run(s) per system; p50/p99 are wrk's (p95 from its histogram too).",
        "Latency ratios above 1 mean ours is slower; req/s and requests per CPU-second ratios above 1 "
        "mean ours does more.",
        f"Other processes on the machine used {other_cpu(results):.1f} CPU s during the timed parts "
        f"(load average {results['load_average_at_start'][0]:.2f} at the start).",
    ]
    lopsided = sum(run["one_process_did_the_work"] for run in results["wrk"] if run["system"] == "ours")
    if lopsided:
        sentences.append(
            f"In {lopsided} of {passes} wrk run(s) of ours, one gunicorn worker held all "
            f"{results['connections']} keep-alive connections and did nearly all the work, on one core "
            "(gthread workers keep the connections they accept; server_cpu_seconds_by_pid in the JSON)."
        )
    return "\n" + " ".join(sentences)


def other_cpu(results):
    """CPU seconds that processes other than the servers, this script and wrk used while timing."""
    parts = [results["sequential"][kind]["cpu_seconds_by_process"] for kind in results["sequential"]]
    parts += [run["cpu_seconds_by_process"] for run in results["wrk"]]
    return sum(part["other_processes"] for part in parts)
