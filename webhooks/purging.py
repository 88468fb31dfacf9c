"""
CDN purges by tag (docs/purging.md): every change's tags (`publishing.signals.tags_purged`) are
purged from each CDN of CACHE_PURGE_BACKENDS after the change commits.

The backends build on Wagtail's frontend cache backends (wagtail.contrib.frontend_cache, which
purge by URL): the same kind of settings dict, Cloudflare's credentials checked by Wagtail's own
backend. Each has one interface: `purge_tags(tags)` sends the tags in as few requests as the CDN
allows (`max_tags_per_request`, and for a header `max_header_bytes`) and raises PurgeError, with a
message saying what the CDN answered and the tags not purged yet, when a request fails.

- VarnishBackend: `PURGE /` with `xkey-purge: tag1 tag2 ...` to each of LOCATIONS (ops/varnish/);
- CloudflareBackend: Cloudflare's purge by tag, `POST /zones/{ZONEID}/purge_cache` with
  `{"tags": [...]}`;
- FastlyBackend: Fastly's batch purge by surrogate key, `POST /service/{SERVICE_ID}/purge` with
  `Surrogate-Key: tag1 tag2 ...`.

Delivery works like webhooks' (webhooks.outbox): `purge_later(tags)` writes one CachePurge row per
backend in the change's transaction; they are sent after the commit from background threads,
retried after WEBHOOK_RETRY_DELAYS (then by `manage.py deliver_webhooks`), and each is sent once
more CACHE_PURGE_REPEAT_SECONDS after it first went through. A CDN that is slow or down never
slows or fails an editor's publish.
"""

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.contrib.frontend_cache.backends import BaseBackend
from wagtail.contrib.frontend_cache.backends import CloudflareBackend as WagtailCloudflareBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest

from publishing.signals import tags_purged

from . import app_settings
from .delivery import NoRedirects
from .models import CachePurge
from .outbox import CLAIM_SECONDS, Outbox, retry_delay

logger = logging.getLogger("webhooks")

USER_AGENT = "newsroom-cms-purges/1"
EVERYTHING = "all"  # carried by every tagged answer: purging it empties the CDN of them all


class PurgeError(Exception):
    """A purge request failed; `remaining`: the tags not purged yet (this request's and later ones)."""

    def __init__(self, message, remaining=()):
        super().__init__(message)
        self.remaining = list(remaining)


class PurgeIncomplete(PurgeError):
    """The attempt ran out of time before its last request: the rest goes out in the next one."""


_opener = urllib.request.build_opener(NoRedirects)


class TagPurgeBackend(BaseBackend):
    """
    A CDN purged by tag. `params` is the backend's dict of CACHE_PURGE_BACKENDS (not changed);
    TIMEOUT: seconds to wait for each answer (default CACHE_PURGE_TIMEOUT); API_URL: where the
    CDN's API answers (tests point it at a local listener).
    """

    # At most this many tags in one request...
    max_tags_per_request = 100
    # ... and, when they travel in one header, at most this many bytes in its value.
    max_header_bytes = None
    default_api_url = ""

    def __init__(self, params):
        params = dict(params)  # Wagtail's backends pop what they read
        self.timeout = float(params.pop("TIMEOUT", None) or app_settings.CACHE_PURGE_TIMEOUT)
        self.api_url = str(params.pop("API_URL", None) or self.default_api_url).rstrip("/")
        if self.default_api_url and not _http_url(self.api_url):
            raise ImproperlyConfigured(
                f"{type(self).__name__}: API_URL {self.api_url!r} is not an http(s) URL."
            )
        super().__init__(params)

    def purge(self, url):
        raise NotImplementedError(f"{type(self).__name__} purges by tag (purge_tags), not by URL")

    def purge_batch(self, urls):
        raise NotImplementedError(f"{type(self).__name__} purges by tag (purge_tags), not by URL")

    def chunks(self, tags):
        """`tags` in order, cut into lists that each fit in one request."""
        chunks, chunk, size = [], [], 0
        for tag in tags:
            grown = size + len(tag.encode()) + (1 if chunk else 0)  # one separator between tags
            full = len(chunk) >= self.max_tags_per_request
            if chunk and (full or (self.max_header_bytes and grown > self.max_header_bytes)):
                chunks.append(chunk)
                chunk, grown = [], len(tag.encode())
            chunk.append(tag)
            size = grown
        if chunk:
            chunks.append(chunk)
        return chunks

    def purge_tags(self, tags, deadline=None):
        """
        Purge `tags` (deduplicated; only `all` when it is among them); the number of requests.
        Past `deadline` (time.monotonic()), stops before the next request: PurgeIncomplete.
        """
        tags = [EVERYTHING] if EVERYTHING in tags else list(dict.fromkeys(tags))
        chunks = self.chunks(tags)
        for number, chunk in enumerate(chunks):
            remaining = [tag for rest in chunks[number:] for tag in rest]
            if number and deadline is not None and time.monotonic() > deadline:
                raise PurgeIncomplete(f"{len(remaining)} tags left for the next attempt", remaining)
            try:
                self.purge_request(chunk)
            except PurgeError as error:
                raise PurgeError(str(error), remaining) from None
        return len(chunks)

    def purge_request(self, tags):
        """One request purging `tags`; PurgeError when the CDN does not confirm it."""
        raise NotImplementedError

    def send(self, request):
        """(status, body) of the CDN's answer, whatever its status; PurgeError without one."""
        request.add_header("User-Agent", USER_AGENT)
        try:
            with _opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read(65536)
        except urllib.error.HTTPError as error:
            try:
                body = error.read(65536)
            except Exception:  # the status is what matters; the body is a courtesy
                body = b""
            return error.code, body
        except urllib.error.URLError as error:
            raise PurgeError(f"{request.full_url}: {type(error).__name__}: {error.reason}") from None
        except Exception as error:  # a reset, a bad status line, a timeout while reading...
            raise PurgeError(f"{request.full_url}: {type(error).__name__}: {error}") from None


def _excerpt(body, length=300):
    return body[:length].decode(errors="replace").strip()


def _json(body):
    try:
        return json.loads(body)
    except ValueError:
        return None


def _http_url(url):
    parts = urllib.parse.urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


class VarnishBackend(TagPurgeBackend):
    """
    Varnish with the xkey vmod (ops/varnish/newsroom.vcl): `PURGE /` with the header
    `xkey-purge: tag1 tag2 ...` to each of LOCATIONS (its addresses, e.g. http://127.0.0.1:6081;
    LOCATION for one). The VCL answers 200 (it says how many objects went), 403 to an address
    outside its purge ACL, 400 without the header.

    One header line carries the tags: Varnish refuses a request header line longer than its
    `http_req_hdr_len` parameter (8 KB by default), so a request carries at most 8,000 bytes of
    tags (about 400 of ours). xkey itself sets no limit on the number of keys.
    """

    max_tags_per_request = 1000
    max_header_bytes = 8000

    def __init__(self, params):
        super().__init__(params)
        locations = params.get("LOCATIONS") or ([params["LOCATION"]] if params.get("LOCATION") else [])
        if isinstance(locations, str):
            locations = [locations]
        if not locations:
            raise ImproperlyConfigured("VarnishBackend needs LOCATIONS: the Varnish servers' http(s) URLs.")
        for location in locations:
            if not _http_url(location):
                raise ImproperlyConfigured(f"VarnishBackend: {location!r} is not an http(s) URL.")
        self.locations = [location.rstrip("/") + "/" for location in locations]

    def purge_request(self, tags):
        for location in self.locations:
            request = PurgeRequest(location, headers={"xkey-purge": " ".join(tags)})
            status, body = self.send(request)
            if status != 200:
                raise PurgeError(f"Varnish at {location} answered {status}: {_excerpt(body)}")


class CloudflareBackend(TagPurgeBackend, WagtailCloudflareBackend):
    """
    Cloudflare's purge by tag: `POST {API_URL}/zones/{ZONEID}/purge_cache` with the JSON body
    `{"tags": [...]}` and `Authorization: Bearer {BEARER_TOKEN}` (a token with the permission
    Zone → Cache Purge), or Wagtail's older EMAIL + API_KEY (the global key); Wagtail's own
    backend checks them. Cloudflare answers `{"success": true, ...}`, or `success: false` with
    `errors` (and 429 past its rate limit).

    Documented limits (developers.cloudflare.com/cache/how-to/purge-cache/): at most 100 tags per
    purge request ("max operations per request", every plan); purge requests per account are rate
    limited (a token bucket: e.g. 5 requests per minute, 25 at once, on the free plan; 50 per
    second on Enterprise) — a request refused with 429 fails the attempt, which is retried from
    where it stopped (CachePurge.remaining).
    """

    max_tags_per_request = 100
    default_api_url = "https://api.cloudflare.com/client/v4"

    def __init__(self, params):
        if not params.get("ZONEID"):
            raise ImproperlyConfigured("CloudflareBackend needs ZONEID (the zone's ID, CLOUDFLARE_ZONE_ID).")
        try:
            super().__init__(params)
        except ImproperlyConfigured:
            raise ImproperlyConfigured(
                "CloudflareBackend needs BEARER_TOKEN (an API token allowed Zone → Cache Purge, "
                "CLOUDFLARE_API_TOKEN), or both EMAIL and API_KEY."
            ) from None

    @property
    def endpoint(self):
        return f"{self.api_url}/zones/{urllib.parse.quote(self.cloudflare_zoneid, safe='')}/purge_cache"

    def purge_request(self, tags):
        headers = {"Content-Type": "application/json"}
        if self.cloudflare_token:
            headers["Authorization"] = f"Bearer {self.cloudflare_token}"
        else:
            headers["X-Auth-Email"] = self.cloudflare_email
            headers["X-Auth-Key"] = self.cloudflare_api_key
        body = json.dumps({"tags": tags}).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers=headers)  # noqa: S310 - http(s), checked
        status, answer = self.send(request)
        payload = _json(answer)
        if isinstance(payload, dict) and payload.get("success") is True and 200 <= status < 300:
            return
        if isinstance(payload, dict) and payload.get("errors"):
            errors = "; ".join(f"{error.get('code', '')} {error.get('message', '')}".strip()
                               for error in payload["errors"] if isinstance(error, dict))  # fmt: skip
            raise PurgeError(f"Cloudflare answered {status}: {errors}")
        raise PurgeError(f"Cloudflare answered {status} without success: {_excerpt(answer)}")


class FastlyBackend(TagPurgeBackend):
    """
    Fastly's batch purge by surrogate key: `POST {API_URL}/service/{SERVICE_ID}/purge` with
    `Surrogate-Key: tag1 tag2 ...` and `Fastly-Key: {API_TOKEN}` (a token with the scope
    purge_select); with SOFT_PURGE, `Fastly-Soft-Purge: 1` marks the objects stale instead of
    dropping them (served stale while revalidating, if the service allows). Fastly answers 200 with
    `{"tag": "purge id", ...}`.

    Documented limit (Fastly's API reference, "Purge multiple surrogate key tags"): at most 256
    surrogate keys per batch purge request.
    """

    max_tags_per_request = 256
    default_api_url = "https://api.fastly.com"

    def __init__(self, params):
        super().__init__(params)
        self.service_id = params.get("SERVICE_ID") or ""
        self.api_token = params.get("API_TOKEN") or ""
        self.soft_purge = bool(params.get("SOFT_PURGE"))
        if not self.service_id:
            raise ImproperlyConfigured("FastlyBackend needs SERVICE_ID (FASTLY_SERVICE_ID).")
        if not self.api_token:
            raise ImproperlyConfigured(
                "FastlyBackend needs API_TOKEN (FASTLY_API_TOKEN: a token with the scope purge_select)."
            )

    @property
    def endpoint(self):
        return f"{self.api_url}/service/{urllib.parse.quote(self.service_id, safe='')}/purge"

    def purge_request(self, tags):
        headers = {
            "Fastly-Key": self.api_token,
            "Surrogate-Key": " ".join(tags),
            "Accept": "application/json",
        }
        if self.soft_purge:
            headers["Fastly-Soft-Purge"] = "1"
        request = urllib.request.Request(self.endpoint, data=b"", method="POST", headers=headers)  # noqa: S310 - http(s), checked
        status, answer = self.send(request)
        payload = _json(answer)
        if status == 200 and isinstance(payload, dict):
            return
        if isinstance(payload, dict) and (payload.get("msg") or payload.get("detail")):
            detail = " ".join(str(payload[key]) for key in ("msg", "detail") if payload.get(key))
            raise PurgeError(f"Fastly answered {status}: {detail}")
        raise PurgeError(f"Fastly answered {status}: {_excerpt(answer)}")


def get_backend(name):
    """The backend `name` of CACHE_PURGE_BACKENDS; ImproperlyConfigured when it cannot be made."""
    params = app_settings.CACHE_PURGE_BACKENDS.get(name)
    if params is None:
        raise ImproperlyConfigured(f"CACHE_PURGE_BACKENDS has no backend {name!r} (any more).")
    try:
        backend_class = import_string(params.get("BACKEND", ""))
    except ImportError as error:
        raise ImproperlyConfigured(f"CACHE_PURGE_BACKENDS[{name!r}]: BACKEND: {error}") from None
    if not (isinstance(backend_class, type) and issubclass(backend_class, TagPurgeBackend)):
        raise ImproperlyConfigured(
            f"CACHE_PURGE_BACKENDS[{name!r}]: {params.get('BACKEND')} does not purge by tag "
            "(one of webhooks.purging's backends)."
        )
    return backend_class(params)


# Delivery: rows written in the change's transaction, sent after it commits (webhooks.outbox).


class Purges(Outbox):
    model = CachePurge
    name = "purges"
    done_status = CachePurge.Status.PURGED
    recorded_fields = ("remaining", "status", "attempts", "failures", "repeat_due",
                       "next_attempt_at", "last_error", "purged_at")  # fmt: skip

    def attempt(self, purge):
        tags = purge.remaining.split() or purge.tag_list
        purge.attempts += 1
        started = time.monotonic()
        try:
            requests = get_backend(purge.backend).purge_tags(tags, deadline=started + CLAIM_SECONDS / 2)
        except PurgeIncomplete as progress:
            purge.remaining = " ".join(progress.remaining)
            purge.next_attempt_at = timezone.now()
            logger.info("Purge %s from %s: %s", purge.pk, purge.backend, progress)
            return 0
        except (PurgeError, ImproperlyConfigured) as error:
            return self.failed(purge, tags, error)
        except Exception as error:  # any other failure is a failed attempt, not a stuck row
            return self.failed(purge, tags, f"{type(error).__name__}: {error}")
        seconds = time.monotonic() - started
        logger.info(
            "Purged %d tags from %s in %d requests (%.2f s)%s",
            len(tags),
            purge.backend,
            requests,
            seconds,
            " (repeated)" if purge.purged_at else "",
        )
        purge.remaining = ""
        purge.failures = 0
        purge.last_error = ""
        purge.purged_at = purge.purged_at or timezone.now()
        repeat = app_settings.CACHE_PURGE_REPEAT_SECONDS
        if purge.repeat_due and repeat > 0:
            purge.repeat_due = False
            purge.next_attempt_at = timezone.now() + timedelta(seconds=repeat)
            return repeat
        purge.repeat_due = False
        purge.status = CachePurge.Status.PURGED
        return None

    def failed(self, purge, tags, error):
        remaining = getattr(error, "remaining", None) or tags
        purge.remaining = " ".join(remaining) if len(remaining) < len(purge.tag_list) else ""
        purge.failures += 1
        purge.last_error = str(error)
        retry_in = retry_delay(purge.failures)
        if retry_in is None:
            purge.status = CachePurge.Status.FAILED
            logger.error(
                "Purge %s of %d tags from %s failed for good: %s", purge.pk, len(tags), purge.backend, error
            )
            return None
        purge.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        logger.warning(
            "Purge %s of %d tags from %s failed (%s); retry in %s s",
            purge.pk,
            len(tags),
            purge.backend,
            error,
            retry_in,
        )
        return retry_in


purges = Purges()


def purge_later(tags):
    """
    Record the purge of `tags` for every CDN of CACHE_PURGE_BACKENDS, in the current transaction;
    sent once it commits (at once outside a transaction).
    """
    backends = app_settings.CACHE_PURGE_BACKENDS
    tags = sorted(set(tags))
    if not backends or not tags:
        return []
    if EVERYTHING in tags:
        tags = [EVERYTHING]
    text = " ".join(tags)
    repeat = app_settings.CACHE_PURGE_REPEAT_SECONDS > 0
    rows = [CachePurge.objects.create(backend=name, tags=text, repeat_due=repeat) for name in backends]
    purges.dispatch_on_commit([row.pk for row in rows])
    return rows


@receiver(tags_purged, dispatch_uid="webhooks-cdn-purges")
def purge_cdns(sender, tags, **kwargs):
    purge_later(tags)
