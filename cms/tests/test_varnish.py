"""
The shipped ops/varnish/newsroom.vcl, run by Varnish (testing.services.VarnishServer) in front of a
tiny origin started here that answers what the CMS answers (docs/deployment.md#varnish-in-front):
tagged public answers are cached and purged by tag, exactly; private ones, requests with a Cookie
or an Authorization header, POSTs and answers saying nothing about caching never are; clients never
see the tags. The CMS itself is not needed: each path of the origin says which headers it answers.
"""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from testing.services import VARNISH_PARAMETERS, VARNISH_VCL, VarnishServer, requires_service

pytestmark = requires_service("varnish")

TAGGED = "public, max-age=0, s-maxage=300, stale-while-revalidate=30"
# path → headers of the origin's answer (every answer's body names its path and how many times the
# origin computed it, so a cached copy is told from a fresh one).
ANSWERS = {
    "/graphql/?query=page1": {"Cache-Control": TAGGED, "Cache-Tag": "all,page-1,sector-2"},
    "/graphql/?query=page3": {"Cache-Control": TAGGED, "Cache-Tag": "all, sector-2, page-3"},
    "/graphql/?query=page4": {"Cache-Control": TAGGED, "Cache-Tag": "all,page-4"},
    "/feeds/surrogate-key": {"Cache-Control": TAGGED, "Surrogate-Key": "all page-5 news-vi"},
    "/feeds/xkey": {"Cache-Control": TAGGED, "xkey": "all page-6"},
    "/untagged": {"Cache-Control": "public, max-age=300"},
    "/private": {"Cache-Control": "private, no-store"},
    "/silent": {},
    "/short": {"Cache-Control": "public, s-maxage=1, stale-while-revalidate=30", "Cache-Tag": "all,page-7"},
    "/short-no-grace": {"Cache-Control": "public, s-maxage=1", "Cache-Tag": "all,page-8"},
    "/slow": {"Cache-Control": TAGGED, "Cache-Tag": "all,page-9"},
    # 2,000 tags, 20 KB: past Varnish's default 8 KB for a header line (VARNISH_PARAMETERS).
    "/long": {
        "Cache-Control": TAGGED,
        "Cache-Tag": ",".join(["all"] + [f"image-{n}" for n in range(10000, 12000)]),
    },
}


class Origin:
    """A loopback HTTP server answering ANSWERS; `computed[path]` counts the requests it answered."""

    def __init__(self):
        self.computed, self.requests, self.delay = {}, [], {}
        origin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                if self.path == "/healthz":  # Varnish's probe
                    body, headers = b'{"status": "ok"}', {}
                else:
                    origin.requests.append((self.command, self.path, dict(self.headers)))
                    origin.computed[self.path] = count = origin.computed.get(self.path, 0) + 1
                    time.sleep(origin.delay.get(self.path, 0))
                    body, headers = f"{self.path} #{count}".encode(), ANSWERS.get(self.path, {})
                self.send_response(200 if self.path in ANSWERS or self.path == "/healthz" else 404)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def origin():
    server = Origin()
    yield server
    server.stop()


@pytest.fixture
def varnish(origin):
    server = VarnishServer([origin.port]).wait_ready()
    yield server
    server.stop()


def get(varnish, path, **headers):
    """(X-Varnish-Cache, body, headers) of a GET through Varnish."""
    status, answer_headers, body = varnish.request(path, headers=headers)
    assert status == 200, (status, body)
    return answer_headers["X-Varnish-Cache"], body.decode(), answer_headers


def test_a_tagged_public_answer_is_cached_and_its_tags_stay_inside(varnish, origin):
    path = "/graphql/?query=page1"
    assert get(varnish, path)[:2] == ("MISS", f"{path} #1")
    cached, body, headers = get(varnish, path)
    assert (cached, body) == ("HIT", f"{path} #1")
    assert origin.computed[path] == 1
    for name in ("Cache-Tag", "xkey", "Surrogate-Key", "X-Newsroom-Fetch-Start"):
        assert name not in headers, name
    # Cache-Control as the origin wrote it, s-maxage included, for whatever caches come after.
    assert headers["Cache-Control"] == TAGGED
    # Either other header name the CMS may use (CACHE_TAG_HEADER) is hidden too.
    for other in ("/feeds/surrogate-key", "/feeds/xkey"):
        get(varnish, other)
        cached, _body, headers = get(varnish, other)
        assert cached == "HIT" and "Surrogate-Key" not in headers and "xkey" not in headers


def test_a_purge_drops_exactly_the_answers_carrying_one_of_its_tags(varnish, origin):
    paths = ["/graphql/?query=page1", "/graphql/?query=page3", "/graphql/?query=page4"]
    paths += ["/feeds/surrogate-key", "/feeds/xkey"]
    for path in paths:
        get(varnish, path)
    status, headers, body = varnish.purge("sector-2")
    assert status == 200 and headers["X-Purged"] == "2" and b"Purged 2 objects" in body
    cached = {path: get(varnish, path)[:2] for path in paths}
    assert cached == {
        "/graphql/?query=page1": ("MISS", "/graphql/?query=page1 #2"),
        "/graphql/?query=page3": ("MISS", "/graphql/?query=page3 #2"),  # "sector-2" after ", "
        "/graphql/?query=page4": ("HIT", "/graphql/?query=page4 #1"),
        "/feeds/surrogate-key": ("HIT", "/feeds/surrogate-key #1"),
        "/feeds/xkey": ("HIT", "/feeds/xkey #1"),
    }
    # Several tags at once (space-separated), whichever header the origin named them in.
    assert varnish.purge("page-5", "page-6")[1]["X-Purged"] == "2"
    assert get(varnish, "/feeds/surrogate-key")[0] == get(varnish, "/feeds/xkey")[0] == "MISS"
    # A tag nothing carries purges nothing; "all" purges everything.
    assert varnish.purge("page-404")[1]["X-Purged"] == "0"
    assert get(varnish, "/graphql/?query=page4")[0] == "HIT"
    assert varnish.purge("all")[1]["X-Purged"] == "5"
    assert {get(varnish, path)[0] for path in paths} == {"MISS"}


def test_a_long_list_of_tags_fits_and_each_one_purges(varnish, origin):
    assert len(ANSWERS["/long"]["Cache-Tag"]) > 20000
    assert get(varnish, "/long")[:2] == ("MISS", "/long #1")
    assert get(varnish, "/long")[0] == "HIT"
    assert varnish.purge("image-11999")[1]["X-Purged"] == "1"
    assert get(varnish, "/long")[:2] == ("MISS", "/long #2")


def test_the_parameters_are_those_of_the_shipped_service():
    shipped = (VARNISH_VCL.parent / "varnish.service.d" / "newsroom.conf").read_text()
    for name, value in VARNISH_PARAMETERS.items():
        assert f"-p {name}={value} " in shipped, name
    assert "-f /etc/varnish/newsroom.vcl " in shipped


def test_a_purged_answer_is_never_served_stale(varnish, origin):
    # stale-while-revalidate gives grace to an expired answer, never to a purged one.
    path = "/short"
    get(varnish, path)
    varnish.purge("page-7")
    assert get(varnish, path)[:2] == ("MISS", f"{path} #2")
    # While expired within its grace, the stale copy is served once a fresh one is being fetched.
    time.sleep(1.5)
    assert get(varnish, path)[:2] == ("HIT", f"{path} #2")
    deadline, body = time.monotonic() + 5, None
    while body != f"{path} #3" and time.monotonic() < deadline:  # (stored once fetched in the background)
        time.sleep(0.05)
        body = get(varnish, path)[1]
    assert body == f"{path} #3" and origin.computed[path] == 3
    # Without stale-while-revalidate there is no grace: an expired answer is fetched again at once.
    get(varnish, "/short-no-grace")
    time.sleep(1.5)
    assert get(varnish, "/short-no-grace")[:2] == ("MISS", "/short-no-grace #2")


def test_a_slow_answer_computed_while_a_purge_arrived_is_delivered_but_not_kept(varnish, origin):
    # The origin may have read the database before the change that sent the purge: the purge
    # found nothing to remove, and an answer that took longer than the CMS's repeat of the purge
    # (a second later) must not be stored afterwards.
    path = "/slow"
    origin.delay[path] = 1.0
    fetched = []
    reader = threading.Thread(target=lambda: fetched.append(get(varnish, path)[:2]))
    reader.start()
    deadline = time.monotonic() + 5
    while not origin.computed.get(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert varnish.purge("page-9")[1]["X-Purged"] == "0"
    reader.join(10)
    assert fetched == [("MISS", f"{path} #1")]
    origin.delay[path] = 0
    assert get(varnish, path)[:2] == ("MISS", f"{path} #2")
    assert get(varnish, path)[:2] == ("HIT", f"{path} #2")


def test_a_quick_answer_computed_while_a_purge_arrived_is_left_to_the_repeated_purge(varnish, origin):
    # Fetched in less than a second, it is stored before the CMS sends the purge again, which
    # removes it: a purge costs no miss to every fetch it crosses.
    path = "/slow"
    origin.delay[path] = 0.3
    reader = threading.Thread(target=lambda: get(varnish, path))
    reader.start()
    deadline = time.monotonic() + 5
    while not origin.computed.get(path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert varnish.purge("page-9")[1]["X-Purged"] == "0"
    reader.join(10)
    assert get(varnish, path)[:2] == ("HIT", f"{path} #1")
    assert varnish.purge("page-9")[1]["X-Purged"] == "1"  # the repeat
    assert get(varnish, path)[:2] == ("MISS", f"{path} #2")


def test_private_silent_and_personal_answers_are_never_cached(varnish, origin):
    for path in ("/private", "/silent"):
        assert [get(varnish, path)[:2] for _ in range(2)] == [("MISS", f"{path} #1"), ("MISS", f"{path} #2")]
    path = "/graphql/?query=page1"
    get(varnish, path)
    # A request with a Cookie or an Authorization header goes to the origin, and stores nothing.
    assert get(varnish, path, Cookie="sessionid=abc")[:2] == ("MISS", f"{path} #2")
    assert get(varnish, path, Authorization="Bearer token")[:2] == ("MISS", f"{path} #3")
    assert get(varnish, path)[:2] == ("HIT", f"{path} #1")
    sent = [headers for _method, asked, headers in origin.requests if asked == path]
    assert sent[1]["Cookie"] == "sessionid=abc" and sent[2]["Authorization"] == "Bearer token"


def test_posts_are_never_cached(varnish, origin):
    path = "/graphql/?query=page4"
    for count in (1, 2):
        status, headers, body = varnish.request(path, "POST", data=b'{"query": "{ x }"}')
        assert (status, headers["X-Varnish-Cache"], body.decode()) == (200, "MISS", f"{path} #{count}")
    assert [method for method, _path, _headers in origin.requests] == ["POST", "POST"]


def test_an_untagged_answer_is_kept_for_its_max_age_and_purged_only_with_everything(varnish, origin):
    # What the CMS sent before cache tags (`public, max-age=60`): kept for its TTL, which no tag
    # can shorten (a BAN or a restart would) — the reason the CMS tags every public answer.
    get(varnish, "/untagged")
    assert varnish.purge("all", "page-1")[1]["X-Purged"] == "0"
    assert get(varnish, "/untagged")[:2] == ("HIT", "/untagged #1")


def test_the_same_query_with_its_parameters_in_another_order_is_one_answer(varnish, origin):
    ANSWERS["/graphql/?query=q&variables=v"] = {"Cache-Control": TAGGED, "Cache-Tag": "all,page-10"}
    try:
        get(varnish, "/graphql/?variables=v&query=q")
        assert get(varnish, "/graphql/?query=q&variables=v")[0] == "HIT"
        assert origin.computed == {"/graphql/?query=q&variables=v": 1}
    finally:
        del ANSWERS["/graphql/?query=q&variables=v"]


def test_a_purge_needs_its_header_and_an_address_of_the_acl(origin, tmp_path):
    varnish = VarnishServer([origin.port]).wait_ready()
    try:
        status, _headers, body = varnish.purge()
        assert status == 400 and b"xkey-purge" in body
    finally:
        varnish.stop()
    # The shipped ACL names loopback only; with it naming another address, loopback is refused.
    shipped = VARNISH_VCL.read_text()
    loopback = '    "127.0.0.1";\n    "::1";\n'
    assert shipped.count(loopback) == 1
    elsewhere = VarnishServer([origin.port], vcl=shipped.replace(loopback, '    "192.0.2.1";\n'))
    try:
        status, deadline = None, time.monotonic() + 30
        while elsewhere.process.poll() is None and time.monotonic() < deadline:
            try:
                status, _headers, _body = elsewhere.purge("all")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 403, elsewhere.tail()
        assert get(elsewhere, "/graphql/?query=page1")[0] == "MISS"  # reading works as ever
    finally:
        elsewhere.stop()


def test_answers_are_shared_round_robin_between_app_servers(origin):
    second = Origin()
    varnish = VarnishServer([origin.port, second.port]).wait_ready()
    try:
        for _ in range(4):  # passed (a Cookie): each one reaches an app server
            assert get(varnish, "/graphql/?query=page1", Cookie="a=b")[0] == "MISS"
        assert len(origin.requests) == len(second.requests) == 2
    finally:
        varnish.stop()
        second.stop()
