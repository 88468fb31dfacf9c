"""
Health checks for load balancers and orchestrators, answered before any other middleware:
no host check, no HTTPS redirect, no session, never cached.

- /healthz — the process is alive (no I/O).
- /readyz — the database answers (503 otherwise) and whether the cache does. A cache that does
  not answer is reported ("status": "degraded") but keeps the server in rotation: every server
  shares the same Redis, and pulling them all out would turn a slower site into no site.
"""

import json
import logging
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger("cms.health")


def answer(payload, status=200):
    return HttpResponse(
        json.dumps(payload),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


def database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone() == (1,)


def cache_answers():
    key, value = "health:probe", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    return cache.get(key) == value


CHECKS = {"database": database_answers, "cache": cache_answers}


def readiness():
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = "ok" if check() else "failing"
        except Exception as error:  # any failure of a dependency means "not ready", never a 500
            # One line: a load balancer polls this every few seconds through a whole outage.
            logger.warning(
                "Readiness check %s failed (%s): %s", name, type(error).__name__, str(error).strip()[:200]
            )
            results[name] = "failing"
    if results["database"] != "ok":
        return answer({"status": "unavailable", **results}, 503)
    return answer({"status": "ok" if results["cache"] == "ok" else "degraded", **results})


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return answer({"status": "ok"})
        if request.path == "/readyz":
            return readiness()
        return self.get_response(request)
