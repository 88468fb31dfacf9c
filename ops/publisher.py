"""
An editor publishing during a load test: every --interval seconds, edits the lead (`intro`) of
one of the --pages newest news pages (the most read, so their answers are in the response cache)
with a new marker, saves a revision and publishes it, through the ORM with the app's own settings
(the environment of ops/loadtest/), as the admin's publish button does. Prints one JSON line
per attempt on stdout:

    {"t": 1764300000.12, "ok": true, "page": 42, "url_path": "/home/tin-tuc/...", "marker": "[lt 3]",
     "revision": 17, "ms": 85.1}
    {"t": 1764300003.12, "ok": false, "page": 42, ..., "revision": 18, "stage": "publish",
     "error": "django.db.utils.OperationalError: ...", "ms": 3.2}

`revision` is known once the revision row was written (stage "publish" failed after that), so the
driver can check afterwards that every acknowledged revision exists and which failed attempts left
one behind anyway. Like a request, each attempt starts and ends with close_old_connections(), so
a connection the database dropped is replaced by the next attempt.

Every --unpublish-every seconds (0: never) it also unpublishes one of --watch Vietnamese news pages
just older than those it edits (the "watched" pages, which the readers ask for by slug: ops/queries.py's
WATCHED_QUERY), and publishes it again --hidden-for seconds later (those still hidden when the run
ends are published again then). Each is one line with the time its transaction committed — taken
by the first callback the commit runs, before the purges the change sends —:

    {"kind": "unpublish", "t": 1764300005.01, "committed": 1764300005.09, "ok": true, "page": 57,
     "slug": "...", "ms": 80.2}
    {"kind": "republish", "t": 1764300035.01, "committed": 1764300035.11, "ok": true, ...}

The first line says which pages are watched: {"event": "ready", "watched": [{"page": 57, "slug": "..."}]}.
"""

import argparse
import contextlib
import json
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKER = re.compile(r" \[lt \d+\]$")


def emit(**fields):
    print(json.dumps(fields, ensure_ascii=False), flush=True)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between two publishes")
    parser.add_argument("--duration", type=float, required=True, help="stop after this many seconds")
    parser.add_argument("--pages", type=int, default=20, help="publish among this many newest pages")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--unpublish-every", type=float, default=0, help="seconds between two unpublishes (0: none)"
    )
    parser.add_argument("--hidden-for", type=float, default=30, help="seconds an unpublished page stays so")
    parser.add_argument("--watch", type=int, default=4, help="pages unpublished in turn")
    parser.add_argument(
        "--linger", type=float, default=2, help="seconds to stay after the last change (its purges' threads)"
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    import django

    django.setup()
    from django.db import close_old_connections, transaction

    from news.models import NewsPage

    rng = random.Random(args.seed)
    newest = NewsPage.objects.live().order_by("-date", "-pk")
    page_ids = list(newest.values_list("pk", flat=True)[: args.pages])
    watched = []
    if args.unpublish_every > 0:
        older = newest.filter(locale__language_code="vi").exclude(pk__in=page_ids)
        watched = [{"page": pk, "slug": slug} for pk, slug in older.values_list("pk", "slug")[: args.watch]]
    emit(event="ready", t=time.time(), watched=watched)

    def publish(attempt):
        nonlocal page_ids
        started, clock = time.time(), time.monotonic()
        marker = f"[lt {attempt}]"
        page_id = revision_id = url_path = None
        stage = "read"
        try:
            close_old_connections()
            if not page_ids:
                page_ids = list(newest.values_list("pk", flat=True)[: args.pages])
            page_id = rng.choice(page_ids)
            page = NewsPage.objects.get(pk=page_id)
            url_path = page.url_path
            page.intro = MARKER.sub("", page.intro) + " " + marker
            stage = "save_revision"
            revision = page.save_revision(log_action=True)
            revision_id = revision.pk
            stage = "publish"
            revision.publish()
            emit(
                t=started,
                ok=True,
                page=page_id,
                url_path=url_path,
                marker=marker,
                revision=revision_id,
                ms=round((time.monotonic() - clock) * 1000, 1),
            )
        except Exception as error:  # every failure is a result to report
            emit(
                t=started,
                ok=False,
                page=page_id,
                url_path=url_path,
                marker=marker,
                revision=revision_id,
                stage=stage,
                error=f"{type(error).__module__}.{type(error).__name__}: {str(error).strip()[:200]}",
                ms=round((time.monotonic() - clock) * 1000, 1),
            )
        finally:
            with contextlib.suppress(Exception):
                close_old_connections()

    def change_visibility(kind, item):
        """Unpublish or publish again a watched page, noting when its transaction committed."""
        started, clock, committed = time.time(), time.monotonic(), {}
        try:
            close_old_connections()
            page = NewsPage.objects.get(pk=item["page"])
            with transaction.atomic():
                # Registered first, so run first: the commit's time, before any purge goes out.
                transaction.on_commit(lambda: committed.setdefault("at", time.time()))
                if kind == "unpublish":
                    page.unpublish(log_action=True)
                else:
                    page.save_revision(log_action=True).publish()
            emit(kind=kind, t=started, committed=committed.get("at"), ok=True, **item, ms=elapsed(clock))
            return True
        except Exception as error:  # every failure is a result to report
            message = f"{type(error).__module__}.{type(error).__name__}: {str(error).strip()[:200]}"
            emit(kind=kind, t=started, ok=False, **item, error=message, ms=elapsed(clock))
            return False
        finally:
            with contextlib.suppress(Exception):
                close_old_connections()

    # What is due when, on the monotonic clock: the next publish, the next unpublish, and the
    # republish of each hidden page.
    start = time.monotonic()
    deadline = start + args.duration
    next_publish, attempt = start, 0
    next_unpublish = start + args.unpublish_every / 2 if watched else float("inf")
    hidden = {}  # index in watched → when it is published again
    turn = 0
    while True:
        due = min(next_publish, next_unpublish, *hidden.values())
        if due >= deadline:
            break
        time.sleep(max(0.0, due - time.monotonic()))
        for index, at in sorted(hidden.items(), key=lambda item: item[1]):
            if at <= due and change_visibility("republish", watched[index]):
                del hidden[index]
            elif at <= due:
                hidden[index] = at + 1  # failed: try again in a second
        if next_unpublish <= due:
            next_unpublish += args.unpublish_every
            free = [index for index in range(len(watched)) if index not in hidden]
            if free:
                index = free[turn % len(free)]
                turn += 1
                if change_visibility("unpublish", watched[index]):
                    hidden[index] = time.monotonic() + args.hidden_for
        if next_publish <= due:
            attempt += 1
            publish(attempt)
            next_publish += args.interval
    # Pages still hidden are published again, so the site ends as it began (tries bounded).
    for index in list(hidden):
        for _ in range(5):
            if change_visibility("republish", watched[index]):
                break
            time.sleep(1)
    time.sleep(args.linger)
    emit(event="done", t=time.time())


def elapsed(clock):
    return round((time.monotonic() - clock) * 1000, 1)


if __name__ == "__main__":
    main()
