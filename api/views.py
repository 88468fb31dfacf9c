"""
The GraphQL endpoint: one view doing transport, limits, execution and error handling itself,
rather than graphene-django's GraphQLView, which accepts form bodies, replaces the standard
validation rules when given its own, and sends exception text to clients.

- POST takes `application/json` only; GET takes queries only (a mutation over GET is a 405).
- The document is parsed with a token cap, then validated with graphql-core's standard rules
  plus our limits (api.limits) before anything runs.
- Errors the API means to show (bad arguments, invalid tokens) keep their message; anything else
  is logged with a request id and, when GRAPHQL_MASK_ERRORS is on, reaches the client only as
  "Internal server error" with that id.
- Responses are compact UTF-8 JSON (graphene-django escapes Vietnamese as \\uXXXX).
"""

import hashlib
import json
import logging
import re
import time
import uuid

import orjson
from django.db import transaction
from django.db.utils import DatabaseError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, OperationType
from graphql.execution.values import get_variable_values
from graphql.utilities import get_operation_ast

from publishing import cache_tags
from publishing.availability import database_unavailable, unavailable_response
from publishing.http import shared_cache_headers

from . import app_settings
from . import cache as response_cache
from .document import prepare
from .execution import ExecutionBudgetExceeded, run_operation
from .limits import check_limits

logger = logging.getLogger("api")

QUERY_CANCELED = "57014"  # PostgreSQL: statement timeout
TRANSACTION_ABORTED = "25P02"  # PostgreSQL: any statement after the one that failed


class PersistedQueryNotFound(Exception):
    """Apollo clients answer this by sending the document with its hash."""


class DatabaseUnavailable(Exception):
    """A resolver lost the database: the whole answer is a 503, not data with holes."""


class RequestError(Exception):
    def __init__(self, status, message, **headers):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers


def encode(payload):
    """The answer as compact UTF-8 JSON (orjson: about five times faster on a list of 50)."""
    try:
        return orjson.dumps(payload)
    except TypeError:  # what orjson refuses (an integer over 64 bits, a lone surrogate): escaped JSON
        return json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()


def json_response(payload, status=200, **headers):
    response = HttpResponse(
        payload if isinstance(payload, bytes) else encode(payload),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def error_payload(*messages):
    return {"errors": [{"message": message} for message in messages]}


INVALID_TEXT = re.compile("[\x00\ud800-\udfff]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
INVALID_TEXT_MESSAGE = "`{where}` holds text that is not valid Unicode, or a NUL character."


def holds_invalid_text(value):
    """Whether any string in a decoded JSON value (keys included) holds a NUL or a lone surrogate."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if INVALID_TEXT.search(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLEndpoint(View):
    """Frontends POST JSON from other origins with no session cookie: CSRF does not apply."""

    def dispatch(self, request, *args, **kwargs):
        try:
            if request.method == "OPTIONS":
                return HttpResponse(status=204, headers={"Allow": "GET, POST, OPTIONS"})
            if request.method not in ("GET", "POST"):
                raise RequestError(405, "GraphQL takes GET and POST requests only.", Allow="GET, POST")
            if request.method == "GET" and self.shows_graphiql(request):
                return render(request, "graphene/graphiql.html", self.graphiql_context())
            payload = self.read_payload(request)
            if isinstance(payload, list):
                return self.run_batch(request, payload)
            return self.respond(request, payload)
        except RequestError as error:
            return json_response(error_payload(error.message), error.status, **error.headers)
        except DatabaseUnavailable:
            return unavailable_response(request)
        except DatabaseError as error:
            if not database_unavailable(error):
                raise
            # One line per request, not a traceback: an outage would flood the log otherwise.
            logger.warning("Database unavailable (%s): %s", type(error).__name__, str(error).strip()[:200])
            return unavailable_response(request)
        except PersistedQueryNotFound:
            return json_response(
                {
                    "errors": [
                        {
                            "message": "PersistedQueryNotFound",
                            "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
                        }
                    ]
                }
            )

    # Transport

    def shows_graphiql(self, request):
        if not app_settings.GRAPHIQL_ENABLED or "query" in request.GET or "raw" in request.GET:
            return False
        accept = request.headers.get("Accept", "")
        return "text/html" in accept

    def graphiql_context(self):
        return {
            "subscription_path": None,
            "graphiql_header_editor_enabled": graphene_settings.GRAPHIQL_HEADER_EDITOR_ENABLED,
            "graphiql_should_persist_headers": graphene_settings.GRAPHIQL_SHOULD_PERSIST_HEADERS,
            "graphiql_input_value_deprecation": graphene_settings.GRAPHIQL_INPUT_VALUE_DEPRECATION,
        }

    def read_payload(self, request):
        if request.method == "GET":
            return {
                key: request.GET.get(key) for key in ("query", "variables", "operationName", "extensions")
            }
        content_type = request.content_type or ""
        if content_type != "application/json":
            raise RequestError(415, "POST bodies must be JSON, with Content-Type: application/json.")
        limit = app_settings.GRAPHQL_MAX_BODY_BYTES
        try:
            declared = int(request.headers.get("Content-Length") or 0)
        except ValueError as error:
            raise RequestError(400, "Invalid Content-Length header.") from error
        if declared > limit:
            raise RequestError(413, f"Request body too large: at most {limit} bytes.")
        body = request.read(limit + 1)
        if len(body) > limit:
            raise RequestError(413, f"Request body too large: at most {limit} bytes.")
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise RequestError(400, "The request body is not valid JSON.") from error
        if isinstance(payload, list):
            if not app_settings.GRAPHQL_MAX_BATCH:
                raise RequestError(400, "Batched requests are not accepted: send one operation per request.")
            if not payload or len(payload) > app_settings.GRAPHQL_MAX_BATCH:
                raise RequestError(400, f"A batch holds 1 to {app_settings.GRAPHQL_MAX_BATCH} operations.")
        elif not isinstance(payload, dict):
            raise RequestError(400, "The request body must be a JSON object with a `query`.")
        return payload

    def run_batch(self, request, payloads):
        results = []
        for payload in payloads:
            try:
                params = self.params(request, payload if isinstance(payload, dict) else {})
                query, variables, operation_name = params
                body, _status = self.run(request, prepare(query), query, variables, operation_name)
            except RequestError as error:
                body = error_payload(error.message)
            results.append(body)
        return json_response(results, **{"Cache-Control": "private, no-store"})

    def respond(self, request, payload):
        """Answer one operation, from the response cache when the request allows it."""
        query, variables, operation_name = self.params(request, payload)
        prepared = prepare(query)
        if not response_cache.cacheable(request, prepared):
            encoded, status, _complete = self.answer(request, prepared, query, variables, operation_name)
            return json_response(encoded, status, **{"Cache-Control": "private, no-store"})

        def compute():
            started, tags = time.time(), set()
            encoded, status, complete = self.answer(request, prepared, query, variables, operation_name, tags)
            etag = '"' + hashlib.sha256(encoded).hexdigest()[:32] + '"'
            # Only complete answers are kept, and only up to a size: a huge answer is cheaper to
            # compute again than to hold (and to ship to Redis) for every reader.
            keep = complete and status == 200
            keep = keep and len(encoded) <= app_settings.GRAPHQL_RESPONSE_CACHE_MAX_BYTES
            tags = sorted(tags)
            versions = cache_tags.versions_for(tags, started)
            return {"body": encoded, "status": status, "etag": etag, "tags": tags, "versions": versions}, keep

        key = response_cache.cache_key(request, prepared, variables, operation_name)
        entry, hit = response_cache.fetch_or_compute(key, compute)
        response = HttpResponse(
            entry["body"], status=entry["status"], content_type="application/json; charset=utf-8"
        )
        response["X-Cache"] = "HIT" if hit else "MISS"
        if entry["status"] != 200:
            return response
        if entry["versions"] is None:
            # Computed across a purge of something it shows: right for this reader, not to be kept.
            response["Cache-Control"] = "private, no-store"
            return response
        shared_cache_headers(response, entry["tags"])
        if request.method == "GET":
            response["ETag"] = entry["etag"]
            if entry["etag"] in request.headers.get("If-None-Match", ""):
                response.status_code, response.content = 304, b""
        return response

    # GraphQL

    def answer(self, request, prepared, query, variables, operation_name, tags=None):
        """
        (encoded answer, status, whether it holds no errors) of one operation; a clear error
        instead of an answer larger than GRAPHQL_MAX_RESPONSE_BYTES, which the cost meter bounds
        only roughly (a field's size is the content's: a title may be 10 bytes or 300).
        """
        body, status = self.run(request, prepared, query, variables, operation_name, tags)
        encoded = encode(body)
        limit = app_settings.GRAPHQL_MAX_RESPONSE_BYTES
        if len(encoded) <= limit:
            return encoded, status, "errors" not in body
        logger.warning("GraphQL answer of %d bytes refused: %s", len(encoded), " ".join(query.split())[:300])
        message = f"The answer is too large (over {limit // 1024} KB): ask for fewer items or fields."
        return (
            encode({"errors": [{"message": message, "extensions": {"code": "RESPONSE_TOO_LARGE"}}]}),
            400,
            False,
        )

    def params(self, request, payload):
        query, variables, operation_name = (payload.get(k) for k in ("query", "variables", "operationName"))
        # JSON may carry escapes Python keeps but no text encoding can (a lone "\ud800"), and NUL
        # characters, which PostgreSQL refuses in any string: refused here, once, for every field.
        if isinstance(query, str) and LONE_SURROGATE.search(query):
            raise RequestError(400, INVALID_TEXT_MESSAGE.format(where="query"))
        if isinstance(operation_name, str) and INVALID_TEXT.search(operation_name):
            raise RequestError(400, INVALID_TEXT_MESSAGE.format(where="operationName"))
        query = self.persisted(request, payload, query)
        if not isinstance(query, str) or not query.strip():
            raise RequestError(400, "Give the GraphQL document as a string in `query`.")
        if len(query.encode()) > app_settings.GRAPHQL_MAX_BODY_BYTES:
            raise RequestError(413, "Query too large.")
        if isinstance(variables, str) and request.method == "GET":
            try:
                variables = json.loads(variables) if variables else None
            except (ValueError, RecursionError) as error:
                raise RequestError(400, "`variables` is not valid JSON.") from error
        if variables is not None and not isinstance(variables, dict):
            raise RequestError(400, "`variables` must be a JSON object.")
        if variables and holds_invalid_text(variables):
            raise RequestError(400, INVALID_TEXT_MESSAGE.format(where="variables"))
        if operation_name is not None and not isinstance(operation_name, str):
            raise RequestError(400, "`operationName` must be a string.")
        return query, variables or {}, operation_name or None

    def persisted(self, request, payload, query):
        """Apollo's automatic persisted queries: a sha256 stands for a document sent once before."""
        extensions = payload.get("extensions")
        if isinstance(extensions, str) and request.method == "GET":
            try:
                extensions = json.loads(extensions)
            except (ValueError, RecursionError) as error:
                raise RequestError(400, "`extensions` is not valid JSON.") from error
        persisted = extensions.get("persistedQuery") if isinstance(extensions, dict) else None
        if persisted is None:
            return query
        sha256 = persisted.get("sha256Hash") if isinstance(persisted, dict) else None
        if not isinstance(sha256, str) or not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise RequestError(400, "`persistedQuery.sha256Hash` must be a sha256 in hexadecimal.")
        if query is None:
            query = response_cache.persisted_query(sha256)
            if query is None:
                raise PersistedQueryNotFound
            return query
        if not isinstance(query, str) or hashlib.sha256(query.encode()).hexdigest() != sha256:
            raise RequestError(400, "provided sha does not match query")
        # Kept for a month in the shared cache: only documents a client could really run.
        if len(query.encode()) <= app_settings.GRAPHQL_PERSISTED_QUERY_MAX_BYTES and prepare(query).valid:
            response_cache.remember_persisted_query(sha256, query)
        return query

    def run(self, request, prepared, query, variables, operation_name, tags=None):
        """(answer, status) of one operation of a prepared document; its cache tags added to `tags`."""
        schema = graphene_settings.SCHEMA.graphql_schema
        document, errors = prepared.document, prepared.errors
        if errors:
            return {"errors": [self.format_error(error, request) for error in errors]}, 400
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation and operation.operation != OperationType.QUERY:
            raise RequestError(405, "Only queries may be sent with GET; use POST.", Allow="POST")
        if operation is not None:  # else execution reports the missing or ambiguous operation
            # The limits are measured on the variables as execution will see them: coerced by
            # graphql-core itself ({"n": 100.0} is 100), with the operation's defaults.
            definitions = operation.variable_definitions or ()
            hide_suggestions = not app_settings.GRAPHQL_FIELD_SUGGESTIONS
            coerced = get_variable_values(schema, definitions, variables, 20, hide_suggestions)
            if isinstance(coerced, list):
                errors = coerced
            else:
                errors = check_limits(schema, document, operation, coerced)
            if errors:
                return {"errors": [self.format_error(error, request) for error in errors]}, 400
        try:
            result = run_operation(
                schema,
                document,
                request,
                variables,
                operation_name,
                budget=app_settings.GRAPHQL_EXECUTION_BUDGET_SECONDS,
                statement_timeout_ms=app_settings.GRAPHQL_STATEMENT_TIMEOUT_MS,
                tags=tags,
            )
        except ExecutionBudgetExceeded as stopped:
            seconds = app_settings.GRAPHQL_EXECUTION_BUDGET_SECONDS
            logger.warning("GraphQL execution stopped after %s s: %s", seconds, " ".join(query.split())[:300])
            return {"errors": [stopped.formatted]}, 400
        if any(database_unavailable(error.original_error) for error in result.errors or ()):
            raise DatabaseUnavailable
        body = {}
        if result.errors:
            body["errors"] = [self.format_error(error, request) for error in result.errors]
        if result.data is None and result.errors:
            return body, 400
        body["data"] = result.data
        return body, 200

    def format_error(self, error, request):
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            return error.formatted
        pgcode = getattr(original.__cause__, "pgcode", None) if isinstance(original, DatabaseError) else None
        if pgcode == QUERY_CANCELED:
            return {"message": "The query took too long and was stopped.", "path": error.path}
        if pgcode == TRANSACTION_ABORTED:
            return {"message": "Not resolved: the query was stopped.", "path": error.path}
        request_id = uuid.uuid4().hex[:12]
        logger.error(
            "GraphQL resolver error %s at %s",
            request_id,
            error.path,
            exc_info=(type(original), original, original.__traceback__),
        )
        if not app_settings.GRAPHQL_MASK_ERRORS:
            return error.formatted
        return {"message": f"Internal server error (request id {request_id}).", "path": error.path}


# Reads only: no request-wide transaction (run_operation opens its own for the statement timeout).
graphql_view = transaction.non_atomic_requests(GraphQLEndpoint.as_view())
