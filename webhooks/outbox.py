"""
Rows written in a change's transaction and sent once it commits: what publish webhooks
(webhooks.delivery) and CDN purges (webhooks.purging) share.

A row is written in the editor's transaction, so it exists exactly when the change was committed;
once the transaction commits, it is handed to a small pool of background threads (one pool per
kind of row), so a receiver that is slow or down never slows down or fails the editor's save. A
failed attempt is retried after WEBHOOK_RETRY_DELAYS (in this process while the wait is short;
otherwise, and after a restart, by `manage.py deliver_webhooks`, run every minute). Several app
servers may try the same row: an attempt first claims it with a conditional UPDATE, so only one of
them sends it, and records its result only if it still holds that claim.
"""

import logging
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.db import OperationalError, close_old_connections, connections, transaction
from django.utils import timezone

from . import app_settings

logger = logging.getLogger("webhooks")

# An attempt in progress holds its row this long. A webhook lasts about WEBHOOK_TIMEOUT per socket
# operation (connect, send, read): webhooks.W002 warns when that could outlive the claim.
CLAIM_SECONDS = 120
IN_PROCESS_RETRY_LIMIT = 600  # longer waits are left to `manage.py deliver_webhooks`


def retry_delay(failures):
    """Seconds before the attempt after `failures` failed ones in a row; None: failed for good."""
    delays = app_settings.WEBHOOK_RETRY_DELAYS
    return delays[failures - 1] if failures <= len(delays) else None


class Outbox:
    """
    The rows of `model` (a `status` field with `PENDING` and `next_attempt_at`), sent by
    `attempt(row)`: a subclass sends the row once, sets the fields of `recorded_fields` on it and
    answers the seconds until the row's next attempt (None when nothing more is due).
    """

    model = None
    name = ""  # in thread names and log lines
    done_status = ""  # a row in this state is never sent again (the admin's retry refuses it)
    recorded_fields = ()

    def __init__(self):
        self._executor = None
        self._executor_pid = None
        self._executor_lock = threading.Lock()
        self._retries = _RetryScheduler(self)

    def attempt(self, row):
        raise NotImplementedError

    def dispatch(self, ids):
        """Send these rows: in the background, or right here when WEBHOOK_ASYNC is off (tests)."""
        if not app_settings.WEBHOOK_ASYNC:
            for pk in ids:
                self.deliver(pk)
            return
        executor = self._pool()
        for pk in ids:
            executor.submit(self._deliver_in_thread, pk)

    def dispatch_on_commit(self, ids):
        transaction.on_commit(lambda: self.dispatch(ids))

    def _pool(self):
        """One pool per process (gunicorn forks workers after loading the app: threads do not survive)."""
        with self._executor_lock:
            if self._executor is None or self._executor_pid != os.getpid():
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix=self.name)
                self._executor_pid = os.getpid()
            return self._executor

    def _deliver_in_thread(self, pk):
        close_old_connections()
        try:
            self.deliver(pk)
        except Exception:  # a bug or a database outage must not kill the pool's thread silently
            logger.exception("%s %s could not be attempted", self.name, pk)
        finally:
            connections.close_all()  # this thread's connections would otherwise linger

    def deliver(self, pk):
        """One attempt at row `pk`, if it is due and nobody else is attempting it."""
        now = timezone.now()
        # The claim is also the attempt's token: its result is recorded only if the row still holds
        # this exact value (a claim that outlived CLAIM_SECONDS and was taken over records nothing).
        claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
        pending = self.model.Status.PENDING
        claimed = update(
            self.model.objects.filter(pk=pk, status=pending, next_attempt_at__lte=now),
            next_attempt_at=claimed_until,
        )
        if not claimed:
            return None
        row = when_unlocked(lambda: self.model.objects.get(pk=pk))
        wait = self.attempt(row)
        recorded = update(
            self.model.objects.filter(pk=pk, status=pending, next_attempt_at=claimed_until),
            **{field: getattr(row, field) for field in self.recorded_fields},
        )
        if not recorded:
            logger.warning("%s %s: attempt outlived its claim; its result is not recorded", self.name, row)
            return None
        if wait is not None and app_settings.WEBHOOK_ASYNC and wait <= IN_PROCESS_RETRY_LIMIT:
            self._retries.wake_at(time.monotonic() + wait)
        return row

    def deliver_due(self, limit=500, budget_seconds=50):
        """
        Attempt the rows that are due, oldest first, for at most `budget_seconds` (cron runs
        `manage.py deliver_webhooks` every minute: one run ends before the next starts).
        """
        deadline = time.monotonic() + budget_seconds
        due = self.model.objects.filter(
            status=self.model.Status.PENDING, next_attempt_at__lte=timezone.now()
        ).order_by("next_attempt_at")
        attempted = []
        for pk in due.values_list("pk", flat=True)[:limit]:
            if time.monotonic() > deadline:
                break
            try:
                result = self.deliver(pk)
            except Exception:  # one broken row must not stop the others
                logger.exception("%s %s could not be attempted", self.name, pk)
                continue
            if result is not None:
                attempted.append(result)
        return attempted

    def retry(self, row):
        """
        An operator asks for another attempt now (the admin's "Retry" button). A row that has gone
        out for good (`done_status`) is never sent again: returns False and changes nothing.
        """
        updated = (
            self.model.objects.filter(pk=row.pk)
            .exclude(status=self.done_status)
            .update(status=self.model.Status.PENDING, next_attempt_at=timezone.now())
        )
        if updated:
            self.dispatch_on_commit([row.pk])
        return bool(updated)


def when_unlocked(operation, tries=3):
    """
    operation(), again after a moment if SQLite reports its table locked by another thread's write
    (an in-memory database shares its cache between threads: no busy timeout applies).
    """
    for attempt in range(tries):
        try:
            return operation()
        except OperationalError:
            if attempt == tries - 1:
                raise  # a claimed row is attempted again once its claim expires; an unclaimed one by cron
            time.sleep(0.2)
    return None


def update(queryset, **values):
    """queryset.update(), again after a moment if the table is locked (`when_unlocked`)."""
    return when_unlocked(lambda: queryset.update(**values)) or 0


class _RetryScheduler:
    """
    One thread per process and outbox that wakes when the earliest short retry is due and attempts
    whatever is due then (claims keep processes from sending the same row twice). A thousand
    failed rows cost one sleeping thread, not a thousand timers.
    """

    def __init__(self, outbox):
        self._outbox = outbox
        self._condition = threading.Condition()
        self._wake_at = math.inf
        self._thread = None
        self._pid = None

    def wake_at(self, moment):
        with self._condition:
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name=f"{self._outbox.name}-retries", daemon=True
                )
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
                self._outbox.deliver_due(budget_seconds=IN_PROCESS_RETRY_LIMIT)
            except Exception:  # an outage or a bug: the next failure schedules another wake-up
                logger.exception("%s retries could not run", self._outbox.name)
            finally:
                connections.close_all()
