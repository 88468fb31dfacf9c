"""
Limits on what one GraphQL operation may ask for, checked after validation and before anything
is executed, on the operation that will run and the variables graphql-core has coerced for it
(`{"n": 100.0}` is the Int 100, an absent variable takes its declared default): the meter measures
exactly the query that executes, never the raw JSON.

One pass over the operation measures its depth, its aliases and directives, and its cost — the
number of fields it may resolve, with each list field multiplying its selection by the number of
items it may return, per type and field (api.costs). List-valued arguments are checked
against their bounds in the same pass. Fragments are measured once each and the result reused
wherever they are spread, so the pass is linear in the size of the document: undefined fragments
count as empty, a cycle counts as empty on its way back (the standard rules report both), and a
chain of fragments that each spread the previous twice doubles its measured cost at every step
instead of taking longer to measure.
"""

from dataclasses import dataclass

from graphql import GraphQLError, get_named_type, is_abstract_type, is_list_type, is_non_null_type
from graphql.execution.values import get_argument_values
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)
from graphql.type import SchemaMetaFieldDef, TypeMetaFieldDef, TypeNameMetaFieldDef
from graphql.validation import ValidationRule

from . import app_settings
from .costs import UNDECLARED_LIST_ARGUMENT, argument_rule, field_weight, list_rule

INTROSPECTION_ROOTS = {"__schema", "__type"}


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


def unwrap_non_null(graphql_type):
    return graphql_type.of_type if is_non_null_type(graphql_type) else graphql_type


class OperationMeter:
    """Measures one operation of a validated document, with its coerced variable values."""

    def __init__(self, schema, document, variables):
        self.schema = schema
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.variables = variables
        self.measured = {}
        self.visiting = set()
        self.problems = []

    def field_definition(self, parent_type, name):
        if name == "__typename":
            return TypeNameMetaFieldDef
        if parent_type is self.schema.query_type and name in INTROSPECTION_ROOTS:
            return SchemaMetaFieldDef if name == "__schema" else TypeMetaFieldDef
        return getattr(parent_type, "fields", {}).get(name)

    def arguments(self, definition, node):
        """The field's arguments as execution will see them, by their GraphQL names."""
        try:
            coerced = get_argument_values(definition, node, self.variables)
        except GraphQLError:
            return {}  # the field fails at execution and resolves nothing below it
        return {
            name: coerced[argument.out_name or name]
            for name, argument in definition.args.items()
            if (argument.out_name or name) in coerced
        }

    def list_size(self, parent_type, node, definition, arguments):
        rule = list_rule(parent_type, node.name.value)
        if rule is not None:
            return rule.size(arguments)
        if is_list_type(unwrap_non_null(definition.type)) and not node.name.value.startswith("__"):
            # Every list field has a rule (api/tests/test_costs.py); should one be missing, assume
            # the most a client may ask for rather than one.
            return app_settings.GRAPHQL_MAX_PAGE_SIZE
        return 1

    def check_list_arguments(self, parent_type, node, definition, arguments):
        for name, argument in definition.args.items():
            if not is_list_type(unwrap_non_null(argument.type)):
                continue
            rule = argument_rule(parent_type, node.name.value, name) or UNDECLARED_LIST_ARGUMENT
            problem = rule.problem(name, arguments.get(name))
            if problem:
                self.problems.append(problem)

    def selection_set(self, parent_type, selection_set):
        """
        The selections' measures added up — except that fragments on different types exclude each
        other at run time (a body block is a RichTextBlock or an ImageBlock, never both): their
        cost counts for the costliest type the parent can be, not for all of them together.
        """
        total, conditional = Measure(), []
        for selection in selection_set.selections if selection_set else ():
            measure = self.selection(parent_type, selection)
            condition = self.type_condition(selection)
            if condition is None or condition is parent_type:
                total += measure
            else:
                conditional.append((condition, measure))
        if not conditional:
            return total
        everything = sum((measure for _condition, measure in conditional), Measure())
        possible = (
            self.schema.get_possible_types(parent_type) if is_abstract_type(parent_type) else [parent_type]
        )
        costliest = max(
            sum(measure.cost for condition, measure in conditional if self.applies(condition, concrete))
            for concrete in possible or [parent_type]
        )
        return total + Measure(everything.depth, costliest, everything.aliases, everything.directives)

    def type_condition(self, selection):
        if isinstance(selection, InlineFragmentNode) and selection.type_condition is not None:
            return self.schema.get_type(selection.type_condition.name.value)
        if isinstance(selection, FragmentSpreadNode):
            definition = self.fragments.get(selection.name.value)
            return self.schema.get_type(definition.type_condition.name.value) if definition else None
        return None

    def applies(self, condition, concrete):
        """Whether a fragment on `condition` runs for an object of type `concrete`."""
        if condition is concrete:
            return True
        return is_abstract_type(condition) and self.schema.is_sub_type(condition, concrete)

    def selection(self, parent_type, node):
        directives = len(node.directives or ())
        if isinstance(node, FieldNode):
            return self.field(parent_type, node, directives)
        if isinstance(node, InlineFragmentNode):
            if node.type_condition is not None:
                parent_type = self.schema.get_type(node.type_condition.name.value) or parent_type
            return self.selection_set(parent_type, node.selection_set) + Measure(directives=directives)
        if isinstance(node, FragmentSpreadNode):
            return self.fragment(node.name.value) + Measure(directives=directives)
        return Measure()

    def field(self, parent_type, node, directives):
        definition = self.field_definition(parent_type, node.name.value)
        weight = field_weight(parent_type, node.name.value)
        if definition is None:  # not in the schema: validation has reported it
            inner, size = self.selection_set(parent_type, node.selection_set), 1
        else:
            arguments = self.arguments(definition, node) if definition.args else {}
            self.check_list_arguments(parent_type, node, definition, arguments)
            size = self.list_size(parent_type, node, definition, arguments)
            inner = self.selection_set(get_named_type(definition.type), node.selection_set)
        return Measure(
            depth=inner.depth + 1,
            cost=weight + size * inner.cost,
            aliases=inner.aliases + (1 if node.alias else 0),
            directives=inner.directives + directives,
        )

    def fragment(self, name):
        if name in self.measured:
            return self.measured[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.visiting:
            return Measure()  # undefined or cyclic: other rules report it
        parent_type = self.schema.get_type(definition.type_condition.name.value)
        self.visiting.add(name)
        measure = self.selection_set(parent_type, definition.selection_set)
        measure += Measure(directives=len(definition.directives or ()))
        self.visiting.discard(name)
        self.measured[name] = measure
        return measure

    def operation(self, operation):
        """(measure of the operation, measure of its introspection part) — kept apart."""
        root = self.schema.get_root_type(operation.operation)
        ordinary, introspection = Measure(), Measure()
        if root is None:  # a mutation or subscription: execution refuses it, nothing runs
            return ordinary, introspection
        for selection in operation.selection_set.selections:
            measure = self.selection(root, selection)
            if isinstance(selection, FieldNode) and selection.name.value in INTROSPECTION_ROOTS:
                introspection += measure
            else:
                ordinary += measure
        return ordinary + Measure(directives=len(operation.directives or ())), introspection


def count_operations(document):
    return sum(1 for definition in document.definitions if isinstance(definition, OperationDefinitionNode))


def check_limits(schema, document, operation, variables):
    """
    The GraphQL errors for every GRAPHQL_MAX_* limit and list-argument bound the operation goes
    over (none if it fits). `variables` are the coerced values (graphql-core's
    get_variable_values), defaults included.
    """
    errors = []
    operations = count_operations(document)
    if operations > app_settings.GRAPHQL_MAX_OPERATIONS:
        limit = app_settings.GRAPHQL_MAX_OPERATIONS
        errors.append(f"Too many operations in one document: {operations} (at most {limit}).")
    meter = OperationMeter(schema, document, variables)
    measure, introspection = meter.operation(operation)
    name = f" '{operation.name.value}'" if operation.name else ""
    for what, value, limit in [
        ("depth", measure.depth, app_settings.GRAPHQL_MAX_DEPTH),
        ("aliases", measure.aliases, app_settings.GRAPHQL_MAX_ALIASES),
        ("directives", measure.directives, app_settings.GRAPHQL_MAX_DIRECTIVES),
        ("cost", measure.cost, app_settings.GRAPHQL_MAX_COST),
        ("introspection depth", introspection.depth, app_settings.GRAPHQL_MAX_INTROSPECTION_DEPTH),
    ]:
        if value > limit:
            errors.append(f"Query{name} is too complex: {what} {value} is over the limit of {limit}.")
    errors.extend(dict.fromkeys(meter.problems))  # each problem once, in order
    return [GraphQLError(message) for message in errors]


class NoIntrospectionRule(ValidationRule):
    """Refuses `__schema` and `__type` (but not `__typename`, which every client adds)."""

    def enter_field(self, node, *args):
        if node.name.value in INTROSPECTION_ROOTS:
            self.report_error(GraphQLError("Introspection is disabled on this server.", node))


class NoNulCharacterRule(ValidationRule):
    """Refuses string literals holding a NUL (`"\\u0000"`), which no database column may store."""

    def enter_string_value(self, node, *args):
        if "\x00" in node.value:
            self.report_error(GraphQLError("Strings cannot contain the NUL character (U+0000).", node))
