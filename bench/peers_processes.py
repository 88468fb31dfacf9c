"""
Processes, ports and HTTP for the side-by-side benchmark (bench/peers.py): what both servers'
steps share. A subprocess with a time limit, a server in its own process group with the CPU
seconds it used, the CPU the rest of the machine took, one JSON request, progress on stderr.
"""

import contextlib
import http.client
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / ".data"
HOST = "127.0.0.1"
# When the benchmark began: the clock of log() and the length of the whole run.
STARTED = time.monotonic()

# Timeouts (seconds). Every wait of the benchmark is bounded by one of these or by those of the
# other modules (NPM_TIMEOUT, APT_TIMEOUT, MIGRATE_TIMEOUT).
HTTP_TIMEOUT = 60
START_TIMEOUT = 120
STOP_TIMEOUT = 15


class BenchError(Exception):
    """A step could not be done; its message says what to look at."""


def log(message):
    """Progress on stderr, so that stdout carries only the table."""
    print(f"[{time.monotonic() - STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


def run(command, *, timeout, cwd=ROOT, env=None, capture=False):
    """A subprocess with a time limit; its output goes to stderr unless captured."""
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=env,
            timeout=timeout,
            stdout=subprocess.PIPE if capture else sys.stderr,
            stderr=subprocess.PIPE if capture else sys.stderr,
            text=True,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"`{' '.join(map(str, command))}` did not finish within {timeout} s") from error
    except FileNotFoundError as error:
        raise BenchError(f"`{command[0]}` is not installed") from error
    if result.returncode != 0:
        detail = f":\n{(result.stderr or '')[-2000:]}" if capture else " (see its output above)"
        raise BenchError(f"`{' '.join(map(str, command))}` failed with exit code {result.returncode}{detail}")
    return result.stdout if capture else ""


def free_port():
    """A port nothing listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def base_environment():
    """
    The few variables the servers take from this process (PATH, HOME, locale): any other setting
    left in the caller's shell (LOG_LEVEL, GUNICORN_THREADS, DB_CLIENT, ...) would change what is
    measured.
    """
    return {
        name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ
    }


class Server:
    """A server process in its own process group, so that it and its children stop together."""

    def __init__(self, name, command, *, cwd, env, log_path):
        self.name = name
        self.log_path = log_path
        self.log_file = open(log_path, "w")  # closed in stop()
        self.process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=self.log_file, stderr=subprocess.STDOUT, start_new_session=True
        )

    def tail(self, size=3000):
        return self.log_path.read_text(errors="replace")[-size:]

    def check_alive(self):
        if self.process.poll() is not None:
            raise BenchError(f"{self.name} exited with code {self.process.returncode}:\n{self.tail()}")

    def processes(self):
        """Pids of every process of the group (the master and its workers)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                stat = read_stat(entry.name)
                if stat and stat["pgrp"] == self.process.pid:
                    pids.append(int(entry.name))
        return pids

    def cpu_by_process(self):
        """
        CPU seconds of each process of the group so far. The children's fields (cutime, cstime)
        count workers that exited and were reaped: gunicorn replaces a worker after
        GUNICORN_MAX_REQUESTS requests.
        """
        seconds = {}
        for pid in self.processes():
            stat = read_stat(pid)
            if stat:
                ticks = stat["utime"] + stat["stime"] + stat["cutime"] + stat["cstime"]
                seconds[pid] = ticks / os.sysconf("SC_CLK_TCK")
        return seconds

    def cpu_seconds(self):
        return sum(self.cpu_by_process().values())

    def stop(self):
        """SIGTERM to the group, SIGKILL after STOP_TIMEOUT seconds."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT)
        # Workers left behind by a master that died first.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log_file.close()


def read_stat(pid):
    """Process group and CPU ticks from /proc/<pid>/stat; None if the process is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # Fields after the command name, which is in parentheses and may contain spaces: field 3 first.
    fields = text[text.rfind(")") + 2 :].split()
    return {
        "pgrp": int(fields[2]),
        "utime": int(fields[11]),
        "stime": int(fields[12]),
        "cutime": int(fields[13]),
        "cstime": int(fields[14]),
    }


class CpuWatch:
    """
    CPU seconds over a stretch of the benchmark: each server's, this script's with its children
    (wrk), and everything else on the machine. The machine is shared: CPU that other processes
    take during a measurement is CPU the servers did not get, so it is recorded and warned about.
    """

    def __init__(self, servers):
        self.servers = servers
        self.start = self.sample()

    def sample(self):
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return {
            "machine": machine_busy_seconds(),
            "script_and_wrk": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
            **{server.name: server.cpu_seconds() for server in self.servers},
        }

    def stop(self):
        end = self.sample()
        used = {name: end[name] - self.start[name] for name in end}
        used["other_processes"] = max(
            0.0, used["machine"] - sum(v for k, v in used.items() if k != "machine")
        )
        return used


def machine_busy_seconds():
    """CPU seconds all processors spent not idle since boot (/proc/stat: user to steal, no iowait)."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def warn_if_busy(what, cpu, seconds):
    """Other processes using more than a tenth of a core on average make the numbers less comparable."""
    if cpu["other_processes"] > 0.1 * seconds:
        log(
            f"warning: other processes used {cpu['other_processes']:.1f} CPU s during {what} "
            f"({seconds:.0f} s): the machine is not quiet, numbers may be low"
        )


def wait_until(server, check, what):
    """Poll `check` every half second until it is true, the server dies, or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    last_error = None
    while time.monotonic() < deadline:
        server.check_alive()
        try:
            if check():
                return
        except (OSError, http.client.HTTPException, ValueError) as error:
            last_error = error
        time.sleep(0.5)
    raise BenchError(f"{server.name}: {what} not within {START_TIMEOUT} s ({last_error}):\n{server.tail()}")


def http_request(port, method, path, body=None, headers=None, timeout=HTTP_TIMEOUT):
    """One request on a fresh connection; returns (status, parsed JSON or text)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})} if data else dict(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()
    try:
        return response.status, json.loads(text)
    except ValueError:
        return response.status, text
