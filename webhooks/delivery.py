"""
Publish webhooks: tell frontends what changed so they can revalidate their pages.

`emit()` runs inside the editor's transaction and only writes rows (one per target URL); once the
transaction commits, the rows are handed to a small pool of background threads, so a target that
is slow or down never slows down or fails the editor's save. A failed attempt is retried after
WEBHOOK_RETRY_DELAYS (in this process while the wait is short; otherwise, and after a restart, by
`manage.py deliver_webhooks`, run every minute). Several app servers may try the same delivery:
an attempt first claims the row with a conditional UPDATE, so only one of them sends it.

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
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from .models import WebhookDelivery

logger = logging.getLogger("webhooks")

USER_AGENT = "newsroom-cms-webhooks/1"
CLAIM_SECONDS = 120  # an attempt in progress holds its row this long (longer than any timeout)
IN_PROCESS_RETRY_LIMIT = 600  # longer waits are left to `manage.py deliver_webhooks`

_executor = None
_executor_pid = None
_executor_lock = threading.Lock()


def signature(secret, timestamp, body):
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def emit(event, object_type, object_id, **fields):
    """Record `event` for every configured target; send it once the transaction commits."""
    targets = settings.WEBHOOK_URLS
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
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: dispatch(ids))
    return deliveries


def dispatch(ids):
    """Send these deliveries: in the background, or right here when WEBHOOK_ASYNC is off (tests)."""
    if not settings.WEBHOOK_ASYNC:
        for pk in ids:
            deliver(pk)
        return
    executor = _pool()
    for pk in ids:
        executor.submit(_deliver_in_thread, pk)


def _pool():
    """One pool per process (gunicorn forks workers after loading the app: threads do not survive)."""
    global _executor, _executor_pid
    with _executor_lock:
        if _executor is None or _executor_pid != os.getpid():
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webhooks")
            _executor_pid = os.getpid()
        return _executor


def _deliver_in_thread(pk):
    close_old_connections()
    try:
        deliver(pk)
    except Exception:  # a bug or a database outage must not kill the pool's thread silently
        logger.exception("Webhook delivery %s could not be attempted", pk)
    finally:
        connections.close_all()  # this thread's connections would otherwise linger


def deliver(pk):
    """One attempt at delivery `pk`, if it is due and nobody else is attempting it."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.get(pk=pk)
    status, error = post(delivery)
    delivery.attempts += 1
    delivery.response_status = status
    delivery.last_error = error
    retry_in = None
    if error:
        delays = settings.WEBHOOK_RETRY_DELAYS
        if delivery.attempts > len(delays):
            delivery.status = WebhookDelivery.Status.FAILED
            logger.error("Webhook %s to %s failed for good: %s", delivery.uuid, delivery.target_url, error)
        else:
            retry_in = delays[delivery.attempts - 1]
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=retry_in)
            logger.warning(
                "Webhook %s to %s failed (%s); retry in %s s",
                delivery.uuid,
                delivery.target_url,
                error,
                retry_in,
            )
    else:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = timezone.now()
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "last_error",
            "status",
            "next_attempt_at",
            "delivered_at",
        ]
    )
    if retry_in is not None and settings.WEBHOOK_ASYNC and retry_in <= IN_PROCESS_RETRY_LIMIT:
        timer = threading.Timer(retry_in, dispatch, args=[[pk]])
        timer.daemon = True
        timer.start()
    return delivery


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer we do not follow: the operator should configure the final URL."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


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
            "X-Newsroom-Signature": signature(settings.WEBHOOK_SECRET, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}: {error.read(300).decode(errors='replace')}".strip()
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {getattr(error, 'reason', error)}"


def deliver_due(limit=500):
    """Attempt every delivery that is due (cron: `manage.py deliver_webhooks`)."""
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    results = [deliver(pk) for pk in due.values_list("pk", flat=True)[:limit]]
    return [result for result in results if result is not None]


def retry(delivery):
    """An operator asks for another attempt now (the admin's "Retry" button)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now()
    )
    transaction.on_commit(lambda: dispatch([delivery.pk]))
