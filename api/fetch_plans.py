"""
Which fields a query selects, and what that asks of the database.

A model declares, next to its `graphql_fields`, what a list of it should fetch up front for each
field a query may select (`graphql_prefetches`: field name → a `prefetch_related` lookup, a
callable returning one, or `SharedTargets` for a many-to-many relation whose targets repeat).
`FetchPlan` reads the query's selection and applies only what is asked
for: the relations selected, and the StreamField bodies (with everything they refer to,
publishing.prefetch) only when a body is selected. A list of 100 pages then costs the same
number of queries as a list of 1.

Fields that need the database for each page they are asked on (`related`, `previous`, `next`)
answer for every page fetched together at once: pages completed together form a `Batch`, and the
first page asked computes the answer for all of them (`once_per_batch`).
"""

from django.db.models import prefetch_related_objects
from graphene.utils.str_converters import to_camel_case
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode
from wagtail.fields import StreamField

from publishing.prefetch import prefetch_bodies
from publishing.relations import SharedTargets


def _fields(selection_set, fragments, seen):
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments, seen | {selection.name.value})


def selected_fields(info, *path):
    """
    Names of the fields selected below the field being resolved, after following `path`
    (e.g. ("items",) for a paginated list), through fragments and inline fragments of every type.
    """
    nodes = list(info.field_nodes)
    for name in path:
        nodes = [
            field
            for node in nodes
            for field in _fields(node.selection_set, info.fragments, frozenset())
            if field.name.value == name
        ]
    return {
        field.name.value
        for node in nodes
        for field in _fields(node.selection_set, info.fragments, frozenset())
    }


class Batch:
    """
    Pages fetched together (a list's items, a page's children, one page): a field asked on one of
    them is computed for all of them at once, so a list of 100 costs what a list of 1 does.
    `drafts` is true for a preview's draft, whose fields are the draft's, not the stored row's.
    """

    def __init__(self, pages, drafts=False):
        self.pages, self.drafts = list(pages), drafts
        self.positions = {id(page): position for position, page in enumerate(self.pages)}
        self.answers = {}
        for page in self.pages:
            page.__dict__["_graphql_batch"] = self

    def answer(self, key, compute):
        """`compute(batch)`'s answers (one per page, in order), computed once per `key`."""
        if key not in self.answers:
            self.answers[key] = compute(self)
        return self.answers[key]


def once_per_batch(page, key, compute):
    """
    `page`'s answer among those `compute(batch)` gives for every page of its batch, computed once
    per batch and `key` (the field, its arguments and its selection). A page fetched alone is a
    batch of one.
    """
    batch = page.__dict__.get("_graphql_batch") or Batch([page])
    return batch.answer(key, compute)[batch.positions[id(page)]]


class FetchPlan:
    """What to fetch for pages of `model` when a query selects `fields` (GraphQL names)."""

    def __init__(self, model, fields):
        # A field that reads others (`graphql_field_needs`) needs them fetched too.
        needs = getattr(model, "graphql_field_needs", {})
        fields = set(fields) | {
            to_camel_case(other)
            for name, others in needs.items()
            if to_camel_case(name) in fields
            for other in others
        }
        self.model, self.fields = model, fields
        declared = getattr(model, "graphql_prefetches", {})
        selected = [lookup for name, lookup in declared.items() if to_camel_case(name) in fields]
        self.shared = [lookup for lookup in selected if isinstance(lookup, SharedTargets)]
        self.relations = [
            lookup() if callable(lookup) else lookup
            for lookup in selected
            if not isinstance(lookup, SharedTargets)
        ]
        streamfields = [field for field in model._meta.get_fields() if isinstance(field, StreamField)]
        self.bodies = any(to_camel_case(field.name) in fields for field in streamfields)

    @property
    def nothing(self):
        """True when the query selects no field of the items at all (totals only)."""
        return not self.fields

    def queryset(self, queryset):
        """`queryset` fetching what the selection needs and no more."""
        if not self.bodies:
            queryset = queryset.defer_streamfields()
        return queryset.prefetch_related(*self.relations)

    def is_to_many(self, lookup):
        name = getattr(lookup, "prefetch_through", lookup).split("__")[0]
        field = self.model._meta.get_field(name)
        return field.many_to_many or field.one_to_many

    def complete(self, pages, relations=True):
        """
        For pages already loaded: what their bodies refer to, one query per kind — and, unless
        `relations` is false, their selected relations. (A preview keeps the relations it was
        built with: the draft's sectors, not the live page's.)
        """
        pages = [page for page in pages if page is not None]
        if relations:
            saved = [page for page in pages if isinstance(page, self.model) and page.pk is not None]
            for shared in self.shared:
                shared.prefetch(self.model, saved)
            # Relations to many only: a foreign key costs one query whether it is fetched now or
            # when it is read.
            to_many = [lookup for lookup in self.relations if self.is_to_many(lookup)]
            if to_many:
                prefetch_related_objects(saved, *to_many)
        if self.bodies:
            prefetch_bodies(pages)
        Batch(pages, drafts=not relations)
        return pages


def fetch_plan(model, info, *path):
    return FetchPlan(model, selected_fields(info, *path))
