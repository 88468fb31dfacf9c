"""
What readers and editors get while the database is unreachable (a restart, a fail-over): a clean
503 with Retry-After instead of a 500 and a traceback, JSON for API clients. Nothing is lost: the
request that failed changed nothing, and the next one connects again by itself (persistent
connections are health-checked at the start of each request, settings.DATABASES).
"""

import json
import logging
import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse
from django.views.defaults import server_error as django_server_error

logger = logging.getLogger("publishing.availability")

RETRY_AFTER_SECONDS = 5
# PostgreSQL SQLSTATEs of a server that is gone or going: connection exceptions (class 08) and
# shutdowns. Other OperationalErrors (deadlock 40P01, lock timeout 55P03, statement timeout 57014,
# ...) are errors of one request, with a server that is fine: they stay 500s, with a traceback.
OUTAGE_STATES = ("08", "57P01", "57P02", "57P03")
MESSAGE = "The service is temporarily unavailable. Try again in a few seconds."
MESSAGE_VI = "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau vài giây."


def database_unavailable(error):
    """True for errors that mean the database cannot be reached (or dropped the connection)."""
    if isinstance(error, InterfaceError):  # the connection is closed or broken
        return True
    if not isinstance(error, OperationalError):
        return False
    # No SQLSTATE: refused or dropped connections (psycopg2), a locked or missing SQLite file.
    pgcode = getattr(error.__cause__, "pgcode", None)
    return pgcode is None or pgcode.startswith(OUTAGE_STATES)


def wants_json(request):
    return request.path.startswith("/graphql/") or "application/json" in request.headers.get("Accept", "")


def unavailable_response(request):
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    if wants_json(request):
        body = {"errors": [{"message": MESSAGE, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
        return HttpResponse(json.dumps(body), status=503, content_type="application/json", headers=headers)
    html = (
        '<!doctype html><html lang="vi"><meta charset="utf-8"><title>503</title>'
        f"<h1>503</h1><p>{MESSAGE_VI}</p><p>{MESSAGE}</p></html>"
    )
    return HttpResponse(html, status=503, content_type="text/html; charset=utf-8", headers=headers)


def server_error(request, template_name="500.html"):
    """handler500: Django calls it inside the `except` that caught the error, so it can look."""
    error = sys.exc_info()[1]
    if database_unavailable(error):
        return unavailable_response(request)
    if request.path.startswith("/graphql/"):
        body = {"errors": [{"message": "Internal server error.", "extensions": {"code": "INTERNAL"}}]}
        return HttpResponse(json.dumps(body), status=500, content_type="application/json")
    return django_server_error(request, template_name)
