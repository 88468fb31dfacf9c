"""
How operations run: one entry point, with a budget, and with plain fields resolved without
graphql-core's per-field machinery. docs/read-path.md draws every path a query can take.

**One entry point.** `run_operation` runs every operation — the endpoint's (api.views),
`manage.py warm_stored_answers`'s, the tests' — within the request's scope (publishing.scope), on the
executor GRAPHQL_LEAN_EXECUTION selects, with the execution budget and, on PostgreSQL, the
statement timeout. Nothing else calls graphql-core's `execute`, so no caller pairs an executor
with the flags it needs by hand.

**The budget.** A request stops resolving once it has run for GRAPHQL_EXECUTION_BUDGET_SECONDS
and answers one clean error instead of data. The cost meter (api.limits) refuses
expensive queries before they run; this is the defence behind it, so a mistake in the meter, or
content far larger than the meter's typical sizes, costs a few seconds of one thread, not a
minute. graphql-core resolves every object's fields through `execute_fields`; checking the clock
there costs one comparison per object. PostgreSQL's statement timeout does not help here: each
statement is fast, there are just many.

**Stored answers.** An item given as `Stored` (answers.stored) is graphql-core's own answer
to a selection containing the request's: the executor projects it onto the request's selection,
fields collected as graphql-core collects them, and executes the fields it does not hold on the
live objects stored beside it. Only our executors do: resolvers give `Stored` items only while
`run_operation` runs (`completing_stored_answers`).

These two are `CoreExecutionContext`: graphql-core's execution otherwise untouched. With
GRAPHQL_LEAN_EXECUTION=false every operation runs on it.

**Plain fields** (`LeanExecutionContext`, GRAPHQL_LEAN_EXECUTION on, the default). Most fields of
an answer are leaves read straight off their object: a title, a slug, a block's id. graphql-core
executes each one like any other field — it builds a `GraphQLResolveInfo`, reads its arguments,
calls the resolver, and completes the value through its type checks — about 3,000 times for a
list of 50 news pages. For a leaf field without arguments whose resolver reads only its object
(`reads_only_its_object`, below), `execute_fields` reads and serializes the value itself. Anything unusual
— a null where the type forbids one, a value the scalar must convert, an exception — goes through
graphql-core's own path, so errors, paths and null propagation are exactly graphql-core's
(api/tests/test_execution.py compares both on a corpus of queries; CI runs the GraphQL tests
again with the lean executor off).

**graphql-core's internals.** Both executors override or call methods graphql-core documents as
internal. Each is named in RELIES_ON with a fingerprint of its source: start-up (ApiConfig.ready)
fails naming the ones an upgrade changed, instead of our executors silently running over code we
have not read. Only those in use are checked: on such an upgrade, GRAPHQL_LEAN_EXECUTION=false
starts on everything the lean executor alone relies on.
"""

import hashlib
import inspect
import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

import graphql
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest
from graphene.types.resolver import dict_or_attr_resolver
from graphql import (
    ExecutionContext,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLInt,
    GraphQLString,
    Undefined,
    execute,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
    is_list_type,
    is_non_null_type,
)
from graphql.execution.collect_fields import collect_sub_fields
from graphql.execution.execute import CollectedErrors
from graphql.pyutils import Path

from publishing.cache_tags import family_of_model, record, record_object, recorded
from publishing.prefetch import database_id
from publishing.scope import request_scope

from . import app_settings

# What our executors rely on in graphql-core 3.2.14 (and graphene 3.4.3), with the first 12 hex
# digits of the sha256 of its source. "core": CoreExecutionContext and answers.stored, always
# in use; "lean": what LeanExecutionContext overrides, calls or does the work of.
RELIES_ON = {
    "core": {
        # Overridden: the budget's clock, then graphql-core's own.
        "ExecutionContext.execute_fields": "a8caa6721470",
        # Overridden: `Stored` items are projected, anything else completed by graphql-core.
        "ExecutionContext.complete_value": "d5c824cacf1f",
        # Called: fields a stored answer does not hold, on its live objects.
        "ExecutionContext.execute_field": "249c0f575f30",
        "ExecutionContext.collect_subfields": "483eeb64eae9",
        # answers.stored: whether a selection lies within a shape; building stored answers
        # (a context built for the shape's document, its fields executed on each page, the
        # errors it collected read back).
        "collect_sub_fields": "a7621bc2581e",
        "ExecutionContext.build": "4bbcc4f7b5f3",
        "ExecutionContext.handle_field_error": "01781013e387",
        "CollectedErrors": "0d1cf3947397",
    },
    "lean": {
        "ExecutionContext.__init__": "f0165b456fa2",
        "ExecutionContext.build_resolve_info": "60e2e8c33512",
        # What `complete_plain` and `runtime_type` do for plain fields, as these do.
        "ExecutionContext.complete_list_value": "a6becd1eca69",
        "ExecutionContext.complete_leaf_value": "f71b0d57ca5a",
        "ExecutionContext.complete_abstract_value": "dc46c71c12cb",
        "ExecutionContext.ensure_valid_runtime_type": "4a3dba116744",
        "ExecutionContext.complete_object_value": "fc76342515a7",
        # graphene's default resolver, whose attribute `plain_getter` reads itself.
        "dict_or_attr_resolver": "6317963af168",
    },
}
_RELIED_ON = {
    "ExecutionContext": ExecutionContext,
    "CollectedErrors": CollectedErrors,
    "collect_sub_fields": collect_sub_fields,
    "dict_or_attr_resolver": dict_or_attr_resolver,
}


def relied_on(name):
    """The object RELIES_ON names ("ExecutionContext.execute_fields")."""
    owner, _, attribute = name.partition(".")
    found = _RELIED_ON[owner]
    return getattr(found, attribute) if attribute else found


def fingerprint(function):
    function = getattr(function, "__func__", function)
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:12]


def check_graphql_core(lean=None):
    """
    Fail (ImproperlyConfigured) if graphql-core or graphene changed what our executors rely on:
    the "core" group always, the "lean" group when the lean executor is on (`lean`, by default
    GRAPHQL_LEAN_EXECUTION). Called once at start-up, from ApiConfig.ready.
    """
    lean = app_settings.GRAPHQL_LEAN_EXECUTION if lean is None else lean
    groups = ["core", "lean"] if lean else ["core"]
    expected = {name: digest for group in groups for name, digest in RELIES_ON[group].items()}
    now = {name: fingerprint(relied_on(name)) for name in expected}
    changed = [name for name in expected if now[name] != expected[name]]
    if changed:
        listed = ", ".join(f"{name} (now {now[name]})" for name in changed)
        lean_only = not any(name in RELIES_ON["core"] for name in changed)
        raise ImproperlyConfigured(
            f"graphql-core {graphql.__version__} (or graphene) changed what api/execution.py "
            f"relies on, written for graphql-core 3.2.14: {listed}. Read the new code, adapt the "
            "executor, then update its fingerprint in RELIES_ON."
            + (" Meanwhile GRAPHQL_LEAN_EXECUTION=false starts (without the lean executor)." * lean_only)
        )


_deadline = ContextVar("graphql_execution_deadline", default=None)
# True while `run_operation` runs an operation: resolvers may then give `Stored` items, which only
# our executors complete (graphql-core's own execution, e.g. graphene's `schema.execute`, gets
# objects as always).
_completing_stored_answers = ContextVar("graphql_projecting", default=False)


def completing_stored_answers():
    """Whether the operation being executed completes `Stored` items (answers.stored)."""
    return _completing_stored_answers.get()


class ExecutionBudgetExceeded(GraphQLError):
    MESSAGE = "The query took too long and was stopped: ask for fewer items or fields."

    def __init__(self):
        super().__init__(self.MESSAGE, extensions={"code": "EXECUTION_BUDGET_EXCEEDED"})


class Budget:
    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds
        self.exceeded = False


@contextmanager
def execution_budget(seconds):
    """
    Within this block, execution stops after `seconds` (None: never); `budget.exceeded` tells if
    it did.
    """
    budget = Budget(seconds) if seconds is not None else None
    token = _deadline.set(budget)
    try:
        yield budget
    finally:
        _deadline.reset(token)


def check_the_budget():
    budget = _deadline.get()
    if budget is not None and time.monotonic() >= budget.deadline:
        budget.exceeded = True
        raise ExecutionBudgetExceeded


def never_awaitable(value):
    """Every resolver here is synchronous: spare graphql-core its awaitable check per field."""
    return False


def execution_context_class():
    """The executor GRAPHQL_LEAN_EXECUTION selects."""
    return LeanExecutionContext if app_settings.GRAPHQL_LEAN_EXECUTION else CoreExecutionContext


def run_operation(
    schema,
    document,
    request,
    variables=None,
    operation_name=None,
    *,
    budget=None,
    statement_timeout_ms=None,
    tags=None,
):
    """
    graphql-core's ExecutionResult of one operation of `document` (parsed; the endpoint has
    validated what a client sent) for `request`: how every operation runs. Within the request's
    scope (publishing.scope), on the executor GRAPHQL_LEAN_EXECUTION selects, resolvers allowed
    to give `Stored` items; stopped after `budget` seconds (None: never), and then
    ExecutionBudgetExceeded is raised instead of a result; on PostgreSQL, every statement stopped
    after `statement_timeout_ms` (None or 0: not). `tags`, a set, gets the cache tags of what the
    answer shows (publishing.cache_tags).

    `completing_stored_answers` is set here, around the operation, not by the execution context itself: an
    override of `execute_operation` made the first request after a change (which computes what is
    remembered) measurably slower, for no reason we could find.
    """
    options = {
        "context_value": request,
        "variable_values": variables or {},
        "operation_name": operation_name,
        "is_awaitable": never_awaitable,
        "execution_context_class": execution_context_class(),
        "hide_suggestions": not app_settings.GRAPHQL_FIELD_SUGGESTIONS,
    }
    with request_scope(request), execution_budget(budget) as spent:
        token = _completing_stored_answers.set(True)
        try:
            result = _execute(schema, document, statement_timeout_ms, options)
        finally:
            _completing_stored_answers.reset(token)
        if tags is not None:
            tags.update(recorded())
    if spent is not None and spent.exceeded:
        raise ExecutionBudgetExceeded
    return result


class SiteRequest(HttpRequest):
    """
    A request made in the process for one of our sites (`manage.py warm_stored_answers`), not sent by
    any client: an anonymous POST to /graphql/ whose host and port are the site's. Its host is
    trusted — ALLOWED_HOSTS guards against what clients claim, and nothing here is claimed — so
    any site's host name is answered, whatever the process serves.
    """

    def __init__(self, site):
        super().__init__()
        self.method = "POST"
        self.path = self.path_info = "/graphql/"
        self.META.update(
            {"HTTP_HOST": site.hostname, "SERVER_NAME": site.hostname, "SERVER_PORT": str(site.port)}
        )

    def get_host(self):
        return self._get_raw_host()


def _execute(schema, document, statement_timeout_ms, options):
    if connection.vendor != "postgresql" or not statement_timeout_ms:
        return execute(schema, document, **options)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [int(statement_timeout_ms)])
        result = execute(schema, document, **options)
        if any(isinstance(error.original_error, DatabaseError) for error in result.errors or ()):
            transaction.set_rollback(True)  # the transaction is unusable; end it cleanly
        return result


@contextmanager
def outside_the_budget():
    """
    Time spent in this block does not count: making an image rendition the first time it is
    asked for (tens of milliseconds per image). That work is bounded — each image is rendered at
    most once per allowed filter, ever — while the first list after an upload may need many.
    """
    budget = _deadline.get()
    started = time.monotonic()
    try:
        yield
    finally:
        if budget is not None:
            budget.deadline += time.monotonic() - started


def reads_only_its_object(resolver):
    """Mark a resolver that reads only its object (no `info`, no arguments): see `plain_getter`."""
    resolver.reads_only_its_object = True
    return resolver


# Third-party resolvers that read only their object, by identity (api.grapple_overrides
# fingerprints the grapple ones).
OBJECT_ONLY_RESOLVERS = set()


def plain_getter(resolver):
    """A function of the object alone giving what `resolver` would, or None if there is none."""
    if isinstance(resolver, partial) and resolver.func is dict_or_attr_resolver and not resolver.keywords:
        attname, default = resolver.args

        def attribute(source):
            if isinstance(source, dict):
                return source.get(attname, default)
            return getattr(source, attname, default)

        return attribute
    if getattr(resolver, "reads_only_its_object", False) or resolver in OBJECT_ONLY_RESOLVERS:
        return lambda source: resolver(source, None)
    return None


# Values these scalars send as they are; anything else goes through the scalar's serialize.
AS_IS = {GraphQLString: str, GraphQLBoolean: bool}


class _Slow(Exception):
    """The value needs graphql-core's own path (a null for a non-null type, an error)."""


def leaf_reader(field):
    """For a leaf field without arguments and a plain resolver: object → serialized value."""
    non_null = is_non_null_type(field.type)
    scalar = field.type.of_type if non_null else field.type
    if field.args or not is_leaf_type(scalar) or field.resolve is None:
        return None
    getter = plain_getter(field.resolve)
    if getter is None:
        return None
    as_is = AS_IS.get(scalar)
    serialize = scalar.serialize

    def read(source):
        value = getter(source)
        if value is None:
            if non_null:
                raise _Slow
            return None
        if type(value) is as_is:
            return value
        if scalar is GraphQLInt and type(value) is int and -(2**31) <= value < 2**31:
            return value
        if scalar is GraphQLID and type(value) is int:
            return str(value)
        return serialize(value)

    return read


_readers = {}


def leaf_readers(parent_type):
    """{field name: reader} of a type's plain leaf fields, built once per type."""
    readers = _readers.get(parent_type)
    if readers is None:
        readers = {}
        for name, field in parent_type.fields.items():
            reader = leaf_reader(field)
            if reader is not None:
                readers[name] = reader
        _readers[parent_type] = readers
    return readers


def composite_getter(field):
    """For a field without arguments whose value is an object or a list of them, read by a plain
    resolver: the function of its object giving that value; else None."""
    named = field.type
    while hasattr(named, "of_type"):
        named = named.of_type
    if field.args or is_leaf_type(named) or field.resolve is None:
        return None
    return plain_getter(field.resolve)


_composites = {}


def composite_getters(parent_type):
    getters = _composites.get(parent_type)
    if getters is None:
        getters = {}
        for name, field in parent_type.fields.items():
            getter = composite_getter(field)
            if getter is not None:
                getters[name] = (getter, field)
        _composites[parent_type] = getters
    return getters


# The key under which a stored object carries its live object, for the fields not stored.
LIVE = "__live__"


class Stored:
    """
    An item answered from its stored answer (answers.stored): graphql-core's answer to a
    selection containing the request's, which the executor projects onto the request's selection.
    An object in it may carry its live object (under LIVE) for the fields it does not store.
    """

    __slots__ = ("data",)

    def __init__(self, data):
        self.data = data


_composite_names = {}


def composite_names(object_type):
    """Names of the fields of `object_type` whose values are objects (or lists of them)."""
    names = _composite_names.get(object_type)
    if names is None:
        names = _composite_names[object_type] = frozenset(
            name for name, field in object_type.fields.items() if not is_leaf_type(get_named_type(field.type))
        )
    return names


_type_families = {}


def type_family(object_type):
    """The cache-tag family (publishing.cache_tags) of a type's model objects (`page`), or None."""
    try:
        return _type_families[object_type]
    except KeyError:
        graphene_type = getattr(object_type, "graphene_type", None)
        model = getattr(getattr(graphene_type, "_meta", None), "model", None)
        family = _type_families[object_type] = family_of_model(model) if model is not None else None
        return family


class CoreExecutionContext(ExecutionContext):
    """
    graphql-core's execution, with the two things every operation here needs: the budget's clock
    checked for each object, and `Stored` items projected (answers.stored). Anything else is
    graphql-core's own code. GRAPHQL_LEAN_EXECUTION=false runs every operation on it.
    """

    def execute_fields(self, parent_type, source_value, path, fields):
        check_the_budget()
        record_object(source_value)  # the answer's cache tags: every object it shows
        return super().execute_fields(parent_type, source_value, path, fields)

    def complete_value(self, return_type, field_nodes, info, path, result):
        if type(result) is Stored:
            return self.project(result.data, field_nodes, path)
        return super().complete_value(return_type, field_nodes, info, path, result)

    def project(self, data, field_nodes, path):
        """
        A stored answer (which holds `__typename` in every object) cut to the selection of
        `field_nodes`: fields collected as graphql-core collects them, under their aliases. A
        field an object does not store (one with arguments, such as an image's `rendition`) is
        executed by graphql-core on the object's live object.
        """
        if type(data) is list:
            return [
                None if item is None else self.project(item, field_nodes, path.add_key(index))
                for index, item in enumerate(data)
            ]
        runtime_type = self.schema.type_map[data["__typename"]]
        family = type_family(runtime_type)
        if family is not None and data.get("id") is not None:
            record(f"{family}-{database_id(data['id'])}")  # the answer's cache tags, as live objects give
        composite = composite_names(runtime_type)
        projected = {}
        for response_name, nodes in self.collect_subfields(runtime_type, field_nodes).items():
            name = nodes[0].name.value
            if name == "__typename":
                projected[response_name] = runtime_type.name
            elif name in data and not nodes[0].arguments:
                value = data[name]
                if name in composite and value is not None:
                    value = self.project(value, nodes, path.add_key(response_name))
                projected[response_name] = value  # a leaf, or a list of them, as stored
            else:
                field_path = path.add_key(response_name, runtime_type.name)
                result = self.execute_field(runtime_type, data[LIVE], nodes, field_path)
                if result is not Undefined:
                    projected[response_name] = result
        return projected


class LeanExecutionContext(CoreExecutionContext):
    """
    CoreExecutionContext, with plain fields taken on a shorter path: leaves read and
    serialized in place, objects and lists of objects completed without a resolver call or a
    `GraphQLResolveInfo` per item. Whatever that path cannot complete exactly as graphql-core
    would (a null where the type forbids one, a value of an unexpected type, an error) is done
    again by graphql-core's own path; resolvers only read, so doing it again changes nothing, and
    graphql-core records no error twice for one position.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._runtime_types = {}

    def execute_fields(self, parent_type, source_value, path, fields):
        check_the_budget()
        record_object(source_value)
        readers = leaf_readers(parent_type)
        composites = composite_getters(parent_type)
        results = {}
        for response_name, field_nodes in fields.items():
            node = field_nodes[0]
            name = node.name.value
            if not node.arguments:
                reader = readers.get(name)
                if reader is not None:
                    try:
                        results[response_name] = reader(source_value)
                        continue
                    except Exception:  # noqa: S110 (graphql-core's path below reports it)
                        pass
                composite = composites.get(name)
                if composite is not None:
                    getter, field = composite
                    field_path = Path(path, response_name, parent_type.name)
                    try:
                        results[response_name] = self.complete_plain(
                            field.type, field_nodes, field, parent_type, field_path, getter(source_value)
                        )
                        continue
                    except Exception:  # noqa: S110 (graphql-core's path below reports it)
                        pass
            result = self.execute_field(
                parent_type, source_value, field_nodes, Path(path, response_name, parent_type.name)
            )
            if result is not Undefined:
                results[response_name] = result
        return results

    def complete_plain(self, return_type, field_nodes, field, parent_type, path, result):
        """complete_value for synchronous results, raising _Slow where graphql-core must decide."""
        if type(result) is Stored:
            return self.project(result.data, field_nodes, path)
        if is_non_null_type(return_type):
            if result is None:
                raise _Slow
            return_type = return_type.of_type
        elif result is None:
            return None
        if is_list_type(return_type):
            if isinstance(result, str | bytes | dict) or not hasattr(result, "__iter__"):
                raise _Slow
            item_type = return_type.of_type
            return [
                self.complete_plain(
                    item_type, field_nodes, field, parent_type, path.add_key(index, None), item
                )
                for index, item in enumerate(result)
            ]
        if is_leaf_type(return_type):
            return return_type.serialize(result)
        runtime_type = self.runtime_type(return_type, result, field_nodes, field, parent_type, path)
        return self.execute_fields(
            runtime_type, result, path, self.collect_subfields(runtime_type, field_nodes)
        )

    def runtime_type(self, return_type, result, field_nodes, field, parent_type, path):
        """The object type of `result`, as graphql-core would find and check it, once per class."""
        block = getattr(result, "block", None)
        key = (return_type, type(result), type(block) if block is not None else None)
        runtime_type = self._runtime_types.get(key)
        if runtime_type is not None:
            return runtime_type
        info = self.build_resolve_info(field, field_nodes, parent_type, path)
        runtime_type = return_type
        if is_abstract_type(return_type):
            resolve_type = return_type.resolve_type or self.type_resolver
            runtime_type = self.ensure_valid_runtime_type(
                resolve_type(result, info, return_type), return_type, field_nodes, info, result
            )
        if runtime_type.is_type_of is not None and runtime_type.is_type_of(result, info) is not True:
            raise _Slow
        self._runtime_types[key] = runtime_type
        return runtime_type
