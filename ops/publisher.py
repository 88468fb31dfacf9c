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
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.production")
    import django

    django.setup()
    from django.db import close_old_connections

    from news.models import NewsPage

    rng = random.Random(args.seed)
    page_ids = []
    attempt = 0
    emit(event="ready", t=time.time())
    deadline = time.monotonic() + args.duration
    next_at = time.monotonic()
    while time.monotonic() < deadline:
        started, clock = time.time(), time.monotonic()
        attempt += 1
        marker = f"[lt {attempt}]"
        page_id = revision_id = url_path = None
        stage = "read"
        try:
            close_old_connections()
            if not page_ids:
                newest = NewsPage.objects.live().order_by("-date", "-pk")
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
        next_at += args.interval
        time.sleep(max(0.0, min(next_at, deadline) - time.monotonic()))
    emit(event="done", t=time.time())


if __name__ == "__main__":
    main()
