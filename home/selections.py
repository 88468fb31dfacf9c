"""Which fields a GraphQL query selects, so resolvers fetch only the relations it asks for."""

from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode


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
