"""
Which fields a query selects, and what that asks of the database.

A model declares, next to its `graphql_fields`, what a list of it should fetch up front for each
field a query may select (`graphql_prefetches`: field name → a `prefetch_related` lookup, or a
callable returning one). `FetchPlan` reads the query's selection and applies only what is asked
for: the relations selected, and the StreamField bodies (with everything they refer to,
publishing.prefetch) only when a body is selected. A list of 100 pages then costs the same
number of queries as a list of 1.
"""

from django.db.models import prefetch_related_objects
from graphene.utils.str_converters import to_camel_case
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode
from wagtail.fields import StreamField

from publishing.prefetch import prefetch_bodies


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


class FetchPlan:
    """What to fetch for pages of `model` when a query selects `fields` (GraphQL names)."""

    def __init__(self, model, fields):
        self.model, self.fields = model, fields
        declared = getattr(model, "graphql_prefetches", {})
        self.relations = [
            lookup() if callable(lookup) else lookup
            for name, lookup in declared.items()
            if to_camel_case(name) in fields
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
        # Relations to many (sectors, tags) only: a foreign key costs one query whether it is
        # fetched now or when it is read.
        to_many = [lookup for lookup in self.relations if self.is_to_many(lookup)] if relations else []
        if to_many:
            saved = [page for page in pages if isinstance(page, self.model) and page.pk is not None]
            prefetch_related_objects(saved, *to_many)
        if self.bodies:
            prefetch_bodies(pages)
        return pages


def fetch_plan(model, info, *path):
    return FetchPlan(model, selected_fields(info, *path))
