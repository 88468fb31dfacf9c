"""
Replays the hostile-request corpus (testing/hostile_requests.json) against the endpoint
under production GraphQL settings and prints how long each answer took. A tool, not a test:

    .venv/bin/python bench/hostile.py            # in-process, on a scratch SQLite database

Every request should be answered with its expected status in well under a second.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
scratch = tempfile.mkdtemp(prefix="newsroom-hostile-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/db.sqlite3")
os.environ.setdefault("MEDIA_ROOT", f"{scratch}/media")
os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from testing.hostile import CORPUS, PRODUCTION, build, send  # noqa: E402


def main():
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", stdout=open(os.devnull, "w"))
    client = Client()
    rows = []
    with override_settings(**PRODUCTION):
        for entry in CORPUS:
            request = build(entry)
            started = time.perf_counter()
            response = send(client, *request)
            elapsed = (time.perf_counter() - started) * 1000
            rows.append((elapsed, response.status_code, entry["expect"], entry["name"]))
    width = max(len(row[3]) for row in rows)
    for elapsed, status, expected, name in sorted(rows, reverse=True):
        flag = "" if status == expected else f"  (expected {expected})"
        print(f"{name:<{width}}  {status}  {elapsed:7.1f} ms{flag}")
    times = [row[0] for row in rows]
    print(
        f"\n{len(rows)} requests on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}: "
        f"median {statistics.median(times):.1f} ms, max {max(times):.1f} ms, "
        f"{sum(row[1] >= 500 for row in rows)} answered 5xx, "
        f"{sum(row[1] != row[2] for row in rows)} with an unexpected status"
    )


if __name__ == "__main__":
    main()
