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
import math
import os
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import OperationalError, close_old_connections, connections, transaction
from django.utils import timezone

from . import app_settings
from .models import WebhookDelivery

logger = logging.getLogger("webhooks")

USER_AGENT = "newsroom-cms-webhooks/1"
# An attempt in progress holds its row this long. It lasts about WEBHOOK_TIMEOUT per socket
# operation (connect, send, read): webhooks.W002 warns when that could outlive the claim.
CLAIM_SECONDS = 120
IN_PROCESS_RETRY_LIMIT = 600  # longer waits are left to `manage.py deliver_webhooks`

_executor = None
_executor_pid = None
_executor_lock = threading.Lock()


def signature(secret, timestamp, body):
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


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
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: dispatch(ids))
    return deliveries


def dispatch(ids):
    """Send these deliveries: in the background, or right here when WEBHOOK_ASYNC is off (tests)."""
    if not app_settings.WEBHOOK_ASYNC:
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
    # The claim is also the attempt's token: its result is recorded only if the row still holds
    # this exact value (a claim that outlived CLAIM_SECONDS and was taken over records nothing).
    claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    claimed = _update(
        WebhookDelivery.objects.filter(
            pk=pk, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        ),
        next_attempt_at=claimed_until,
    )
    if not claimed:
        return None
    delivery = WebhookDelivery.objects.get(pk=pk)
    status, error = post(delivery)
    delivery.attempts += 1
    delivery.response_status = status
    delivery.last_error = error
    retry_in = None
    if error:
        delays = app_settings.WEBHOOK_RETRY_DELAYS
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
    recorded = _record(delivery, claimed_until)
    if not recorded:
        logger.warning("Webhook %s: attempt outlived its claim; its result is not recorded", delivery.uuid)
        return None
    if retry_in is not None and app_settings.WEBHOOK_ASYNC and retry_in <= IN_PROCESS_RETRY_LIMIT:
        _retries.wake_at(time.monotonic() + retry_in)
    return delivery


def _record(delivery, claimed_until):
    """Store the attempt's result if this attempt still holds its claim."""
    return _update(
        WebhookDelivery.objects.filter(
            pk=delivery.pk, status=WebhookDelivery.Status.PENDING, next_attempt_at=claimed_until
        ),
        attempts=delivery.attempts,
        response_status=delivery.response_status,
        last_error=delivery.last_error,
        status=delivery.status,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
    )


def _update(queryset, tries=3, **values):
    """queryset.update(), again after a moment if SQLite reports its table locked by a writer."""
    for attempt in range(tries):
        try:
            return queryset.update(**values)
        except OperationalError:
            if attempt == tries - 1:
                raise  # a claimed row is attempted again once its claim expires; an unclaimed one by cron
            time.sleep(0.2)
    return 0


class _RetryScheduler:
    """
    One thread per process that wakes when the earliest short retry is due and attempts whatever
    is due then (claims keep processes from sending the same delivery twice). A thousand failed
    deliveries cost one sleeping thread, not a thousand timers.
    """

    def __init__(self):
        self._condition = threading.Condition()
        self._wake_at = math.inf
        self._thread = None
        self._pid = None

    def wake_at(self, moment):
        with self._condition:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="webhook-retries", daemon=True)
                self._pid = os.getpid()
                self._thread.start()
            if moment < self._wake_at:
                self._wake_at = moment
                self._condition.notify()

    def _run(self):
        while True:
            with self._condition:
                while time.monotonic() < self._wake_at:
                    self._condition.wait(timeout=min(self._wake_at - time.monotonic(), 3600))
                self._wake_at = math.inf
            close_old_connections()
            try:
                deliver_due(budget_seconds=IN_PROCESS_RETRY_LIMIT)
            except Exception:  # an outage or a bug: the next failure schedules another wake-up
                logger.exception("Webhook retries could not run")
            finally:
                connections.close_all()


_retries = _RetryScheduler()


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


def deliver_due(limit=500, budget_seconds=50):
    """
    Attempt the deliveries that are due, oldest first, for at most `budget_seconds` (cron runs
    `manage.py deliver_webhooks` every minute: one run ends before the next starts).
    """
    deadline = time.monotonic() + budget_seconds
    due = WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at")
    attempted = []
    for pk in due.values_list("pk", flat=True)[:limit]:
        if time.monotonic() > deadline:
            break
        try:
            result = deliver(pk)
        except Exception:  # one broken delivery must not stop the others
            logger.exception("Webhook delivery %s could not be attempted", pk)
            continue
        if result is not None:
            attempted.append(result)
    return attempted


def retry(delivery):
    """
    An operator asks for another attempt now (the admin's "Retry" button). A delivery that has
    been delivered is never sent again: returns False and changes nothing.
    """
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=WebhookDelivery.Status.DELIVERED)
        .update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
    )
    if updated:
        transaction.on_commit(lambda: dispatch([delivery.pk]))
    return bool(updated)
