"""
Stored answers: the read model of the public API.

Most of what a frontend asks of a news page — its title, lead, sectors, tags and body blocks —
depends on nothing but the page as published. Building that answer from the database costs a
page object (Wagtail's `Page` has some 30 columns), a parsed StreamField body and a few thousand
field executions per list; reading it back costs one JSON column. So a model declares a `Shape`:
the GraphQL types whose objects are stored, each with every field that takes no arguments and is
not declared as depending on more than the page as published (`graphql_not_stored`, beside where
the field is declared) — derived from the schema, so a new plain field is stored without being
listed anywhere, and a system check (`check_shapes`, newsroom.E001) refuses to start when a
field can be neither stored nor left out by such a declaration.
The answer to that whole selection is stored for each live page (answers.models.StoredAnswer),
computed by the same executor that answers requests (so a stored answer is exactly what
graphql-core would answer), and a request whose selection lies within the shape is answered by
projecting the stored answers onto its selection (aliases, fragments, `@skip`/`@include`
followed by graphql-core's own field collection): one query of rows instead of one per relation,
no page objects, no block parsing.

- **Live objects**: a shape may name types whose objects are loaded again, by the `id` stored
  with them, for the fields it does not store (an image's `rendition` and `srcSet`, which take
  arguments): one query per type for a whole list, and those fields executed by graphql-core.
- **When it is written**: when a live page without a stored answer (or with one of an older
  shape) is first read by a request whose selection lies within the shape (or by
  `manage.py warm_stored_answers`); that request's answer comes from the database as before. A page
  whose body links another page (whose visibility changes on its own schedule), or whose answer
  the shape does not hold whole, is stored as null: answered from the database, known to be.
- **When it is dropped** (`StoredAnswer.objects.affected_by`, as publishing.freshness reports each
  change): the answers of a page and every page below it when it is published, unpublished,
  moved or saved while live (a new slug or place changes the paths below it); a deleted page's
  with it; the answers showing an image or
  document (`StoredAnswer.media`: a main image, image blocks, rich-text images and document
  links) when it is edited or deleted; every answer when a sector, an existing tag, a collection,
  a page's or collection's view restriction (not its groups alone) or a site changes, or a writer
  changes content in bulk. A new image, document, tag or collection, a redirect or a schedule
  drops none.
- **Races**: a change drops answers in its own transaction (for what it reads next) and again
  once it has committed and moved the content version. A request that read a page before the
  change committed could store what it read after that; writers note the content version before
  reading the pages and drop what they wrote if it has moved once their transaction commits, so
  one of the two always sees the other.
- **Shape**: rows carry a fingerprint of the fields stored, the media URLs' settings and
  `STORED_ANSWERS_REVISION` (bumped when code changes how a stored field renders); a row of another
  fingerprint is written again on its next read. `GRAPHQL_STORED_ANSWERS = False` turns reads and
  writes off.
"""

import hashlib
import json
import logging

import orjson
from django.conf import settings
from django.core import checks
from django.db import DatabaseError, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from graphene.utils.str_converters import to_camel_case
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, get_named_type, is_abstract_type, is_leaf_type, is_object_type, parse
from graphql.execution.collect_fields import collect_sub_fields
from graphql.execution.execute import CollectedErrors
from graphql.pyutils import Path

from api.execution import (
    LIVE,
    ExecutionBudgetExceeded,
    Stored,
    completing_stored_answers,
    execution_context_class,
)
from publishing.cache_tags import record
from publishing.freshness import content_version
from publishing.prefetch import body_references, database_id

from . import app_settings
from .models import StoredAnswer, media_token

logger = logging.getLogger(__name__)

# Bump when code changes how a stored field is rendered (rich text, URLs, a resolver): every row
# is then written again on its next read.
STORED_ANSWERS_REVISION = 2  # 2: rich-text images of restricted collections render as nothing
# How many object types deep a stored answer may go (a news page's body, a block, its child
# blocks, a list's items, their blocks).
MAX_DEPTH = 6
# The GraphQL type of Wagtail's images (grapple's).
IMAGE_TYPE = "ImageObjectType"
# Scalars whose values may be JSON objects or lists, which a projection would take for objects.
OBJECT_SCALARS = {"GenericScalar", "JSON", "JSONObject"}


# Every Shape declared: built and checked at start-up (`check_shapes`).
SHAPES = []


def not_stored(object_type):
    """
    {field name: (why, where it is declared)} of the fields of `object_type` declared as not
    stored: `graphql_not_stored` ({python field name: why}) of its graphene type, of the
    interfaces it implements, and of its model (the types grapple builds from `graphql_fields`).
    """
    graphene_type = getattr(object_type, "graphene_type", None)
    if graphene_type is None:
        return {}
    meta = graphene_type._meta
    sources = [graphene_type, *getattr(meta, "interfaces", ()), getattr(meta, "model", None)]
    declared = {}
    for source in sources:
        for name, why in getattr(source, "graphql_not_stored", {}).items():
            declared[to_camel_case(name)] = (why, source)
    return declared


def declared_in(object_type, name):
    """Where a field of `object_type` is declared, to say where to mark it: a model or a class."""
    graphene_type = getattr(object_type, "graphene_type", None)
    if graphene_type is None:
        return None
    meta = graphene_type._meta
    for interface in getattr(meta, "interfaces", ()):
        if name in {to_camel_case(field) for field in interface._meta.fields}:
            return interface
    return getattr(meta, "model", None) or graphene_type


class Refusal:
    """A field of a stored type that cannot be stored, and why."""

    def __init__(self, type_name, name, reason):
        self.type_name, self.name, self.reason = type_name, name, reason

    def __str__(self):
        return f"{self.type_name}.{self.name} cannot be stored: {self.reason}"


class Shape:
    """
    What is stored for a kind of page, starting at the object type `root`: the objects of
    `types` (the root's among them), each with every field that takes no arguments, that no
    `graphql_not_stored` declares as depending on more than the published content (see
    `not_stored`), and whose values can be stored (leaves, or objects of the shape's types). A
    field whose values are objects of an abstract type (a body's blocks) stores those of its
    possible types the shape stores; `kinds` narrows that for a field ({"ImageBlock.blocks":
    [type names]}: a block's own child blocks), which keeps the stored selection as deep as the
    blocks are, not as deep as the schema allows.

    The fields are derived from each schema the shape is used with (`fields(schema)`). A field
    that cannot be stored (its type is not stored, its values are JSON objects, it leads back to
    a type it is in) is left out, so that its lists are answered from the database, and refused
    at start-up by `check_shapes`: it must be marked `graphql_not_stored`, or its type stored.
    """

    def __init__(self, root, types, kinds=None, live=None):
        self.root = root
        self.types = frozenset(types) | {root}
        self.kinds = {tuple(key.split(".", 1)): frozenset(names) for key, names in (kinds or {}).items()}
        # {type name: load(ids) → {id: object}}: objects whose other fields (with arguments,
        # such as an image's renditions) are executed on the object itself, loaded by the `id`
        # stored with them.
        self.live = live or {}
        self._bound = None  # (schema, fields, refusals, selection text)
        self._document = None  # (schema, document, fingerprint)
        SHAPES.append(self)

    def fields(self, schema):
        """{type name: set of the names of its stored fields} in `schema`."""
        return self._bind(schema)[1]

    def refusals(self, schema):
        """The fields of the shape's types that cannot be stored, nor are marked as not stored."""
        return self._bind(schema)[2]

    def _bind(self, schema):
        bound = self._bound
        if bound is None or bound[0] is not schema:
            fields, refusals = self._derive(schema)
            text = "__typename"
            while self.root in fields:  # leave out what the selection cannot hold, until it holds all
                found = []
                text = self._selection(schema, fields, self.root, (), found)
                if not found:
                    break
                for refusal in found:
                    if refusal.name in fields[refusal.type_name]:
                        fields[refusal.type_name].discard(refusal.name)
                        refusals.append(refusal)
            bound = self._bound = (schema, fields, refusals, text)
        return bound

    def _derive(self, schema):
        """Every field of the shape's types that takes no arguments and is not marked not stored."""
        fields, refusals = {}, []
        for type_name in sorted(self.types):
            object_type = schema.get_type(type_name)
            if not is_object_type(object_type):
                refusals.append(Refusal(type_name, "*", "the schema has no object type of that name"))
                continue
            marked = not_stored(object_type)
            stored = fields[type_name] = set()
            for name, field in object_type.fields.items():
                if field.args or name in marked:
                    continue
                named = get_named_type(field.type)
                if is_leaf_type(named) and named.name in OBJECT_SCALARS:
                    # A projection would take its values for objects.
                    refusals.append(Refusal(type_name, name, f"its {named.name} values are JSON objects"))
                    continue
                stored.add(name)
        return fields, refusals

    def stored_types(self, schema, type_name, name, named, fields=None):
        """The object types a field's stored values may have."""
        fields = self.fields(schema) if fields is None else fields
        possible = schema.get_possible_types(named) if is_abstract_type(named) else [named]
        allowed = self.kinds.get((type_name, name), fields.keys())
        kinds = [kind for kind in possible if kind.name in allowed and kind.name in fields]
        return sorted(kinds, key=lambda kind: kind.name)

    def _selection(self, schema, fields, type_name, path, refusals):
        """
        The stored selection of `type_name`, as GraphQL text (`__typename` in every object); the
        fields it cannot hold are added to `refusals`.
        """
        object_type = schema.get_type(type_name)
        parts = ["__typename"]
        for name in sorted(fields[type_name]):
            named = get_named_type(object_type.fields[name].type)
            if is_leaf_type(named):
                parts.append(name)
                continue
            kinds = self.stored_types(schema, type_name, name, named, fields)
            if not kinds:
                possible = schema.get_possible_types(named) if is_abstract_type(named) else [named]
                types = ", ".join(sorted(kind.name for kind in possible))
                refusals.append(Refusal(type_name, name, f"no type of its values ({types}) is stored"))
                continue
            inner = []
            for kind in kinds:
                if kind.name in (*path, type_name):
                    refusals.append(
                        Refusal(type_name, name, f"it leads back to {kind.name}: its answer would never end")
                    )
                elif len(path) >= MAX_DEPTH:
                    refusals.append(Refusal(type_name, name, f"it nests deeper than {MAX_DEPTH} types"))
                else:
                    text = self._selection(schema, fields, kind.name, (*path, type_name), refusals)
                    inner.append(f"... on {kind.name} {{ {text} }}")
            parts.append(f"{name} {{ __typename {' '.join(inner)} }}")
        return " ".join(parts)

    def selection(self, schema):
        """The stored selection of the root type, as GraphQL text."""
        return self._bind(schema)[3]

    def document(self, schema):
        """The operation storing the shape's answer of one item (its field `stored`)."""
        built = self._document
        if built is None or built[0] is not schema:
            text = f"query StoredAnswer {{ stored {{ {self.selection(schema)} }} }}"
            material = "\n".join(
                [
                    text,
                    str(STORED_ANSWERS_REVISION),
                    settings.MEDIA_URL,
                    settings.WAGTAILADMIN_BASE_URL,
                    json.dumps(settings.STORAGES.get("default"), sort_keys=True, default=str),
                ]
            )
            built = self._document = (
                schema,
                parse(text, no_location=True),
                hashlib.sha256(material.encode()).hexdigest(),
            )
        return built[1]

    def fingerprint(self, schema):
        """What every row of this shape carries: a row of another fingerprint is written again."""
        self.document(schema)
        return self._document[2]

    def complete(self, data, fields):
        """Whether a built answer holds every stored field (`fields`) of every object in it."""
        if isinstance(data, list):
            return all(self.complete(item, fields) for item in data)
        if not isinstance(data, dict):
            return True
        expected = fields.get(data.get("__typename"))
        if expected is None or data.keys() != {*expected, "__typename"}:
            return False
        return all(self.complete(value, fields) for value in data.values())

    def covers(self, info, object_type, field_nodes, live):
        """
        Whether every field selected by `field_nodes` on `object_type` is stored, or belongs to a
        live object (whose type is then added to `live`).
        """
        fields = self.fields(info.schema)
        for nodes in collect_sub_fields(
            info.schema, info.fragments, info.variable_values, object_type, field_nodes
        ).values():
            name = nodes[0].name.value
            if name == "__typename":
                continue
            if name not in fields.get(object_type.name, ()) or any(node.arguments for node in nodes):
                if object_type.name not in self.live:
                    return False
                live.add(object_type.name)
                continue
            named = get_named_type(object_type.fields[name].type)
            if is_leaf_type(named):
                continue
            # A type the shape does not store there is in no stored answer: no item holding one is stored.
            for kind in self.stored_types(info.schema, object_type.name, name, named):
                if not self.covers(info, kind, nodes, live):
                    return False
        return True


def qualified(source):
    return f"{source.__module__}.{source.__qualname__}"


def check_shapes(app_configs=None, **kwargs):
    """
    System check (registered by AnswersConfig.ready): every shape builds on the served schema, and
    every field of its types without arguments is either stored or marked as not stored.
    """
    schema = graphene_settings.SCHEMA.graphql_schema
    errors = []
    for shape in SHAPES:
        for refusal in shape.refusals(schema):
            where = declared_in(schema.get_type(refusal.type_name), refusal.name)
            where = qualified(where) if where is not None else refusal.type_name
            errors.append(
                checks.Error(
                    f"{refusal} (stored shape of {shape.root}).",
                    hint=(
                        f"If its answer depends on more than the page as published, or cannot be "
                        f"stored, say why in `graphql_not_stored` of {where} (docs/development.md); "
                        f"else store its type in the shape (`types` of the shape of {shape.root})."
                    ),
                    obj=f"{refusal.type_name}.{refusal.name}",
                    id="newsroom.E001",
                )
            )
        for type_name in sorted(shape.types):
            object_type = schema.get_type(type_name)
            if not is_object_type(object_type):
                continue
            for name, (_why, source) in sorted(not_stored(object_type).items()):
                if name not in object_type.fields:
                    errors.append(
                        checks.Error(
                            f"{type_name}.{name} is marked not stored, but {type_name} has no such field.",
                            hint=f"Remove it from `graphql_not_stored` of {qualified(source)}.",
                            obj=f"{type_name}.{name}",
                            id="newsroom.E002",
                        )
                    )
    return errors


def enabled():
    """On unless turned off, or media URLs expire (signed S3 URLs): a stored one would outlive it."""
    media = settings.STORAGES.get("default", {}).get("OPTIONS", {})
    return app_settings.GRAPHQL_STORED_ANSWERS and not media.get("querystring_auth")


def stored_answers_cover(shape, info, *path):
    """
    Whether the items below the field being resolved (after following `path`, e.g. "items") can
    be answered from stored answers — their whole selection lies within `shape`, or on its live
    objects: None if not, else the set of live object types the selection needs.
    """
    if not enabled() or not completing_stored_answers():
        return None
    nodes, parent = list(info.field_nodes), get_named_type(info.return_type)
    for name in path:
        collected = collect_sub_fields(info.schema, info.fragments, info.variable_values, parent, nodes)
        nodes = [node for group in collected.values() for node in group if node.name.value == name]
        if not nodes:
            return set()  # not selected: nothing to answer
        parent = get_named_type(parent.fields[name].type)
    live = set()
    return live if shape.covers(info, info.schema.get_type(shape.root), nodes, live) else None


def objects_of(data, type_names):
    """The objects of `type_names` in a stored answer: {type name: [dicts]}."""
    found = {name: [] for name in type_names}

    def walk(value):
        if type(value) is list:
            for item in value:
                walk(item)
        elif type(value) is dict:
            if value["__typename"] in found:
                found[value["__typename"]].append(value)
            for child in value.values():
                walk(child)

    walk(data)
    return found


def attach_live(shape, answers, live):
    """
    Give the objects of the `live` types in `answers` ({page id: data}) their live objects, one
    load per type; return the ids of the pages some of whose objects are gone (to answer afresh).
    """
    by_page = {pk: objects_of(data, live) for pk, data in answers.items()}
    loaded = {}
    for name in live:
        ids = {obj["id"] for found in by_page.values() for obj in found[name]}
        loaded[name] = shape.live[name](ids) if ids else {}
    lost = set()
    for pk, found in by_page.items():
        for name, objects in found.items():
            for obj in objects:
                obj[LIVE] = loaded[name].get(database_id(obj["id"]))
                if obj[LIVE] is None:
                    lost.add(pk)
    return lost


def stored_items(shape, queryset, info, fetch, fetch_all, live=()):
    """
    The items of `queryset` (already filtered, ordered and sliced): a `Stored` answer for each
    page that has one of the current shape (its objects of the `live` types given their live
    objects); the page itself for the others — fetched as the request's selection asks
    (`fetch(ids)` → {id: page}) when it is known to be answered from the database, else with every
    stored field (`fetch_all`) and its answer stored. One query when every page has its answer,
    and one per live type.
    """
    current = shape.fingerprint(info.schema)
    rows, media = [], []
    for pk, fingerprint, text, shown in stored_rows(queryset):
        rows.append((pk, fingerprint, orjson.loads(text) if text is not None else None))
        if fingerprint == current and shown:
            media.append(shown)
    # The answer's cache tags: the images and documents stored answers show in rich text too, whose
    # HTML names no object (the objects they hold are recorded as they are projected).
    record(*(token.strip().replace(":", "-") for shown in media for token in shown.split()))
    lost = set()
    if live:
        answers = {pk: data for pk, fingerprint, data in rows if fingerprint == current and data is not None}
        lost = attach_live(shape, answers, live)
    rows = [(row[0], None, None) if row[0] in lost else row for row in rows]
    missing = [pk for pk, fingerprint, _data in rows if fingerprint != current]
    plain = [pk for pk, fingerprint, data in rows if fingerprint == current and data is None]
    fetched = fetch(plain) if plain else {}
    if missing:
        version = content_version()
        built = fetch_all(missing)
        store(shape, [built[pk] for pk in missing if pk in built], info, version)
        fetched.update(built)
    items = []
    for pk, fingerprint, data in rows:
        if fingerprint == current and data is not None:
            record(f"page-{pk}")
            items.append(Stored(data))
        elif pk in fetched:
            items.append(fetched[pk])
    return items


def media_of(data, references):
    """
    The images and documents an answer shows — its images (a main image, image blocks) and what
    its bodies refer to (rich-text images and document links) — as StoredAnswer.media holds them.
    """
    if data is None:
        return ""
    shown = objects_of(data, {IMAGE_TYPE})[IMAGE_TYPE]
    images = {database_id(obj["id"]) for obj in shown} | {database_id(pk) for pk in references["image"]}
    documents = {database_id(pk) for pk in references["document"]}
    return "".join(
        [media_token("image", pk) for pk in sorted(images - {None})]
        + [media_token("document", pk) for pk in sorted(documents - {None})]
    )


def stored_rows(queryset):
    """
    (id, fingerprint, answer as JSON text, media) of the pages of `queryset`, in its order. The answers
    are read as text and decoded by orjson: Django's JSONField decodes with `json`, 4-5 times
    slower, the largest part of a list answered from stored answers. A first page joins them in
    the list's own query; a later one takes its window of ids first, so that PostgreSQL does not
    join (and read) the answers of every page it skips.
    """
    answer = ("stored_answer__shape", Cast("stored_answer__data", TextField()), "stored_answer__media")
    if not queryset.query.low_mark:
        return list(queryset.values_list("pk", *answer))
    ids = list(queryset.values_list("pk", flat=True))
    found = {
        pk: (fingerprint, text, media)
        for pk, fingerprint, text, media in StoredAnswer.objects.filter(page_id__in=ids).values_list(
            "page_id", "shape", Cast("data", TextField()), "media"
        )
    }
    return [(pk, *found.get(pk, (None, None, None))) for pk in ids]


def build(shape, pages, info):
    """
    {page id: its stored answer, or None when the shape does not hold it whole} for `pages`;
    a page whose answer has an error is left out (to be tried again: the error may pass).
    """
    context = execution_context_class().build(
        info.schema,
        shape.document(info.schema),
        context_value=info.context,
        is_awaitable=lambda value: False,
    )
    if isinstance(context, list):  # a document the schema rejects: a mistake in a shape
        raise GraphQLError(f"The stored shape of {shape.root} does not build: {context[0].message}")
    root_type = info.schema.get_type(shape.root)
    [node] = context.operation.selection_set.selections
    fields = context.collect_subfields(root_type, [node])
    stored_fields = shape.fields(info.schema)
    answers = {}
    for page in pages:
        # An error where the type allows a null is collected by graphql-core, not raised.
        context.collected_errors = CollectedErrors()
        try:
            data = context.execute_fields(root_type, page, Path(None, "stored", None), fields)
        except ExecutionBudgetExceeded:
            raise  # the request is over: nothing more is built
        except GraphQLError:
            continue
        if not context.collected_errors.errors:
            answers[page.pk] = data if shape.complete(data, stored_fields) else None
    return answers


def store(shape, pages, info, version):
    """
    Store the answers of `pages` (checked once the request commits); a page whose body links
    another page, or whose answer the shape does not hold whole, is stored as null (answered from
    the database).
    """
    references = {page.pk: body_references(page) for page in pages}
    linking = [page for page in pages if references[page.pk]["page"]]
    answers = build(shape, [page for page in pages if page not in linking], info)
    answers.update((page.pk, None) for page in linking)
    if not answers:
        return
    media = {pk: media_of(data, references[pk]) for pk, data in answers.items()}

    # In id order: requests storing overlapping lists lock their rows in the same order.
    rows = [
        StoredAnswer(page_id=pk, shape=shape.fingerprint(info.schema), data=answers[pk], media=media[pk])
        for pk in sorted(answers)
    ]
    try:
        with transaction.atomic():  # a savepoint inside the request's transaction, if any
            StoredAnswer.objects.bulk_create(
                rows, update_conflicts=True, unique_fields=["page"], update_fields=["shape", "data", "media"]
            )
    except DatabaseError:  # the answer is still given; the rows are written by a later read
        logger.warning("Stored answers not written (pages %s)", sorted(answers), exc_info=True)
        return

    def verify():
        if content_version() != version:  # the content changed while these pages were read
            StoredAnswer.objects.filter(page_id__in=answers).delete()

    transaction.on_commit(verify)
