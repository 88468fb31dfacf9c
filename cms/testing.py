"""Helpers shared by tests that talk to real local services (loopback only)."""

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def free_port():
    """A loopback port nothing listens on (for a server to start on, or to find refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


class WebhookListener:
    """
    A local HTTP server standing in for a frontend's revalidation endpoint: it records what it
    receives and answers `statuses` in turn (then 204). Clear `release` to make it hang.
    """

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.release.set()
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                listener.release.wait(10)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                listener.requests.append({"headers": dict(self.headers), "body": body, "path": self.path})
                listener.arrived.set()
                self.send_response(listener.statuses.pop(0) if listener.statuses else 204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/revalidate"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def events(self):
        return [json.loads(request["body"])["event"] for request in self.requests]

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class GunicornServer:
    """`make serve`'s gunicorn (cms/gunicorn.conf.py) on a free loopback port, with `env`."""

    def __init__(self, env, log_dir):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log_dir / f"gunicorn-{self.port}.log", "w+b")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "cms/gunicorn.conf.py"],
            cwd=PROJECT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds=60, statuses=("ok",)):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/readyz", timeout=2) as response:  # noqa: S310
                    if json.load(response)["status"] in statuses:
                        return
            except (OSError, ValueError):
                time.sleep(0.2)
        raise AssertionError(f"server on {self.port} did not become ready:\n{self.tail()}")

    def tail(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    def request(self, path, data=None, headers=None):
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path,
            data=data,
            # As behind a load balancer: one public host name, whichever server answers.
            headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})},
        )
        try:
            with urllib.request.build_opener(NoRedirects).open(request, timeout=10) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def graphql(self, query):
        status, headers, body = self.request(
            "/graphql/", json.dumps({"query": query}).encode(), {"Content-Type": "application/json"}
        )
        assert status == 200, body
        return headers.get("X-Cache"), json.loads(body)["data"]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
