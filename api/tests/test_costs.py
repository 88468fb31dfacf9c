"""
The cost meter measures the query that runs: coerced variables (floats, defaults), every list
field of the schema by type and field, every list-valued argument bounded; and the execution
budget stops whatever the meter lets through once it has run too long.
"""

import pytest
from graphene_django.settings import graphene_settings
from graphql import get_named_type, is_interface_type, is_list_type, is_object_type, parse
from graphql.execution.values import get_variable_values

from api.costs import PageOfItems, argument_rule, list_rule
from api.limits import OperationMeter, unwrap_non_null

# 15 aliases (the most allowed) of a list of lists: cheap at the default page sizes, millions of
# fields at 100: what ran 42.8 s when `$n` was metered as its raw JSON value.
LISTS_OF_LISTS = "newsPages(perPage: $n) { items { ancestors { children(limit: $n) { title } } } }"
SEARCH_LISTS = (
    'search(query: "hop tac", perPage: $n) { items { ancestors { children(limit: $n) { title } } } }'
)


def aliased(field, times=15):
    return " ".join(f"a{i}: {field}" for i in range(times))


def schema():
    return graphene_settings.SCHEMA.graphql_schema


def measured_cost(query, variables=None):
    document = parse(query)
    [operation] = document.definitions
    coerced = get_variable_values(schema(), operation.variable_definitions, variables or {})
    assert not isinstance(coerced, list), coerced
    meter = OperationMeter(schema(), document, coerced)
    return meter.operation(operation)[0].cost


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "variables"),
    [
        (f"query($n: Int) {{ {aliased(LISTS_OF_LISTS)} }}", {"n": 100.0}),
        (f"query($n: Int = 100) {{ {aliased(LISTS_OF_LISTS)} }}", {}),
        (f"query($n: Int!) {{ {aliased(LISTS_OF_LISTS)} }}", {"n": 100}),
        (f"query($n: Int) {{ {aliased(SEARCH_LISTS)} }}", {"n": 100}),
        (f"query($n: Int = 100) {{ {aliased(SEARCH_LISTS)} }}", {}),
    ],
    ids=["float variable", "operation default", "plain variable", "search", "search with a default"],
)
def test_lists_of_lists_are_refused_however_the_size_is_given(demo, gql, query, variables):
    response, body = gql.post(query, variables)
    assert response.status_code == 400, body
    assert "is too complex: cost" in body["errors"][0]["message"]


def test_coerced_variables_are_measured_like_literals():
    literal = measured_cost(f"{{ {LISTS_OF_LISTS.replace('$n', '100')} }}")
    assert literal == 1 + 100 * (1 + 1 + 3 * (1 + 100))  # perPage × (items, ancestors × children)
    assert measured_cost(f"query($n: Int) {{ {LISTS_OF_LISTS} }}", {"n": 100.0}) == literal
    assert measured_cost(f"query($n: Int = 100) {{ {LISTS_OF_LISTS} }}") == literal
    # Absent and null take the field's own defaults: 10 news per page, 10 children.
    default = measured_cost(f"{{ {LISTS_OF_LISTS.replace('(perPage: $n)', '').replace('(limit: $n)', '')} }}")
    assert measured_cost(f"query($n: Int) {{ {LISTS_OF_LISTS} }}", {"n": None}) == default < literal


def test_search_costs_like_news_lists():
    news = measured_cost("{ newsPages(perPage: 50) { items { title body { id } } } }")
    search = measured_cost('{ search(query: "hợp tác", perPage: 50) { items { title body { id } } } }')
    assert search == news > 50 * 40


def test_lists_are_measured_by_their_own_type():
    """`sectors` of a news page and the root `sectors` are different fields with their own rule."""
    schema_ = schema()
    news_page, query = schema_.get_type("NewsPage"), schema_.query_type
    assert list_rule(news_page, "children") is not None  # declared on PageInterface
    assert list_rule(query, "children") is None
    assert isinstance(list_rule(query, "search"), PageOfItems)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sizes",
    [[320] * 6000, list(range(1, 1000)), [320, 480, 640, 800, 960, 1200, 1600, 320], [300], [-1], [None]],
    ids=["6,000 sizes", "999 sizes", "8 sizes", "unlisted width", "negative width", "null width"],
)
def test_src_set_sizes_are_bounded(demo, gql, sizes):
    query = "query($s: [Int]) { newsPages { items { heroImage { srcSet(sizes: $s) } } } }"
    response, body = gql.post(query, {"s": sizes})
    assert response.status_code == 400, body
    assert "`sizes` takes at most 7 values, each one of: 320, 480, 640, 800, 960, 1200, 1600." in [
        error["message"] for error in body["errors"]
    ]


@pytest.mark.django_db
def test_src_set_within_the_bounds_still_works(demo, gql):
    query = (
        "{ newsPages { items { body { ... on ImageBlock { image { srcSet(sizes: [320, 640, 640]) } } } } } }"
    )
    response, body = gql.post(query)
    assert response.status_code == 200, body
    [image] = [block for block in body["data"]["newsPages"]["items"][0]["body"] if block]
    src_set = image["image"]["srcSet"]
    assert [entry.split()[1] for entry in src_set.split(", ")] == ["320w", "640w"]


def test_every_list_field_and_list_argument_of_the_schema_is_bounded():
    schema_ = schema()
    unbounded, checked = [], 0
    for graphql_type in schema_.type_map.values():
        if graphql_type.name.startswith("__"):
            continue  # introspection is measured apart (GRAPHQL_MAX_INTROSPECTION_DEPTH)
        if not (is_object_type(graphql_type) or is_interface_type(graphql_type)):
            continue
        for name, field in graphql_type.fields.items():
            if is_list_type(unwrap_non_null(field.type)):
                checked += 1
                if list_rule(graphql_type, name) is None:
                    unbounded.append(f"{graphql_type.name}.{name}")
            for argument_name, argument in field.args.items():
                if is_list_type(unwrap_non_null(argument.type)):
                    checked += 1
                    if argument_rule(graphql_type, name, argument_name) is None:
                        unbounded.append(f"{graphql_type.name}.{name}({argument_name}:)")
    assert not unbounded, f"no bound in api/costs.py for: {', '.join(unbounded)}"
    assert checked >= 16  # the walk really sees the schema's lists


def test_lists_counted_by_their_page_sit_only_under_paginated_fields():
    """`NewsPageList.items` adds nothing of its own: every field returning a page must multiply."""
    schema_ = schema()
    for graphql_type in schema_.type_map.values():
        if graphql_type.name.startswith("__") or not is_object_type(graphql_type):
            continue
        for name, field in graphql_type.fields.items():
            returned = get_named_type(field.type)
            if is_object_type(returned) and returned.name == "NewsPageList":
                assert isinstance(list_rule(graphql_type, name), PageOfItems), f"{graphql_type.name}.{name}"


@pytest.mark.django_db
def test_execution_stops_when_its_budget_is_spent(demo, gql, settings, caplog):
    settings.GRAPHQL_EXECUTION_BUDGET_SECONDS = 0
    for _ in range(2):
        response, body = gql.post("{ newsPages { items { title sectors { slug } } } }")
        assert response.status_code == 400
        assert response["X-Cache"] == "MISS"  # never cached
        assert body == {
            "errors": [
                {
                    "message": "The query took too long and was stopped: ask for fewer items or fields.",
                    "extensions": {"code": "EXECUTION_BUDGET_EXCEEDED"},
                }
            ]
        }
    assert not any(record.exc_info for record in caplog.records)  # one line, no traceback


@pytest.mark.django_db
def test_answers_over_the_size_cap_are_not_cached(demo, gql, settings):
    query = "{ newsPages { items { title intro } } }"
    assert [gql.post(query)[0]["X-Cache"] for _ in range(2)] == ["MISS", "HIT"]
    settings.GRAPHQL_RESPONSE_CACHE_MAX_BYTES = 100
    query = "{ newsPages { items { title intro author } } }"
    responses = [gql.post(query) for _ in range(2)]
    assert [response["X-Cache"] for response, _ in responses] == ["MISS", "MISS"]
    assert responses[1][1]["data"]["newsPages"]["items"][0]["author"] == "Nguyễn Nga"


@pytest.mark.django_db
def test_answers_over_the_size_limit_are_a_clear_error(demo, gql, settings, caplog):
    settings.GRAPHQL_MAX_RESPONSE_BYTES = 2048
    response, body = gql.post("{ newsPages { items { title body { rawValue } } } }")
    assert response.status_code == 400
    assert body == {
        "errors": [
            {
                "message": "The answer is too large (over 2 KB): ask for fewer items or fields.",
                "extensions": {"code": "RESPONSE_TOO_LARGE"},
            }
        ]
    }
    assert gql.post("{ newsPages { items { title } } }")[0].status_code == 200


def test_fragments_on_different_types_cost_as_the_costliest_one():
    """A body block is one type: its fragments do not all run for it."""
    body = "{ newsPages(perPage: 1) { items { body { %s } } } }"
    one = measured_cost(body % "... on CharBlock { value }")
    both = measured_cost(body % "... on CharBlock { value } ... on QuoteBlock { text attribution }")
    common = measured_cost(body % "id ... on CharBlock { value } ... on QuoteBlock { text attribution }")
    assert both == one + 40  # 40 blocks, each one field more for the costlier type
    assert common == both + 40
    # A fragment on the interface itself applies to every block type.
    assert measured_cost(
        "{ newsPages(perPage: 1) { items { body { ... on StreamFieldInterface { id } } } } }"
    ) == (measured_cost("{ newsPages(perPage: 1) { items { body { id } } } }"))
