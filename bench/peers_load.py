"""
The load of the side-by-side benchmark (bench/peers.py) and what it measures (step 6): warm-up,
sequential latency on one keep-alive connection, throughput with wrk at a fixed concurrency, with
the CPU seconds each server used. wrk comes from Debian's packages (step 2).
"""

import http.client
import json
import math
import os
import re
import shutil
import statistics
import time

from bench.peers_processes import HOST, HTTP_TIMEOUT, BenchError, CpuWatch, log, run, warn_if_busy

APT_TIMEOUT = 900
WARMUP_REQUESTS = 300
WARMUP_SECONDS = 300


def ensure_wrk():
    """wrk from Debian's packages when it is not on PATH."""
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise BenchError("wrk is not installed and this is not root: run `apt-get install -y wrk` first")
    log("Installing wrk with apt-get")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=APT_TIMEOUT)
    except BenchError:
        run(["apt-get", "update", "-qq"], env=env, timeout=APT_TIMEOUT)
        run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, timeout=APT_TIMEOUT)
    if not shutil.which("wrk"):
        raise BenchError("apt-get ran but wrk is still not on PATH")


class Connection:
    """A persistent HTTP/1.1 connection, as a frontend's server-side fetch would keep one."""

    def __init__(self, target):
        self.target = target
        self.connection = http.client.HTTPConnection(HOST, target.port, timeout=HTTP_TIMEOUT)

    def post(self, body):
        """Seconds from sending the request to having read the whole answer."""
        started = time.perf_counter()
        self.connection.request(
            "POST", self.target.path, body=body, headers={"Content-Type": "application/json"}
        )
        response = self.connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200 or b'"errors":' in payload:
            raise BenchError(f"{self.target.name} answered {response.status}: {payload[:500]!r}")
        return elapsed

    def close(self):
        self.connection.close()


def warm_up(target, slugs):
    """A fresh Directus gets faster over its first few hundred requests; give both the same start."""
    connection = Connection(target)
    deadline = time.monotonic() + WARMUP_SECONDS
    bodies = target.one_page_bodies(slugs)
    try:
        for number in range(WARMUP_REQUESTS):
            if time.monotonic() > deadline:
                break
            connection.post(target.list_body if number % 3 else bodies[number % len(bodies)])
    finally:
        connection.close()


def sequential(targets, rounds, per_round, bodies_of):
    """
    Rounds of `per_round` requests to one system then the other, the first alternating, so that
    slow drifts of the machine (other processes, CPU frequency) fall on both alike. Each round
    opens a new connection and sends one untimed request first: an idle keep-alive connection
    may have been closed by the server while the other system was measured.
    """
    latencies = {target.name: [] for target in targets}
    for number in range(rounds):
        order = targets if number % 2 == 0 else list(reversed(targets))
        for target in order:
            bodies = bodies_of(target)
            connection = Connection(target)
            try:
                connection.post(bodies[0])
                for index in range(per_round):
                    latencies[target.name].append(connection.post(bodies[index % len(bodies)]) * 1000)
            finally:
                connection.close()
    return latencies


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with at least `fraction` of them at or below it."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(fraction * len(ordered)) - 1))]


def latency_summary(values):
    return {
        "count": len(values),
        "median_ms": statistics.median(values),
        "p95_ms": percentile(values, 0.95),
        "min_ms": min(values),
        "max_ms": max(values),
    }


WRK_SCRIPT = """
-- POSTs one GraphQL request; counts answers that are not 200 or carry GraphQL errors,
-- and prints the numbers this benchmark reads as one JSON line.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%(body)s]==]

local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, thread in ipairs(threads) do total_bad = total_bad + thread:get("bad") end
  local errors = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %%d, "duration_us": %%d, "bad": %%d, "socket_errors": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%f}\\n',
    summary.requests, summary.duration, total_bad,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""


def wrk_run(target, servers, seconds, connections, temp):
    """One wrk run at fixed concurrency, with the CPU seconds the server's processes used during it."""
    body = target.list_body
    script = temp / f"{target.name.replace(' ', '-')}.lua"
    text = body.decode()
    if "]==]" in text:
        raise BenchError("The request body cannot be put in a Lua long string")
    script.write_text(WRK_SCRIPT % {"body": text})
    command = [
        "wrk",
        # wrk wants at least one connection per thread.
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        f"{HTTP_TIMEOUT}s",
        "--latency",
        "-s",
        str(script),
        f"http://{HOST}:{target.port}{target.path}",
    ]
    target.server.check_alive()
    watch, per_process = CpuWatch(servers), target.server.cpu_by_process()
    output = run(command, timeout=seconds + HTTP_TIMEOUT + 30, capture=True)
    used = watch.stop()
    # How the work spread over the server's processes: with keep-alive, gunicorn's gthread workers
    # keep the connections each accepted, and one worker may hold all of wrk's connections.
    per_process = {
        str(pid): round(after - per_process.get(pid, 0.0), 2)
        for pid, after in target.server.cpu_by_process().items()
    }
    match = re.search(r"^WRK_RESULT (\{.*\})$", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not match or not rate:
        raise BenchError(f"Could not read wrk's output:\n{output}")
    result = json.loads(match.group(1))
    cpu = used[target.server.name]
    result.update(
        {
            "system": target.name,
            "requests_per_second": float(rate.group(1)),
            "cpu_seconds": cpu,
            "requests_per_cpu_second": result["requests"] / cpu if cpu > 0 else None,
            "cpu_seconds_by_process": used,
            "server_cpu_seconds_by_pid": per_process,
            "wrk_output": output,
        }
    )
    warn_if_busy(f"wrk against {target.name}", used, seconds)
    workers = sorted(per_process.values(), reverse=True)
    # A server of several processes (gunicorn: master and workers) that did nearly all its work in
    # one of them ran on one core: its workers did not share wrk's connections.
    result["one_process_did_the_work"] = len(workers) > 2 and workers[0] >= 0.9 * max(sum(workers), 1e-9)
    if result["one_process_did_the_work"]:
        log(f"note: one {target.server.name} process held all of wrk's connections during this run")
    if result["bad"] or result["socket_errors"]:
        log(f"warning: {target.name}: {result['bad']} bad answers, {result['socket_errors']} socket errors")
    log(
        f"wrk {target.name}: {result['requests_per_second']:.1f} req/s, "
        f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms, {cpu:.1f} CPU s "
        f"(by process: {', '.join(f'{value:.1f}' for value in per_process.values())})"
    )
    return result
