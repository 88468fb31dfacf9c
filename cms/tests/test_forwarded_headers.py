"""
Behind a proxy, HTTPS is known from X-Forwarded-Proto — when it comes from a configured proxy
(FORWARDED_ALLOW_IPS). A client connecting directly cannot claim it and skip the HTTPS redirect
(or get secure cookies over plain HTTP).
"""

import urllib.error
import urllib.request

import pytest

from testing.services import GunicornServer, NoRedirects


@pytest.fixture
def server_behind(production_sqlite):
    env, folder = production_sqlite
    servers = []

    def start(forwarded_allow_ips):
        server = GunicornServer({**env, "FORWARDED_ALLOW_IPS": forwarded_allow_ips}, folder)
        servers.append(server)
        server.wait_ready()
        return server

    yield start
    for server in servers:
        server.stop()


def status_of(server, headers):
    request = urllib.request.Request(  # noqa: S310 (loopback)
        f"{server.base}/graphql/?query=%7B__typename%7D", headers={"Host": "127.0.0.1", **headers}
    )
    try:
        with urllib.request.build_opener(NoRedirects).open(request, timeout=10) as response:
            return response.status, response.headers.get("Location")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location")


def test_a_direct_client_cannot_claim_https(server_behind):
    server = server_behind("10.9.9.9")  # the proxy is elsewhere: loopback is a direct client
    assert status_of(server, {"X-Forwarded-Proto": "https"}) == (
        301,
        "https://127.0.0.1/graphql/?query=%7B__typename%7D",
    )
    assert status_of(server, {})[0] == 301


def test_the_configured_proxy_is_believed(server_behind):
    server = server_behind("127.0.0.1")
    assert status_of(server, {"X-Forwarded-Proto": "https"}) == (200, None)
    assert status_of(server, {})[0] == 301
