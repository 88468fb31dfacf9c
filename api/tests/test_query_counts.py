"""
SQL queries per GraphQL request do not depend on how many items a list holds, nor on how many
sectors, tags, images, documents or rich-text links the items have
(docs/contract.md#performance-targets). Pinned for 1, 10 and 100 news pages.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail_factories import DocumentFactory, ImageFactory

from news.factories import CooperationSectorFactory, NewsPageFactory
from testing.graphql import data_queries, post_query
from testing.queries import COUNTED_NEWS, PAGINATION_TOTALS, STORED_NEWS

# Counted on a repeat of the same request (the response cache off): list totals, the sites and
# the restricted sections and collections are remembered until the content changes, so they
# cost no query then.

QUERIES = {
    "full list": (f"{{ newsPages(perPage: 100) {{ items {{ {COUNTED_NEWS} }} {PAGINATION_TOTALS} }} }}", 15),
    # Within the stored answers' fields (answers.stored), but these pages link another page:
    # the list's rows, then the pages.
    "cheap list": ("{ newsPages(perPage: 100) { items { title urlPath } } }", 2),
    "totals only": (f"{{ newsPages {{ {PAGINATION_TOTALS} }} }}", 0),
    # Search: the count (capped, then exact), the window of ranked ids and the visible ones among
    # them, instead of the list's count.
    "search": (
        f'{{ search(query: "Bắc Kạn", perPage: 100) {{ items {{ {COUNTED_NEWS} }} {PAGINATION_TOTALS} }} }}',
        18,
    ),
    "sectors with counts": ("{ sectors { name slug newsCount } }", 1),
    "one page by urlPath": (
        f'{{ page(urlPath: "/tin-tuc/bai-0/") {{ ... on NewsPage {{ {COUNTED_NEWS} }} }} }}',
        15,
    ),
    "one page by slug": (f'{{ newsPage(slug: "bai-0") {{ {COUNTED_NEWS} }} }}', 15),
}


def build_news(news_index, count, body=None):
    """`count` news pages, each with its own images, sectors and tags, and `body()` (by default
    one linking a page and a document, with a document block: answered from the database)."""
    sectors = [CooperationSectorFactory() for _ in range(4)]
    linked_document = DocumentFactory()
    body = body or (lambda: [
        ("heading", "Giáo dục"),
        ("paragraph", f'<p><a linktype="page" id="{news_index.pk}">Tin tức</a> '
                      f'<a linktype="document" id="{linked_document.pk}">tài liệu</a></p>'),
        ("image", {"image": ImageFactory(), "caption": "Ảnh", "credit": ""}),
        ("image", {"image": ImageFactory(), "caption": "Ảnh 2", "credit": ""}),
        ("document", DocumentFactory()),
        ("key_figures", {"title": "", "figures": [{"value": "3 tỷ đồng", "label": "hỗ trợ"}]}),
    ])  # fmt: skip
    for n in range(count):
        NewsPageFactory(
            parent=news_index,
            title=f"Bắc Kạn: bài {n}",
            slug=f"bai-{n}",
            hero_image=ImageFactory(),
            sectors=sectors[: 1 + n % 4],
            tags=[f"thẻ {n}", "Bắc Kạn"],
            body=body(),
        )


def sql_queries(client, query):
    warm = post_query(client, query)  # creates the image renditions the query asks for, once
    assert warm.status_code == 200 and "errors" not in warm.json(), warm.content[:500]
    with CaptureQueriesContext(connection) as captured:
        response = post_query(client, query)
    assert response.json() == warm.json()
    # Data queries only: on PostgreSQL each request also sets its statement timeout inside a
    # transaction (SAVEPOINT / SET LOCAL / RELEASE under the test's own transaction).
    return len(data_queries(captured.captured_queries))


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


def storable_body():
    """A body linking no other page, with blocks the stored answers hold: its answer is stored."""
    return [
        ("heading", "Giáo dục"),
        ("paragraph", '<p><a href="https://example.org">Hà Nội</a> hỗ trợ <b>Bắc Kạn</b></p>'),
        ("image", {"image": ImageFactory(), "caption": "Ảnh", "credit": "TTXVN"}),
        ("key_figures", {"title": "", "figures": [{"value": "3 tỷ đồng", "label": "hỗ trợ"}]}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("items", [1, 10, 100])
def test_stored_answers_cost_one_query_for_the_items(news_index, client, settings, items):
    """
    A list whose selection lies within the stored answers: the first request reads the rows,
    fetches the pages with every stored field and stores their answers; every later one reads
    the rows with their answers, and nothing else (the sites and the restricted sections are
    remembered until the content changes, the list's total until then too).
    """
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    build_news(news_index, items, storable_body)
    query = f"{{ newsPages(perPage: 100) {{ items {{ {STORED_NEWS} }} }} }}"
    first = {"query": query}
    with CaptureQueriesContext(connection) as captured:
        stored = client.post("/graphql/", first, content_type="application/json")
    writes = [q["sql"] for q in captured.captured_queries if "answers_storedanswer" in q["sql"]]
    assert len(writes) == 2 and writes[1].startswith("INSERT")  # the rows read, the answers written
    assert sql_queries(client, query) == 1
    settings.GRAPHQL_STORED_ANSWERS = False
    assert sql_queries(client, query) == 7
    assert client.post("/graphql/", first, content_type="application/json").json() == stored.json()
