"""
Publish webhooks: tell frontends what changed so they can revalidate their pages.

`emit()` runs inside the editor's transaction and only writes rows (one per target URL); once the
transaction commits, they are sent by the outbox shared with CDN purges (webhooks.outbox: background
threads, retries after WEBHOOK_RETRY_DELAYS, `manage.py deliver_webhooks`, claims).

Each POST carries:
- `X-Newsroom-Event`: the event, e.g. `page.published`;
- `X-Newsroom-Delivery`: the delivery's UUID, the same on every retry (to ignore duplicates);
- `X-Newsroom-Timestamp`: seconds since the epoch, when this attempt was signed;
- `X-Newsroom-Signature`: `sha256=` + HMAC-SHA256(WEBHOOK_SECRET, timestamp + "." + body), hex.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.utils import timezone

from . import app_settings
from .models import WebhookDelivery
from .outbox import Outbox, retry_delay

logger = logging.getLogger("webhooks")

USER_AGENT = "newsroom-cms-webhooks/1"


def signature(secret, timestamp, body):
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


class Webhooks(Outbox):
    model = WebhookDelivery
    name = "webhooks"
    done_status = WebhookDelivery.Status.DELIVERED
    recorded_fields = (
        "attempts", "response_status", "last_error", "status", "next_attempt_at", "delivered_at"
    )  # fmt: skip

    def attempt(self, delivery):
        status, error = post(delivery)
        delivery.attempts += 1
        delivery.response_status = status
        delivery.last_error = error
        if not error:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            return None
        retry_in = retry_delay(delivery.attempts)
        if retry_in is None:
            delivery.status = WebhookDelivery.Status.FAILED
            logger.error("Webhook %s to %s failed for good: %s", delivery.uuid, delivery.target_url, error)
            return None
        delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
        logger.warning(
            "Webhook %s to %s failed (%s); retry in %s s", delivery.uuid, delivery.target_url, error, retry_in
        )
        return retry_in


webhooks = Webhooks()
dispatch = webhooks.dispatch
deliver = webhooks.deliver
deliver_due = webhooks.deliver_due
retry = webhooks.retry


def emit(event, object_type, object_id, **fields):
    """Record `event` for every configured target; send it once the transaction commits."""
    targets = app_settings.WEBHOOK_URLS
    if not targets:
        return []
    payload = {
        "event": event,
        "type": object_type,
        "id": object_id,
        **fields,
        "timestamp": timezone.now().isoformat(),
    }
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    deliveries = [
        WebhookDelivery.objects.create(
            event=event, object_type=object_type, object_id=object_id, target_url=url, body=body
        )
        for url in targets
    ]
    webhooks.dispatch_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow: the operator should configure the final URL."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(NoRedirects)


def post(delivery):
    """POST the delivery once; (HTTP status or None, error text or "")."""
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked at start-up (webhooks.E002)
        delivery.target_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-Newsroom-Event": delivery.event,
            "X-Newsroom-Delivery": str(delivery.uuid),
            "X-Newsroom-Timestamp": timestamp,
            "X-Newsroom-Signature": signature(app_settings.WEBHOOK_SECRET, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=app_settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        try:
            detail = error.read(300).decode(errors="replace")
        except Exception:  # the status is what matters; the body is a courtesy
            detail = ""
        return error.code, f"HTTP {error.code}: {detail}".strip()
    except urllib.error.URLError as error:
        return None, f"{type(error).__name__}: {error.reason}"
    except Exception as error:  # any other failure (bad status line, reset, ...) is a failed attempt
        return None, f"{type(error).__name__}: {error}"
