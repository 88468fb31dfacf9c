"""
Limits on what one GraphQL document may ask for, checked before anything is executed.

One pass over the document measures each operation: its depth, its aliases and directives, and
its cost — the number of fields it may resolve, with each list field multiplying its selection
by the number of items it may return (`perPage`, `limit`, or an estimate). Fragments are measured
once each and the result reused wherever they are spread, so the pass is linear in the size of the
document: undefined fragments count as empty, a cycle counts as empty on its way back (the
standard NoFragmentCyclesRule reports it), and a chain of fragments that each spread the previous
twice doubles its measured cost at every step instead of taking longer to measure.
"""

from dataclasses import dataclass

from django.conf import settings
from graphql import GraphQLError
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    VariableNode,
)
from graphql.validation import ValidationRule

INTROSPECTION_ROOTS = {"__schema", "__type"}

# How many items a list field may return: a number, or the name of the argument that says so
# and the default when it is absent.
LIST_SIZES = {
    "newsPages": ("perPage", "NEWS_PAGE_SIZE"),
    "children": ("limit", 10),
    "sectors": 20,
    "tags": 10,
    "ancestors": 6,
    "body": 40,
    "figures": 10,
}


@dataclass(frozen=True)
class Measure:
    depth: int = 0
    cost: int = 0
    aliases: int = 0
    directives: int = 0

    def __add__(self, other):
        return Measure(
            max(self.depth, other.depth),
            self.cost + other.cost,
            self.aliases + other.aliases,
            self.directives + other.directives,
        )


class DocumentMeter:
    def __init__(self, document, variables=None):
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.variables = variables or {}
        self.measured = {}
        self.visiting = set()

    def list_size(self, field):
        size = LIST_SIZES.get(field.name.value, 1)
        if isinstance(size, int):
            return size
        argument_name, default = size
        default = getattr(settings, default) if isinstance(default, str) else default
        for argument in field.arguments or ():
            if argument.name.value == argument_name:
                value = argument.value
                if isinstance(value, VariableNode):
                    value = self.variables.get(value.name.value)
                elif isinstance(value, IntValueNode):
                    value = int(value.value)
                return value if isinstance(value, int) and value > 0 else default
        return default

    def selection_set(self, selection_set):
        total = Measure()
        for selection in selection_set.selections if selection_set else ():
            total += self.selection(selection)
        return total

    def selection(self, node):
        directives = len(node.directives or ())
        if isinstance(node, FieldNode):
            inner = self.selection_set(node.selection_set)
            size = self.list_size(node)
            return Measure(
                depth=inner.depth + 1,
                cost=1 + size * inner.cost,
                aliases=inner.aliases + (1 if node.alias else 0),
                directives=inner.directives + directives,
            )
        if isinstance(node, InlineFragmentNode):
            return self.selection_set(node.selection_set) + Measure(directives=directives)
        if isinstance(node, FragmentSpreadNode):
            return self.fragment(node.name.value) + Measure(directives=directives)
        return Measure()

    def fragment(self, name):
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return Measure()  # undefined or cyclic: other rules report it
        self.visiting.add(name)
        measure = self.selection_set(definition.selection_set)
        measure += Measure(directives=len(definition.directives or ()))
        self.visiting.discard(name)
        self.measured[name] = measure
        return measure

    def operation(self, operation):
        """(measure of the operation, measure of its introspection part) — kept apart."""
        ordinary, introspection = Measure(), Measure()
        for selection in operation.selection_set.selections:
            measure = self.selection(selection)
            if isinstance(selection, FieldNode) and selection.name.value in INTROSPECTION_ROOTS:
                introspection += measure
            else:
                ordinary += measure
        return ordinary + Measure(directives=len(operation.directives or ())), introspection


def check_limits(document, variables):
    """The GraphQL errors for every GRAPHQL_MAX_* limit the document goes over (none if it fits)."""
    meter = DocumentMeter(document, variables)
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    errors = []
    if len(operations) > settings.GRAPHQL_MAX_OPERATIONS:
        limit = settings.GRAPHQL_MAX_OPERATIONS
        errors.append(f"Too many operations in one document: {len(operations)} (at most {limit}).")
    for operation in operations:
        measure, introspection = meter.operation(operation)
        name = f" '{operation.name.value}'" if operation.name else ""
        for what, value, limit in [
            ("depth", measure.depth, settings.GRAPHQL_MAX_DEPTH),
            ("aliases", measure.aliases, settings.GRAPHQL_MAX_ALIASES),
            ("directives", measure.directives, settings.GRAPHQL_MAX_DIRECTIVES),
            ("cost", measure.cost, settings.GRAPHQL_MAX_COST),
            ("introspection depth", introspection.depth, settings.GRAPHQL_MAX_INTROSPECTION_DEPTH),
        ]:
            if value > limit:
                errors.append(f"Query{name} is too complex: {what} {value} is over the limit of {limit}.")
    return [GraphQLError(message) for message in errors]


class NoIntrospectionRule(ValidationRule):
    """Refuses `__schema` and `__type` (but not `__typename`, which every client adds)."""

    def enter_field(self, node, *args):
        if node.name.value in INTROSPECTION_ROOTS:
            self.report_error(GraphQLError("Introspection is disabled on this server.", node))
