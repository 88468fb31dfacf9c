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

logger = logging.getLogger("cms.availability")

RETRY_AFTER_SECONDS = 5
# PostgreSQL errors that are OperationalError but say nothing about the server being gone.
NOT_AN_OUTAGE = {"57014"}  # statement timeout: the query was too slow, the server is fine
MESSAGE = "The service is temporarily unavailable. Try again in a few seconds."
MESSAGE_VI = "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau vài giây."


def database_unavailable(error):
    """True for errors that mean the database cannot be reached (or dropped the connection)."""
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    return getattr(error.__cause__, "pgcode", None) not in NOT_AN_OUTAGE


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
