"""
The lean execution path (api/execution.py) answers exactly what graphql-core's own
execution answers — data, errors, their paths and null propagation — on a corpus of queries
(testing/queries.py), including ones whose resolvers fail or return nulls where the schema
forbids them; both run through the one entry point, `run_operation`, GRAPHQL_LEAN_EXECUTION
choosing the executor. And start-up refuses a graphql-core whose internals the executors rely
on have changed.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings
from graphene_django.settings import graphene_settings
from graphql import parse
from wagtail_factories import DocumentFactory, ImageFactory

from api import execution
from api.execution import RELIES_ON, check_graphql_core, run_operation
from news.factories import NewsPageFactory
from news.models import CooperationSector, NewsIndexPage, NewsPage
from testing.queries import EXECUTION_CORPUS


@pytest.fixture
def content(demo):
    image = ImageFactory(title="Ảnh Bắc Kạn", file__filename="bac-kan.jpg")
    document = DocumentFactory(title="Kế hoạch", file__filename="ke-hoach.txt")
    NewsPageFactory(
        parent=NewsIndexPage.objects.get(slug="tin-tuc"),
        title="Đồng Phúc: Trường Tiểu học được hỗ trợ 1 tỷ đồng",
        hero_image=image,
        body=[
            ("heading", "Hợp tác giáo dục"),
            ("paragraph", '<p>Hà Nội <a href="https://example.org">hỗ trợ</a> <b>Bắc Kạn</b>.</p>'),
            ("image", {"image": image, "caption": "Ảnh", "credit": "TTXVN"}),
            ("quote", {"text": "Chúng tôi cảm ơn.", "attribution": "Hiệu trưởng"}),
            ("key_figures", {"title": "Con số", "figures": [{"value": "1 tỷ đồng", "label": "hỗ trợ"}]}),
            ("document", document),
        ],
        sectors=list(CooperationSector.objects.canonical()[:3]),
        tags=["giáo dục", "Bắc Kạn"],
    )


def run(query, lean, variables=None):
    schema = graphene_settings.SCHEMA.graphql_schema
    request = RequestFactory().post("/graphql/", HTTP_HOST="localhost")
    with override_lean(lean):
        result = run_operation(schema, parse(query), request, variables)
    return result.data, sorted((error.message, tuple(error.path or ())) for error in result.errors or ())


def override_lean(lean):
    # The executors compared, not stored answers (answers/tests/test_stored_answers.py compares those).
    return override_settings(GRAPHQL_LEAN_EXECUTION=lean, GRAPHQL_STORED_ANSWERS=False)


def both(query, variables=None):
    lean = run(query, True, variables)
    core = run(query, False, variables)
    assert lean == core
    return lean


@pytest.mark.django_db
@pytest.mark.parametrize("query", EXECUTION_CORPUS)
def test_the_lean_path_answers_what_graphql_core_answers(content, query):
    data, errors = both(query, {"n": 3})
    assert data is not None and not errors


@pytest.mark.django_db
def test_a_null_where_the_schema_forbids_one_propagates_the_same(content, monkeypatch):
    # `author: String!` reads None (model init sets the field, the setter ignores it).
    monkeypatch.setattr(NewsPage, "author", property(lambda self: None, lambda self, value: None))
    data, errors = both("{ newsPages { items { title author } } }")
    assert data is None  # items are [NewsPage!]!: the null reaches the root
    assert errors and "Cannot return null for non-nullable field NewsPage.author." in errors[0][0]


@pytest.mark.django_db
def test_a_failing_resolver_is_an_error_at_the_same_path(content, monkeypatch):
    def broken(self):
        raise RuntimeError("đếm không được")

    monkeypatch.setattr(CooperationSector, "news_count", broken)
    data, errors = both("{ sectors { slug newsCount } newsPages { items { sectors { name newsCount } } } }")
    assert data is None or data.get("sectors") is None
    assert {message for message, _ in errors} == {"đếm không được"}


@pytest.mark.django_db
def test_a_value_of_the_wrong_type_is_reported_the_same(content, monkeypatch):
    monkeypatch.setattr(CooperationSector, "news_count", lambda self: "nhiều")  # `newsCount: Int!`
    data, errors = both("{ sectors { slug newsCount } }")
    assert errors and errors[0][1][0] == "sectors"


@pytest.mark.parametrize("lean", [True, False])
def test_the_setting_chooses_the_executor(settings, lean):
    settings.GRAPHQL_LEAN_EXECUTION = lean
    chosen = execution.execution_context_class()
    assert (chosen is execution.LeanExecutionContext) == lean
    assert issubclass(chosen, execution.CoreExecutionContext)


def test_graphql_core_s_internals_are_the_ones_the_executors_were_written_for():
    check_graphql_core(lean=True)


def test_a_changed_internal_stops_start_up_naming_it(monkeypatch):
    monkeypatch.setitem(RELIES_ON["lean"], "ExecutionContext.complete_list_value", "0" * 12)
    changed = r"complete_list_value \(now .*GRAPHQL_LEAN_EXECUTION=false"
    with pytest.raises(ImproperlyConfigured, match=changed):
        check_graphql_core(lean=True)
    check_graphql_core(lean=False)  # the lean executor's alone: starts without it
    monkeypatch.setitem(RELIES_ON["core"], "ExecutionContext.complete_value", "0" * 12)
    with pytest.raises(ImproperlyConfigured, match=r"ExecutionContext.complete_value \(now"):
        check_graphql_core(lean=False)
