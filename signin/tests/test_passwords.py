"""
Page and collection passwords (signin/passwords.py): Wagtail's password forms with the sign-in's
limit. After LOGIN_FAILURE_LIMIT wrong passwords one address (an IPv6 client's /64) is refused at
that restriction, the right password too; other addresses and other restrictions are not.
"""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from news.factories import NewsPageFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Mật khẩu bài viết 2026"
LIMIT = 5
TOO_MANY = "Nhập sai mật khẩu quá nhiều lần"


@pytest.fixture
def protected_page(news_index):
    page = NewsPageFactory(parent=news_index, title="Bài viết có mật khẩu về Bắc Kạn")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type="password", password=PASSWORD
    )
    return page, reverse("wagtailcore_authenticate_with_password", args=[restriction.id, page.id])


def enter(url, password, address="203.0.113.7", return_url="/"):
    return Client().post(url, {"password": password, "return_url": return_url}, REMOTE_ADDR=address)


def test_the_right_password_opens_the_page(protected_page):
    page, url = protected_page
    reader = Client()
    response = reader.post(url, {"password": PASSWORD, "return_url": page.url}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    assert "Bài viết có mật khẩu" in reader.get(page.url, REMOTE_ADDR="203.0.113.7").content.decode()


def test_guessing_a_page_password_is_stopped_at_the_limit(protected_page):
    _, url = protected_page
    statuses = [enter(url, f"đoán-{n}").status_code for n in range(40)]
    assert statuses == [200] * (LIMIT - 1) + [429] * (40 - LIMIT + 1)
    response = enter(url, PASSWORD)
    assert response.status_code == 429 and TOO_MANY in response.content.decode()
    assert 'name="password"' in response.content.decode()  # the form, for later
    assert enter(url, PASSWORD, address="198.51.100.2").status_code == 302  # another reader


def test_an_ipv6_reader_is_its_whole_64(protected_page):
    _, url = protected_page
    for n in range(LIMIT):
        enter(url, "sai", address=f"2001:db8:1:2::{n + 1:x}")
    assert enter(url, PASSWORD, address="2001:db8:1:2:abcd::9").status_code == 429
    assert enter(url, PASSWORD, address="2001:db8:1:3::1").status_code == 302


def test_the_limit_is_per_restriction(protected_page, news_index):
    _, url = protected_page
    other = NewsPageFactory(parent=news_index, title="Bài khác")
    other_restriction = PageViewRestriction.objects.create(
        page=other, restriction_type="password", password=PASSWORD
    )
    for _ in range(LIMIT):
        enter(url, "sai")
    other_url = reverse("wagtailcore_authenticate_with_password", args=[other_restriction.id, other.id])
    assert enter(other_url, PASSWORD).status_code == 302


def test_the_english_edition_form_is_limited_too(protected_page):
    _, url = protected_page
    english = f"/en{url}"
    for _ in range(LIMIT):
        enter(english, "sai")
    assert enter(url, PASSWORD).status_code == 429


def test_guessing_a_collection_password_is_stopped_at_the_limit(db):
    collection = Collection.get_first_root_node().add_child(name="Hồ sơ mật")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection, restriction_type="password", password=PASSWORD
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.id])
    statuses = [enter(url, f"đoán-{n}").status_code for n in range(LIMIT + 2)]
    assert statuses == [200] * (LIMIT - 1) + [429] * 3
    assert enter(url, PASSWORD).status_code == 429
    assert enter(url, PASSWORD, address="198.51.100.3").status_code == 302
