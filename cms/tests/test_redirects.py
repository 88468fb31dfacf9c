"""
`redirect(path:)`: where an old path went — Wagtail's automatic redirects when a page's slug
changes or it moves, and the ones editors add — never to a page readers may not see.
"""

import datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site

from news.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

QUERY = """query($path: String!) {
  redirect(path: $path) { urlPath url isPermanent }
  page(urlPath: $path) { title }
}"""


def ask(gql, path):
    return gql(QUERY, {"path": path})


@pytest.fixture
def article(news_index):
    page = NewsPageFactory(
        parent=news_index, title="Bắc Kạn – Thái Nguyên hợp tác du lịch", slug="hop-tac-du-lich"
    )
    page.save_revision().publish()
    return page


def test_a_renamed_article_leads_from_its_old_path_to_its_new_one(gql, article, committed):
    old_path = "/tin-tuc/hop-tac-du-lich/"
    with committed():
        article.slug = "bac-kan-thai-nguyen-hop-tac-du-lich"
        article.save_revision().publish()
    assert Redirect.objects.filter(automatically_created=True).exists()
    found = ask(gql, old_path)
    assert found["page"] is None
    assert found["redirect"] == {
        "urlPath": "/tin-tuc/bac-kan-thai-nguyen-hop-tac-du-lich/",
        "url": "/tin-tuc/bac-kan-thai-nguyen-hop-tac-du-lich/",
        "isPermanent": True,
    }
    assert ask(gql, "/tin-tuc/hop-tac-du-lich")["redirect"]["urlPath"].endswith("-du-lich/")  # no slash


def test_redirects_editors_add_to_a_page_or_an_external_link(gql, article):
    Redirect.add_redirect("/chuyen-muc/du-lich/", article, is_permanent=False)
    Redirect.add_redirect("/so-van-hoa/", "https://svhttdl.backan.gov.vn/", is_permanent=True)
    Redirect.add_redirect("/bắc-kạn/", article)
    assert ask(gql, "/chuyen-muc/du-lich/")["redirect"] == {
        "urlPath": "/tin-tuc/hop-tac-du-lich/",
        "url": "/tin-tuc/hop-tac-du-lich/",
        "isPermanent": False,
    }
    assert ask(gql, "/so-van-hoa/")["redirect"] == {
        "urlPath": None,
        "url": "https://svhttdl.backan.gov.vn/",
        "isPermanent": True,
    }
    assert ask(gql, "/bắc-kạn/")["redirect"]["urlPath"] == "/tin-tuc/hop-tac-du-lich/"
    assert ask(gql, "/b%E1%BA%AFc-k%E1%BA%A1n/")["redirect"]["urlPath"] == "/tin-tuc/hop-tac-du-lich/"


def test_a_path_that_leads_to_a_page_is_not_redirected(gql, article):
    Redirect.add_redirect("/tin-tuc/hop-tac-du-lich/", "https://example.org/")
    assert ask(gql, "/tin-tuc/hop-tac-du-lich/") == {
        "redirect": None,
        "page": {"title": "Bắc Kạn – Thái Nguyên hợp tác du lịch"},
    }


def test_no_redirect_to_a_page_readers_may_not_see(gql, news_index):
    hidden = {
        "draft": NewsPageFactory(parent=news_index, title="Nháp", live=False),
        "expired": NewsPageFactory(
            parent=news_index, expire_at=timezone.now() - datetime.timedelta(seconds=1)
        ),
        "login": NewsPageFactory(parent=news_index),
    }
    PageViewRestriction.objects.create(page=hidden["login"], restriction_type="login")
    for kind, page in hidden.items():
        Redirect.add_redirect(f"/cu/{kind}/", page)
        assert ask(gql, f"/cu/{kind}/")["redirect"] is None, kind


@pytest.mark.parametrize(
    "path", ["/khong-co/", "", "/", "/" + "a" * 5000, "/../../etc/passwd", "/?q=1", "/tin-tuc/%00/", "🙂"]
)
def test_any_path_answers_null_or_a_redirect_never_an_error(gql, article, path):
    assert ask(gql, path)["redirect"] is None


def test_a_redirect_costs_a_fixed_number_of_queries(gql, article, assert_data_queries):
    """
    The request's usual 4 (due schedules, site, restrictions, next expiry); for `redirect` the
    path's page, the redirect and its target; for `page` in the same query, the path's page. (The
    languages are in the shared cache since the article was published.)
    """
    Redirect.add_redirect("/chuyen-muc/du-lich/", article)
    Site.get_site_root_paths()  # in the shared cache, as after any earlier request of a running site
    with assert_data_queries(8):
        assert ask(gql, "/chuyen-muc/du-lich/")["redirect"] is not None
