"""
CDN purges by tag (docs/purging.md): the backends against the requests Cloudflare and Fastly
document (a local listener stands in for their API) and against a listener standing in for Varnish
(testing's Varnish helper runs them against a real one), and the outbox of purges: written in the
change's transaction, sent after it commits, retried, repeated, never in the editor's way.
"""

import io
import json
import logging
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cms.settings.base import cache_purge_backends
from news.factories import CooperationSectorFactory
from publishing.signals import tags_purged
from testing.services import VarnishServer, free_port, requires_service, wait_for
from webhooks import purging
from webhooks.checks import cache_purge_settings
from webhooks.models import CachePurge
from webhooks.purging import CloudflareBackend, FastlyBackend, PurgeError, VarnishBackend

ZONE = "023e105f4ecef8ad9ca31a8372d0c353"
SERVICE = "SU1Z0isxPaozGVKXdv0eY"
TOKEN = "Y-cloudflare-api-token-for-tests"


class FakeCDN:
    """
    A local HTTP server standing in for a CDN's API (or a Varnish server): it records each request
    (method, path, headers, body) and answers `answers` in turn ((status, body)), then `default`.
    Clear `release` to make it hang; `arrived` counts the requests received, answered or not.
    """

    def __init__(self, default=(200, b"")):
        self.requests = []
        self.arrived = 0
        self.answers = []
        self.default = default
        self.release = threading.Event()
        self.release.set()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def answer(self):
                fake.arrived += 1
                fake.release.wait(20)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                fake.requests.append(
                    {"method": self.command, "path": self.path, "headers": self.headers, "body": body}
                )
                status, answer = fake.answers.pop(0) if fake.answers else fake.default
                if not isinstance(answer, bytes):
                    answer = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_POST = do_PURGE = answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


CLOUDFLARE_OK = {"success": True, "errors": [], "messages": [], "result": {"id": ZONE}}


@pytest.fixture
def cdn():
    fake = FakeCDN()
    yield fake
    fake.stop()


def cloudflare(cdn, **params):
    return CloudflareBackend(
        {"ZONEID": ZONE, "BEARER_TOKEN": TOKEN, "API_URL": f"{cdn.url}/client/v4", **params}
    )


def fastly(cdn, **params):
    return FastlyBackend({"SERVICE_ID": SERVICE, "API_TOKEN": "fastly-token", "API_URL": cdn.url, **params})


def page_tags(count):
    return [f"page-{number}" for number in range(1, count + 1)]


# Cloudflare: https://developers.cloudflare.com/api/resources/cache/methods/purge/ (purge by tag).


def test_cloudflare_purges_by_tag_100_tags_per_call(cdn):
    cdn.default = (200, CLOUDFLARE_OK)
    assert cloudflare(cdn).purge_tags(page_tags(250)) == 3
    assert [(request["method"], request["path"]) for request in cdn.requests] == [
        ("POST", f"/client/v4/zones/{ZONE}/purge_cache")
    ] * 3
    bodies = [json.loads(request["body"]) for request in cdn.requests]
    assert bodies == [
        {"tags": page_tags(250)[:100]},
        {"tags": page_tags(250)[100:200]},
        {"tags": page_tags(250)[200:]},
    ]
    headers = cdn.requests[0]["headers"]
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Type"] == "application/json"


def test_cloudflare_with_the_global_api_key(cdn):
    cdn.default = (200, CLOUDFLARE_OK)
    backend = CloudflareBackend(
        {"ZONEID": ZONE, "EMAIL": "ops@example.org", "API_KEY": "global-key", "API_URL": cdn.url}
    )
    backend.purge_tags(["sector-3"])
    headers = cdn.requests[0]["headers"]
    assert (headers["X-Auth-Email"], headers["X-Auth-Key"]) == ("ops@example.org", "global-key")
    assert "Authorization" not in headers


def test_cloudflare_errors_say_what_cloudflare_answered(cdn):
    cdn.answers = [
        (200, CLOUDFLARE_OK),
        (400, {"success": False, "errors": [{"code": 1134, "message": "Invalid tag"}], "messages": []}),
    ]
    with pytest.raises(PurgeError, match="Cloudflare answered 400: 1134 Invalid tag") as error:
        cloudflare(cdn).purge_tags(page_tags(250))
    assert error.value.remaining == page_tags(250)[100:]  # the first hundred went through
    cdn.answers = [(429, b"Too Many Requests")]
    with pytest.raises(PurgeError, match="Cloudflare answered 429 without success: Too Many Requests"):
        cloudflare(cdn).purge_tags(["all"])
    cdn.answers = [(200, {"success": False, "errors": [], "result": None})]
    with pytest.raises(PurgeError, match="without success"):
        cloudflare(cdn).purge_tags(["all"])


def test_cloudflare_needs_a_zone_and_credentials():
    with pytest.raises(ImproperlyConfigured, match="ZONEID"):
        CloudflareBackend({"BEARER_TOKEN": TOKEN})
    with pytest.raises(ImproperlyConfigured, match="BEARER_TOKEN .*Zone → Cache Purge"):
        CloudflareBackend({"ZONEID": ZONE, "BEARER_TOKEN": ""})
    with pytest.raises(ImproperlyConfigured, match="BEARER_TOKEN"):
        CloudflareBackend({"ZONEID": ZONE, "EMAIL": "ops@example.org"})  # the key without its e-mail
    params = {"ZONEID": ZONE, "BEARER_TOKEN": TOKEN}
    CloudflareBackend(params)
    assert params == {"ZONEID": ZONE, "BEARER_TOKEN": TOKEN}  # Wagtail's backend pops: not ours


# Fastly: https://www.fastly.com/documentation/reference/api/purging/ (purge multiple surrogate keys).


def test_fastly_purges_256_surrogate_keys_per_call(cdn):
    cdn.default = (200, {tag: f"id-{tag}" for tag in page_tags(600)})
    assert fastly(cdn).purge_tags(page_tags(600)) == 3
    assert [(request["method"], request["path"]) for request in cdn.requests] == [
        ("POST", f"/service/{SERVICE}/purge")
    ] * 3
    keys = [request["headers"]["Surrogate-Key"].split(" ") for request in cdn.requests]
    assert keys == [page_tags(600)[:256], page_tags(600)[256:512], page_tags(600)[512:]]
    headers = cdn.requests[0]["headers"]
    assert headers["Fastly-Key"] == "fastly-token"
    assert "Fastly-Soft-Purge" not in headers


def test_fastly_soft_purge(cdn):
    cdn.default = (200, {"page-1": "id"})
    fastly(cdn, SOFT_PURGE=True).purge_tags(["page-1"])
    assert cdn.requests[0]["headers"]["Fastly-Soft-Purge"] == "1"


def test_fastly_errors_say_what_fastly_answered(cdn):
    cdn.answers = [(401, {"msg": "Provided credentials are missing or invalid"})]
    with pytest.raises(PurgeError, match="Fastly answered 401: Provided credentials are missing or invalid"):
        fastly(cdn).purge_tags(["page-1"])
    cdn.answers = [(503, b"<html>Service Unavailable</html>")]
    with pytest.raises(PurgeError, match="Fastly answered 503: <html>Service Unavailable"):
        fastly(cdn).purge_tags(["page-1"])
    with pytest.raises(ImproperlyConfigured, match="API_TOKEN .*purge_select"):
        FastlyBackend({"SERVICE_ID": SERVICE})
    with pytest.raises(ImproperlyConfigured, match="SERVICE_ID"):
        FastlyBackend({"API_TOKEN": "fastly-token"})


# Varnish with xkey (ops/varnish/newsroom.vcl): PURGE / with `xkey-purge: tag tag ...`.


def test_varnish_purges_each_location_with_one_header_line_per_request(cdn):
    other = FakeCDN()
    try:
        backend = VarnishBackend({"LOCATIONS": [cdn.url, other.url + "/"]})
        tags = [f"sector-news-{number}" for number in range(1, 1001)]  # 15,892 bytes with their spaces
        requests = backend.purge_tags(tags)
        assert requests == 2  # at most 8,000 bytes of tags in the header (Varnish's http_req_hdr_len: 8 kB)
        for server in (cdn, other):
            assert [(request["method"], request["path"]) for request in server.requests] == [
                ("PURGE", "/")
            ] * 2
            sent = [request["headers"]["xkey-purge"] for request in server.requests]
            assert all(len(value.encode()) <= 8000 for value in sent)
            assert " ".join(sent).split(" ") == tags
    finally:
        other.stop()


def test_varnish_refusals_and_unreachable_servers_are_errors(cdn):
    cdn.answers = [(403, b"Purge not allowed from 10.0.0.9")]
    with pytest.raises(PurgeError, match=r"Varnish at http://127.0.0.1:\d+/ answered 403: Purge not allowed"):
        VarnishBackend({"LOCATIONS": [cdn.url]}).purge_tags(["page-1"])
    with pytest.raises(PurgeError, match="Connection refused|URLError"):
        VarnishBackend({"LOCATIONS": [f"http://127.0.0.1:{free_port()}"]}).purge_tags(["page-1"])
    with pytest.raises(ImproperlyConfigured, match="not an http"):
        VarnishBackend({"LOCATIONS": ["127.0.0.1:6081"]})


def test_purging_everything_sends_only_all(cdn):
    cdn.default = (200, CLOUDFLARE_OK)
    cloudflare(cdn).purge_tags(["page-1", "all", "sector-2"])
    assert json.loads(cdn.requests[0]["body"]) == {"tags": ["all"]}


# The outbox: rows in the change's transaction, sent after it commits.


@pytest.fixture
def backends(settings, cdn):
    """A Varnish and a Cloudflare, both answered by `cdn` (the same listener)."""
    cdn.default = (200, CLOUDFLARE_OK)
    settings.CACHE_PURGE_BACKENDS = {
        "varnish": {"BACKEND": "webhooks.purging.VarnishBackend", "LOCATIONS": [cdn.url]},
        "cloudflare": {
            "BACKEND": "webhooks.purging.CloudflareBackend",
            "ZONEID": ZONE,
            "BEARER_TOKEN": TOKEN,
            "API_URL": cdn.url,
        },
    }
    settings.CACHE_PURGE_REPEAT_SECONDS = 0
    settings.WEBHOOK_RETRY_DELAYS = [10, 60]
    return settings.CACHE_PURGE_BACKENDS


def change(tags):
    """A change of content as the lead's code reports it: the signal, in the change's transaction."""
    with transaction.atomic():
        tags_purged.send(sender=None, tags=tags)


def test_each_change_is_purged_from_every_cdn_after_it_commits(db, backends, cdn, committed):
    with committed():
        with transaction.atomic():
            tags_purged.send(sender=None, tags=["page-7", "news-vi", "pages"])
            assert CachePurge.objects.count() == 2  # written in the transaction...
            assert cdn.requests == []  # ... sent once it commits
    assert sorted(request["method"] for request in cdn.requests) == ["POST", "PURGE"]
    purge = {request["method"]: request for request in cdn.requests}
    assert purge["PURGE"]["headers"]["xkey-purge"] == "news-vi page-7 pages"
    assert json.loads(purge["POST"]["body"]) == {"tags": ["news-vi", "page-7", "pages"]}
    rows = {row.backend: row for row in CachePurge.objects.all()}
    assert set(rows) == {"varnish", "cloudflare"}
    for row in rows.values():
        assert (row.status, row.attempts, row.tags, row.last_error) == (
            "purged",
            1,
            "news-vi page-7 pages",
            "",
        )
        assert row.purged_at is not None


def test_nothing_is_purged_or_recorded_for_a_rolled_back_change(db, backends, cdn, committed):
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            tags_purged.send(sender=None, tags=["page-7"])
            raise RuntimeError("the editor's save failed")
    assert cdn.requests == [] and not CachePurge.objects.exists()


def test_without_backends_nothing_is_recorded(db, settings, committed):
    settings.CACHE_PURGE_BACKENDS = {}
    with committed():
        change(["page-7"])
    assert not CachePurge.objects.exists()


def test_a_failed_purge_is_logged_and_retried_with_backoff(db, backends, cdn, committed, settings, caplog):
    del settings.CACHE_PURGE_BACKENDS["varnish"]
    cdn.answers = [
        (503, b"upstream unavailable"),
        (500, {"success": False, "errors": [{"code": 10000, "message": "x"}]}),
    ]
    caplog.set_level(logging.INFO, logger="webhooks")
    with committed():
        change(["page-7"])
    purge = CachePurge.objects.get()
    assert (purge.status, purge.attempts, purge.failures) == ("pending", 1, 1)
    assert purge.last_error == "Cloudflare answered 503 without success: upstream unavailable"
    assert timedelta(seconds=9) < purge.next_attempt_at - timezone.now() <= timedelta(seconds=10)
    assert f"Purge {purge.pk} of 1 tags from cloudflare failed (Cloudflare answered 503" in caplog.text
    assert "retry in 10 s" in caplog.text

    assert purging.purges.deliver_due() == []  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        [attempted] = purging.purges.deliver_due()
    assert (attempted.status, attempted.failures) == ("pending", 2)
    with time_machine.travel(timezone.now() + timedelta(seconds=72)):
        [attempted] = purging.purges.deliver_due()
    assert (attempted.status, attempted.attempts, attempted.failures) == ("purged", 3, 0)
    assert "Purged 1 tags from cloudflare in 1 requests" in caplog.text
    assert len(cdn.requests) == 3


def test_a_purge_failing_for_good_is_logged_as_an_error(db, backends, settings, committed, caplog):
    settings.CACHE_PURGE_BACKENDS = {
        "varnish": {
            "BACKEND": "webhooks.purging.VarnishBackend",
            "LOCATIONS": [f"http://127.0.0.1:{free_port()}"],
        }
    }
    settings.WEBHOOK_RETRY_DELAYS = []
    with committed():
        change(["page-7"])
    assert CachePurge.objects.get().status == "failed"
    [record] = [record for record in caplog.records if record.levelno == logging.ERROR]
    assert record.name == "webhooks" and "failed for good" in record.getMessage()


def test_a_retry_sends_only_the_tags_not_purged_yet(db, backends, cdn, settings, committed):
    """Thousands of tags (a moved section) past Cloudflare's rate limit: the next attempt goes on."""
    del settings.CACHE_PURGE_BACKENDS["varnish"]
    tags = sorted(page_tags(250))
    cdn.answers = [
        (200, CLOUDFLARE_OK),
        (429, {"success": False, "errors": [{"code": 10429, "message": "rate"}]}),
    ]
    with committed():
        change(tags)
    purge = CachePurge.objects.get()
    assert purge.remaining.split() == tags[100:]
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        purging.purges.deliver_due()
    purge.refresh_from_db()
    assert (purge.status, purge.remaining, purge.tag_list) == ("purged", "", tags)
    assert (
        [json.loads(request["body"])["tags"] for request in cdn.requests]
        == [
            tags[:100],
            tags[100:200],  # refused, then sent again
            tags[100:200],
            tags[200:],
        ]
    )


def test_each_purge_is_repeated_once_after_a_second(db, backends, cdn, settings, committed):
    """For answers computed from the old content while the first purge went out."""
    del settings.CACHE_PURGE_BACKENDS["cloudflare"]
    settings.CACHE_PURGE_REPEAT_SECONDS = 1.0
    with committed():
        change(["page-7"])
    purge = CachePurge.objects.get()
    assert (purge.status, purge.repeat_due, len(cdn.requests)) == ("pending", False, 1)
    first = purge.purged_at
    assert timedelta(seconds=0.5) < purge.next_attempt_at - timezone.now() <= timedelta(seconds=1)
    assert purging.purges.deliver_due() == []
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        call_command("deliver_webhooks", stdout=io.StringIO())
    purge.refresh_from_db()
    assert (purge.status, purge.attempts, purge.purged_at) == ("purged", 2, first)
    assert [request["headers"]["xkey-purge"] for request in cdn.requests] == ["page-7", "page-7"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_repeat_goes_out_by_itself_in_the_background(backends, cdn, settings):
    del settings.CACHE_PURGE_BACKENDS["cloudflare"]
    settings.WEBHOOK_ASYNC = True
    settings.CACHE_PURGE_REPEAT_SECONDS = 0.3
    change(["page-7"])
    assert wait_for(lambda: CachePurge.objects.get().status == "purged")
    assert len(cdn.requests) == 2


def test_deliver_webhooks_sends_the_purges_that_are_due(db, backends, cdn, committed):
    with committed(), transaction.atomic():
        purging.purge_later(["page-7"])
        CachePurge.objects.update(
            next_attempt_at=timezone.now() + timedelta(minutes=5)
        )  # as if a server stopped
    assert cdn.requests == []
    out = io.StringIO()
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        call_command("deliver_webhooks", stdout=out)
    assert "2 purges attempted, 2 done, 0 still pending" in out.getvalue()
    assert set(CachePurge.objects.values_list("status", flat=True)) == {"purged"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_cdn_that_hangs_never_holds_up_the_change(backends, cdn, settings):
    """Background purges: the change commits while the CDN still holds the purge request."""
    settings.WEBHOOK_ASYNC = True
    settings.CACHE_PURGE_TIMEOUT = 30
    cdn.release.clear()  # the CDN holds every request until released (20 s at most)
    started = time.monotonic()
    change(["page-7"])
    # Both backends' purges are out (their senders done with the database: in-memory SQLite locks
    # whole tables between threads, with no busy timeout), and the next change goes ahead too.
    assert wait_for(lambda: cdn.arrived == 2)
    CooperationSectorFactory(name="Giáo dục")
    committed_after = time.monotonic() - started
    assert cdn.requests == []  # nothing answered yet: the change did not wait for it
    assert committed_after < 20  # a bound: the hang lasts 20 s (or until released)
    cdn.release.set()
    assert wait_for(lambda: set(CachePurge.objects.values_list("status", flat=True)) == {"purged"})


def test_a_cdn_that_is_down_never_fails_the_change(db, settings, committed):
    """Even sending in the committing thread (WEBHOOK_ASYNC off, as in tests): a failed attempt."""
    settings.CACHE_PURGE_BACKENDS = {
        "varnish": {
            "BACKEND": "webhooks.purging.VarnishBackend",
            "LOCATIONS": [f"http://127.0.0.1:{free_port()}"],
        }
    }
    with committed():
        change(["page-7"])
    purge = CachePurge.objects.get()
    assert (purge.status, purge.failures) == ("pending", 1)


def test_a_backend_removed_from_the_settings_fails_its_pending_purges(db, backends, settings, committed):
    settings.WEBHOOK_RETRY_DELAYS = []
    with committed():
        with transaction.atomic():
            purging.purge_later(["page-7"])
            settings.CACHE_PURGE_BACKENDS = {}
    assert set(CachePurge.objects.values_list("status", flat=True)) == {"failed"}
    assert "has no backend" in CachePurge.objects.first().last_error


# Settings and checks.


def test_the_backends_come_from_the_environment():
    assert cache_purge_backends({}) == {}
    assert cache_purge_backends(
        {
            "VARNISH_PURGE_URLS": "http://10.0.0.5:6081, http://10.0.0.6:6081",
            "CLOUDFLARE_ZONE_ID": ZONE,
            "CLOUDFLARE_API_TOKEN": TOKEN,
            "FASTLY_SERVICE_ID": SERVICE,
            "FASTLY_API_TOKEN": "fastly-token",
        }
    ) == {
        "varnish": {
            "BACKEND": "webhooks.purging.VarnishBackend",
            "LOCATIONS": ["http://10.0.0.5:6081", "http://10.0.0.6:6081"],
        },
        "cloudflare": {
            "BACKEND": "webhooks.purging.CloudflareBackend",
            "ZONEID": ZONE,
            "BEARER_TOKEN": TOKEN,
        },
        "fastly": {
            "BACKEND": "webhooks.purging.FastlyBackend",
            "SERVICE_ID": SERVICE,
            "API_TOKEN": "fastly-token",
            "SOFT_PURGE": False,
        },
    }
    # Half a CDN's variables still configure it: `check` says what is missing.
    assert cache_purge_backends({"CLOUDFLARE_ZONE_ID": ZONE})["cloudflare"]["BEARER_TOKEN"] == ""


def test_misconfigured_backends_are_reported(settings):
    settings.CACHE_PURGE_BACKENDS = cache_purge_backends(
        {
            "VARNISH_PURGE_URLS": "http://127.0.0.1:6081",
            "CLOUDFLARE_ZONE_ID": ZONE,
            "FASTLY_SERVICE_ID": SERVICE,
        }
    )
    problems = cache_purge_settings(None)
    assert [problem.id for problem in problems] == ["webhooks.E003", "webhooks.E003"]
    assert "['cloudflare']: CloudflareBackend needs BEARER_TOKEN" in problems[0].msg
    assert "['fastly']: FastlyBackend needs API_TOKEN" in problems[1].msg
    settings.CACHE_PURGE_BACKENDS = {
        "varnish": {"BACKEND": "webhooks.purging.VarnishBackend", "LOCATIONS": ["varnish:6081"]},
        "cdn": {"BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend", "LOCATION": "http://x/"},
        "typo": {"BACKEND": "webhooks.purging.VarnishBackends"},
    }
    messages = [problem.msg for problem in cache_purge_settings(None)]
    assert "'varnish:6081' is not an http(s) URL" in messages[0]
    assert "does not purge by tag" in messages[1]
    assert "['typo']: BACKEND" in messages[2]
    settings.CACHE_PURGE_BACKENDS = cache_purge_backends({"VARNISH_PURGE_URLS": "http://127.0.0.1:6081"})
    assert cache_purge_settings(None) == []


# The admin and the webhooks' tags.


def test_the_purges_are_listed_in_the_admin(db, admin_client_vi, backends, committed):
    with committed():
        change([f"page-{number}" for number in range(1, 13)])
    html = admin_client_vi.get("/admin/cache_purges/").content.decode()
    assert "Xoá bộ đệm CDN" in html  # its title in Vietnamese
    assert "cloudflare" in html and "varnish" in html and "(+7)" in html
    purge = CachePurge.objects.first()
    inspect = admin_client_vi.get(f"/admin/cache_purges/inspect/{purge.pk}/")
    assert inspect.status_code == 200 and "page-12" in inspect.content.decode()


def test_sector_webhooks_carry_the_tags_their_change_purges(db, listener, committed):
    with committed():
        sector = CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep")
    [request] = listener.requests
    assert json.loads(request["body"])["tags"] == sorted([f"sector-{sector.pk}", "sectors"])


def test_page_webhooks_carry_the_tags_their_change_purges(news_index, listener, committed):
    from news.factories import NewsPageFactory
    from publishing.cache_tags import page_change_tags

    page = NewsPageFactory(parent=news_index, slug="dong-phuc", live=False)
    with committed():
        page.save_revision().publish()  # going live: the page and its lists
    payload = json.loads(listener.requests[0]["body"])
    assert payload["tags"] == page_change_tags(page)
    assert f"page-{page.pk}" in payload["tags"] and "pages" in payload["tags"]


def test_publishing_a_page_purges_what_its_webhook_names(news_index, backends, cdn, listener, committed):
    """The tags a publish purges from the CDNs are the ones its webhook carries (and more)."""
    from news.factories import NewsPageFactory

    page = NewsPageFactory(parent=news_index, slug="dong-phuc")
    cdn.requests.clear()
    with committed():
        page.save_revision().publish()
    purged = {
        tag
        for request in cdn.requests
        if request["method"] == "PURGE"
        for tag in request["headers"]["xkey-purge"].split()
    }
    [webhook] = listener.requests
    assert f"page-{page.pk}" in purged
    assert set(json.loads(webhook["body"])["tags"]) <= purged


@requires_service("varnish")
def test_the_varnish_backend_purges_a_real_varnish_exactly():
    """The shipped VCL (ops/varnish/newsroom.vcl) in front of cms/tests/test_varnish.py's tiny origin."""
    from cms.tests.test_varnish import Origin

    origin = Origin()
    varnish = VarnishServer([origin.port]).wait_ready()
    try:
        for _ in range(2):
            for path in ("/graphql/?query=page1", "/graphql/?query=page4"):
                assert varnish.request(path)[0] == 200
        assert origin.computed == {"/graphql/?query=page1": 1, "/graphql/?query=page4": 1}
        tags = [f"image-{number}" for number in range(1000)] + ["page-1"]  # in several requests
        assert VarnishBackend({"LOCATIONS": [varnish.base]}).purge_tags(tags) == 2
        for path in ("/graphql/?query=page1", "/graphql/?query=page4"):
            varnish.request(path)
        assert origin.computed == {"/graphql/?query=page1": 2, "/graphql/?query=page4": 1}
    finally:
        varnish.stop()
        origin.stop()
