"""
The deployment docs/deployment.md recommends: nginx (ops/nginx/newsroom.conf) in front of
gunicorn. Slow clients cannot hold gunicorn's threads — 40 connections trickling their headers
used to block the production server for 40 s — and media are served as files only where they are
public (images), never documents.
"""

import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from testing.services import GunicornServer, free_port, nginx_path, requires_service

CONFIG = Path(settings.BASE_DIR) / "ops" / "nginx" / "newsroom.conf"
SLOW_CLIENTS = 40

pytestmark = requires_service("nginx")


@pytest.fixture
def app_behind_nginx(production_sqlite):
    nginx = nginx_path()
    env, folder = production_sqlite
    # The fewest threads there can be: one worker, two threads, as easy to exhaust as it gets.
    app = GunicornServer({**env, "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}, folder)
    port = free_port()
    media = Path(env["MEDIA_ROOT"])
    server_block = (
        CONFIG.read_text()
        .replace("@LISTEN@", f"127.0.0.1:{port}")
        .replace("@SERVER_NAME@", "127.0.0.1")
        .replace("@APP_SERVER@", f"127.0.0.1:{app.port}")
        .replace("@MEDIA_ROOT@", str(media))
    )
    prefix = folder / f"nginx-{port}"
    (prefix / "logs").mkdir(parents=True)
    (prefix / "nginx.conf").write_text(
        "user root; worker_processes 1; daemon off; pid nginx.pid; error_log logs/error.log;\n"
        "events { worker_connections 256; }\n"
        "http {\n  access_log logs/access.log;\n"
        + "".join(
            f"  {name}_temp_path {prefix / name};\n"
            for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + server_block
        + "\n}\n"
    )
    proxy = subprocess.Popen(  # noqa: S603
        [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        app.wait_ready()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", media
    finally:
        proxy.terminate()
        proxy.wait(10)
        app.stop()


def fetch(url, timeout):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_slow_clients_do_not_hold_the_app_servers_threads(app_behind_nginx):
    base, _media = app_behind_nginx
    port = int(base.rsplit(":", 1)[1])
    slow = []
    try:
        for _ in range(SLOW_CLIENTS):
            connection = socket.create_connection(("127.0.0.1", port), timeout=5)
            connection.sendall(b"GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")  # and no more
            slow.append(connection)
        # Without nginx these connections would hold both of gunicorn's threads until it gives up
        # on them; through nginx a reader is answered at once.
        status, body = fetch(f"{base}/readyz", timeout=5)
        assert status == 200 and b'"status"' in body
    finally:
        for connection in slow:
            connection.close()


def test_images_are_files_and_documents_never(app_behind_nginx):
    base, media = app_behind_nginx
    for folder, content in [
        ("original_images", b"anh goc"),
        ("images", b"ban sao"),
        ("documents", b"bi mat"),
    ]:
        (media / folder).mkdir(parents=True, exist_ok=True)
        (media / folder / "tep.txt").write_bytes(content)
    assert fetch(f"{base}/media/original_images/tep.txt", timeout=5) == (200, b"anh goc")
    assert fetch(f"{base}/media/images/tep.txt", timeout=5) == (200, b"ban sao")
    assert fetch(f"{base}/media/documents/tep.txt", timeout=5)[0] == 404
    assert fetch(f"{base}/media/images/../documents/tep.txt", timeout=5)[0] in (400, 404)
