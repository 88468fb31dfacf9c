"""
Bad input never hurts the endpoint (docs/contract.md#invariants, 3): every request of the committed
corpus (testing/hostile_requests.json), and every request hypothesis makes up, gets a JSON
answer with a 4xx status (or a 200 with errors where GraphQL says so) — never a 500, never a
stack trace — under production settings.
"""

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from testing.content import DEMO_URL_PATH
from testing.hostile import CORPUS, PRODUCTION, build, send
from testing.queries import FRONTEND_BODY, FRONTEND_FIELDS, PAGINATION


@pytest.fixture
def production(settings):
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)


def assert_clean_answer(response):
    assert response.status_code < 500, response.content
    assert response["Content-Type"].startswith("application/json")
    payload = response.json()
    assert "errors" in payload or "data" in payload
    text = response.content.decode()
    assert "Traceback" not in text and 'File "' not in text
    return payload


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 60
    assert len({entry["name"] for entry in CORPUS}) == len(CORPUS)
    assert {entry["expect"] for entry in CORPUS} >= {200, 400, 405, 413, 415}


@pytest.mark.parametrize("entry", CORPUS, ids=[entry["name"] for entry in CORPUS])
def test_hostile_request(entry, demo, production, client):
    response = send(client, *build(entry))
    payload = assert_clean_answer(response)
    assert response.status_code == entry["expect"], payload
    messages = " ".join(error["message"] for error in payload.get("errors", []))
    if entry["expect"] != 200 or "error_contains" in entry:
        assert payload.get("errors"), payload
    if "error_contains" in entry:
        assert entry["error_contains"] in messages, messages
    if "error_not_contains" in entry:
        assert entry["error_not_contains"] not in messages, messages


def test_resolver_errors_are_masked_and_logged(demo, production, client, caplog, monkeypatch):
    from news.models import NewsPage

    def broken(*args, **kwargs):
        raise RuntimeError("could not connect to server at db-internal.example:5432")

    monkeypatch.setattr(NewsPage, "get_url", broken)
    response = send(
        client, "POST", "/graphql/", json.dumps({"query": "{ newsPages { items { title url } } }"}).encode()
    )
    payload = assert_clean_answer(response)
    [error] = payload["errors"]
    assert error["message"].startswith("Internal server error (request id ")
    assert "db-internal" not in response.content.decode()
    request_id = error["message"].split("request id ")[1].rstrip(").")
    assert any(request_id in record.getMessage() and record.exc_info for record in caplog.records)
    assert payload["data"]["newsPages"]["items"][0]["title"]


def test_frontend_queries_still_pass_in_production(demo, production, client):
    article = f"{FRONTEND_FIELDS} {FRONTEND_BODY}"
    queries = [
        f"{{ newsPages(perPage: 50) {{ items {{ {article} }} {PAGINATION} }} }}",
        f'{{ page(urlPath: "{DEMO_URL_PATH}") {{ ... on NewsPage {{ {article} }} }} }}',
        '{ sectors { __typename id name slug description newsCount } sector(slug: "y-te") { name } }',
    ]
    for query in queries:
        response = send(client, "POST", "/graphql/", json.dumps({"query": query}).encode())
        payload = assert_clean_answer(response)
        assert response.status_code == 200 and "errors" not in payload, payload


def test_queries_over_get_and_cors(demo, production, client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://www.example.org"]
    query = urlencode({"query": "{ sectors { slug } }"})
    allowed = client.get(f"/graphql/?{query}", HTTP_ORIGIN="https://www.example.org")
    assert allowed.status_code == 200
    assert allowed["Access-Control-Allow-Origin"] == "https://www.example.org"
    other = client.get(f"/graphql/?{query}", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    preflight = client.options(
        "/graphql/", HTTP_ORIGIN="https://www.example.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )  # fmt: skip
    assert preflight["Access-Control-Allow-Origin"] == "https://www.example.org"
    assert "content-type" in preflight["Access-Control-Allow-Headers"]


def test_measuring_a_doubling_fragment_chain_is_linear():
    from graphene_django.settings import graphene_settings
    from graphql import parse

    from api.limits import OperationMeter

    chain = "fragment F0 on Query { sectors { slug } } " + " ".join(
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, 200)
    )
    document = parse("{ ...F199 } " + chain)
    meter = OperationMeter(graphene_settings.SCHEMA.graphql_schema, document, {})
    calls = 0
    original = meter.selection_set

    def counting(parent_type, selection_set):
        nonlocal calls
        calls += 1
        return original(parent_type, selection_set)

    meter.selection_set = counting
    measure, _ = meter.operation(document.definitions[0])
    assert measure.cost == 2**199 * (1 + 20)  # 20: the estimated number of sectors
    assert calls <= 2 * 200 + 2


FIELD_NAMES = [
    "newsPages", "items", "id", "title", "body", "rawValue", "sectors", "slug", "page",
    "children", "parent", "__typename", "__schema", "pagination", "total", "heroImage",
]  # fmt: skip


@st.composite
def selection_sets(draw, depth=0):
    fields = []
    for _ in range(draw(st.integers(1, 4))):
        name = draw(st.sampled_from(FIELD_NAMES))
        alias = draw(st.sampled_from(["", "", "a: ", "__schema: "]))
        args = draw(st.sampled_from(["", "(perPage: 100)", '(urlPath: "/")', "(limit: -1)", '(slug: "x")']))
        inner = draw(selection_sets(depth + 1)) if depth < 7 and draw(st.booleans()) else ""
        fields.append(f"{alias}{name}{args} {inner}")
    return "{ " + " ".join(fields) + " }"


fuzz_settings = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@fuzz_settings
@given(query=selection_sets())
def test_fuzzed_queries_get_clean_answers(db, production, client, query):
    response = send(client, "POST", "/graphql/", json.dumps({"query": query}).encode())
    assert_clean_answer(response)
    assert response.status_code in (200, 400)


@fuzz_settings
@given(text=st.text(max_size=300))
def test_fuzzed_documents_get_clean_answers(db, production, client, text):
    response = send(client, "POST", "/graphql/", json.dumps({"query": text}).encode())
    assert_clean_answer(response)
    assert response.status_code in (200, 400)


@fuzz_settings
@given(
    body=st.one_of(
        st.binary(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(
                    st.sampled_from(["query", "variables", "operationName", "x"]), inner, max_size=4
                )
            ),
        ),
    )
)
def test_fuzzed_bodies_get_clean_answers(db, production, client, body):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = send(client, "POST", "/graphql/", raw)
    assert_clean_answer(response)
    assert 400 <= response.status_code < 500 or response.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        '{ page(id: "²") { title } }',
        '{ page(id: "١٢") { title } }',
        '{ page(id: "99999999999999999999999999") { title } }',
        '{ page(id: "-1") { title } }',
        '{ page(urlPath: "/tin-tuc/../../etc/passwd") { title } }',
        '{ newsPage(slug: "\' OR 1=1 --") { title } }',
    ],
)
def test_odd_arguments_answer_null_without_a_traceback(query, demo, production, client, caplog):
    response = send(client, "POST", "/graphql/", json.dumps({"query": query}).encode())
    payload = assert_clean_answer(response)
    assert response.status_code == 200
    assert payload == {"data": {next(iter(payload["data"])): None}}
    assert not [record for record in caplog.records if record.exc_info or record.levelname == "ERROR"]


# Text as JSON may carry it: any code point, lone surrogates and NUL included.
any_text = st.lists(
    st.one_of(
        st.characters(),
        st.integers(0xD800, 0xDFFF).map(chr),  # st.text() leaves lone surrogates out
        st.sampled_from(["\x00", "\ufffe", "\U0010ffff"]),
    ),
    max_size=40,
).map("".join)


@fuzz_settings
@given(
    query=st.one_of(
        any_text,
        any_text.map(lambda text: f"{{ newsPage(slug: {json.dumps(text)}) {{ title }} }}"),
        any_text.map(lambda text: "{ sectors { slug } } # " + text.replace("\n", " ")),
        st.just(
            "query($s: String, $t: String) { newsPage(slug: $s) { id } newsPages(tag: $t) { items { id } } }"
        ),
    ),
    variables=st.one_of(
        st.fixed_dictionaries({"s": any_text}, optional={"t": any_text}),
        st.dictionaries(any_text, st.one_of(any_text, st.lists(any_text, max_size=3)), max_size=3),
    ),
    operation_name=st.one_of(st.none(), any_text),
    method=st.sampled_from(["POST", "GET"]),
)
def test_fuzzed_text_with_any_code_point_gets_clean_answers(
    db, production, client, query, variables, operation_name, method
):
    payload = {"query": query, "variables": variables, "operationName": operation_name}
    if method == "POST":
        response = send(client, "POST", "/graphql/", json.dumps(payload).encode())
    else:
        # As a browser would send it: JSON with \u escapes, then percent-encoded UTF-8.
        params = {
            key: value if isinstance(value, str) else json.dumps(value) for key, value in payload.items()
        }
        params = {key: value.encode("utf-8", "surrogatepass") for key, value in params.items() if value}
        response = send(client, "GET", "/graphql/?" + urlencode(params))
    assert_clean_answer(response)
    assert response.status_code in (200, 400, 413)
