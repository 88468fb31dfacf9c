"""Helpers shared by tests that talk to real local services (loopback only)."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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
