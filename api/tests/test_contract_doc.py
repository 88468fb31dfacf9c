"""
docs/contract.md#graphql cannot drift from the committed schema.graphql.

The parse rule: in docs/contract.md, a type name in backticks directly followed by a colon and a
second backticked span, e.g. `` `NewsPage`: `title related(limit) previous` `` (the span may wrap
across lines), lists fields of that type. The span holds only field names separated by spaces,
each optionally followed by its arguments in parentheses, separated by spaces or commas. The test
fails when such a type, field or argument is not in the schema, when a span holds anything else,
or when a root field of the schema's `Query` is listed in no `Query` span.
"""

import re
from pathlib import Path

import pytest
from graphql import build_schema, is_interface_type, is_object_type

ROOT = Path(__file__).resolve().parents[2]
TYPE_LINE = re.compile(r"`([A-Z]\w*)`:\s*`([^`]+)`")
FIELD = re.compile(r"(\w+)(?:\(([^)]*)\))?")
SPAN = re.compile(r"\s*(?:\w+(?:\([\w\s,]*\))?\s*)+")


def promised_fields():
    """[(type, field, [arguments])] as docs/contract.md lists them."""
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    promised = []
    for type_name, span in TYPE_LINE.findall(text):
        assert SPAN.fullmatch(span), f"docs/contract.md: `{type_name}`: `{span}` is not a list of fields"
        for field, arguments in FIELD.findall(span):
            promised.append((type_name, field, re.split(r"[\s,]+", arguments.strip()) if arguments else []))
    return promised


@pytest.fixture(scope="module")
def schema():
    return build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))


def test_every_field_the_contract_names_is_in_the_schema(schema):
    promised = promised_fields()
    assert {"Query", "NewsPage", "PageInterface"} <= {type_name for type_name, _, _ in promised}
    missing = []
    for type_name, field, arguments in promised:
        graphql_type = schema.get_type(type_name)
        if not (is_object_type(graphql_type) or is_interface_type(graphql_type)):
            missing.append(f"type {type_name}")
        elif field not in graphql_type.fields:
            missing.append(f"{type_name}.{field}")
        else:
            missing += [
                f"{type_name}.{field}({argument})"
                for argument in arguments
                if argument not in graphql_type.fields[field].args
            ]
    missing = list(dict.fromkeys(missing))
    assert not missing, f"docs/contract.md names what schema.graphql does not have: {missing}"


def test_every_root_field_is_in_the_contract(schema):
    listed = {field for type_name, field, _ in promised_fields() if type_name == "Query"}
    unlisted = sorted(set(schema.query_type.fields) - listed)
    assert not unlisted, f"root fields missing from docs/contract.md (`Query`: `...`): {unlisted}"
