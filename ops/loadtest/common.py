"""Paths, limits and small helpers every part of the load test uses."""

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
OPS = ROOT / "ops"
RESULTS = OPS / ".results"
BIN = Path(sys.executable).parent
SCENARIOS = ("steady", "postgres-restart", "redis-stop")
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
MAX_PG_OUTAGE = 8  # seconds: other people's tests share this PostgreSQL


def log(message):
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    kwargs.setdefault("check", True)
    return subprocess.run(command, **kwargs)


def tool(name):
    path = BIN / name
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: run `make loadtest`, which installs ops/requirements-load.txt")
    return found


def require_loopback(url, what):
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK and not host.startswith("127."):
        sys.exit(f"{what} must be on loopback (127.0.0.0/8 or ::1), not {host!r}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
