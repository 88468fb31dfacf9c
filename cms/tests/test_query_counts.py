"""
SQL queries per GraphQL request do not depend on how many items a list holds, nor on how many
sectors, tags, images, documents or rich-text links the items have
(docs/contract.md#performance-targets). Pinned for 1, 10 and 100 news pages.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import DocumentFactory, ImageFactory

from conftest import CONTROL_STATEMENTS as CONTROL
from news.factories import CooperationSectorFactory, NewsPageFactory

BODY = """body {
  id field blockType rawValue
  ... on CharBlock { value }
  ... on RichTextBlock { value }
  ... on ImageBlock { caption image { url width srcSet(sizes: [320, 640]) rendition(width: 320) { url } } }
  ... on KeyFiguresBlock { figures { value label } }
  ... on DocumentChooserBlock { document { title url } }
}"""
NEWS = f"""
  id title slug url urlPath date author intro heroCaption
  heroImage {{ url srcSet(sizes: [320, 640, 960]) rendition(width: 800) {{ url width height }} }}
  sectors {{ name slug newsCount }} tags {{ name slug }}
  parent {{ title urlPath }} ancestors {{ title }}
  {BODY}
"""
PAGINATION = "pagination { total count totalPages }"
# Counted on a repeat of the same request (the response cache off): list totals are remembered
# until the content changes, so they cost no query then.

QUERIES = {
    "full list": (f"{{ newsPages(perPage: 100) {{ items {{ {NEWS} }} {PAGINATION} }} }}", 17),
    "cheap list": ("{ newsPages(perPage: 100) { items { title urlPath } } }", 3),
    "totals only": (f"{{ newsPages {{ {PAGINATION} }} }}", 2),
    # Search: the count (capped, then exact), the window of ranked ids and the visible ones among
    # them, instead of the list's count.
    "search": (f'{{ search(query: "Bắc Kạn", perPage: 100) {{ items {{ {NEWS} }} {PAGINATION} }} }}', 20),
    "sectors with counts": ("{ sectors { name slug newsCount } }", 3),
    "one page by urlPath": (f'{{ page(urlPath: "/tin-tuc/bai-0/") {{ ... on NewsPage {{ {NEWS} }} }} }}', 17),
    "one page by slug": (f'{{ newsPage(slug: "bai-0") {{ {NEWS} }} }}', 17),
}


def build_news(news_index, count):
    sectors = [CooperationSectorFactory() for _ in range(4)]
    linked_document = DocumentFactory()
    for n in range(count):
        NewsPageFactory(
            parent=news_index,
            title=f"Bắc Kạn: bài {n}",
            slug=f"bai-{n}",
            hero_image=ImageFactory(),
            sectors=sectors[: 1 + n % 4],
            tags=[f"thẻ {n}", "Bắc Kạn"],
            body=[
                ("heading", "Giáo dục"),
                ("paragraph", f'<p><a linktype="page" id="{news_index.pk}">Tin tức</a> '
                              f'<a linktype="document" id="{linked_document.pk}">tài liệu</a></p>'),
                ("image", {"image": ImageFactory(), "caption": "Ảnh", "credit": ""}),
                ("image", {"image": ImageFactory(), "caption": "Ảnh 2", "credit": ""}),
                ("document", DocumentFactory()),
                ("key_figures", {"title": "", "figures": [{"value": "3 tỷ đồng", "label": "hỗ trợ"}]}),
            ],
        )  # fmt: skip


def sql_queries(client, query):
    post = lambda: client.post("/graphql/", json.dumps({"query": query}), content_type="application/json")  # noqa: E731
    warm = post()  # creates the image renditions the query asks for, once
    assert warm.status_code == 200 and "errors" not in warm.json(), warm.content[:500]
    with CaptureQueriesContext(connection) as captured:
        response = post()
    assert response.json() == warm.json()
    # Data queries only: on PostgreSQL each request also sets its statement timeout inside a
    # transaction (SAVEPOINT / SET LOCAL / RELEASE under the test's own transaction).
    return sum(not query["sql"].startswith(CONTROL) for query in captured.captured_queries)


@pytest.fixture(autouse=True)
def allow_the_full_list(settings):
    """100 items with every field and block are over the default cost limit; their SQL is pinned
    all the same, for a server configured to allow them."""
    settings.GRAPHQL_MAX_COST = 1_000_000


@pytest.mark.django_db
@pytest.mark.parametrize("items", [1, 10, 100])
def test_query_counts_do_not_grow_with_the_list(news_index, client, settings, items):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0  # count the work, not the cache
    build_news(news_index, items)
    counts = {name: sql_queries(client, query) for name, (query, _expected) in QUERIES.items()}
    assert counts == {name: expected for name, (_query, expected) in QUERIES.items()}


@pytest.mark.django_db
def test_a_cached_answer_costs_no_query(news_index, client):
    build_news(news_index, 10)
    assert sql_queries(client, QUERIES["full list"][0]) == 0
