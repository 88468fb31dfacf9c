"""`sitemap`: every public page of the site, in tree order, a thousand at a time, cheaply."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.factories import NewsPageFactory
from testing.queries import PAGINATION

pytestmark = pytest.mark.django_db

QUERY = f"""query($page: Int, $perPage: Int) {{
  sitemap(page: $page, perPage: $perPage) {{
    items {{ urlPath lastPublishedAt }}
    {PAGINATION}
  }}
}}"""


def walk(gql, per_page=None):
    """Every entry, page after page, as a frontend writing sitemap.xml would read them."""
    entries, page = [], 1
    while True:
        answer = gql(QUERY, {"page": page, "perPage": per_page})["sitemap"]
        entries += answer["items"]
        if answer["pagination"]["nextPage"] is None:
            return entries, answer["pagination"]
        page = answer["pagination"]["nextPage"]


def test_every_public_page_of_the_site_once(gql, news_index):
    news = [NewsPageFactory(parent=news_index, slug=f"tin-{n}") for n in range(5)]
    for page in news:
        page.save_revision().publish()
    NewsPageFactory(parent=news_index, slug="nhap", live=False)
    NewsPageFactory(
        parent=news_index, slug="het-han", expire_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    private = NewsPageFactory(parent=news_index, slug="noi-bo")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    entries, pagination = walk(gql, per_page=2)
    assert [entry["urlPath"] for entry in entries] == ["/", "/tin-tuc/"] + [
        f"/tin-tuc/{p.slug}/" for p in news
    ]
    assert pagination == {"total": 7, "count": 1, "perPage": 2, "currentPage": 4, "totalPages": 4,
                          "nextPage": None, "prevPage": 3}  # fmt: skip
    assert all(entry["lastPublishedAt"] for entry in entries[2:])


def test_a_thousand_entries_a_page_by_default(gql, news_index):
    pagination = gql(QUERY)["sitemap"]["pagination"]
    assert pagination["perPage"] == 1000 and pagination["total"] == 2


@pytest.mark.parametrize(("page", "per_page"), [(0, 10), (1, 0), (1, 5001), (-3, 10)])
def test_out_of_range_arguments_are_plain_errors(gql, news_index, page, per_page):
    [message] = gql.errors(QUERY, {"page": page, "perPage": per_page})
    assert "`page` must be 1 or more." == message or "`perPage` must be between 1 and 5000." == message


def test_a_page_past_the_end_is_empty_with_the_real_totals(gql, news_index):
    answer = gql(QUERY, {"page": 99, "perPage": 10})["sitemap"]
    assert answer["items"] == [] and answer["pagination"]["total"] == 2


def test_a_sitemap_page_costs_two_queries_of_its_own(gql, news_index, assert_data_queries):
    """
    The first: the request's usual 4, the total and the page of entries; the next pages: the
    entries (the site, its restrictions, the total, due schedules and next expiry remembered; the
    languages were cached when the pages were indexed for search).
    """
    for n in range(30):
        NewsPageFactory(parent=news_index, slug=f"tin-{n}")
    with assert_data_queries(6):
        assert len(gql(QUERY, {"perPage": 20})["sitemap"]["items"]) == 20
    with assert_data_queries(1):
        assert len(gql(QUERY, {"page": 2, "perPage": 20})["sitemap"]["items"]) == 12
