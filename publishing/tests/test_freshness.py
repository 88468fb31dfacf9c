"""
Freshness (publishing/freshness.py). What every request needs and rarely changes — the sites, the
restricted sections and collections — is kept in each process until the content version moves
(kept_in_process_until_content_changes), and read again as soon as it does.
"""

import pytest
from django.test import RequestFactory
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from news.factories import HomePageFactory, NewsPageFactory
from publishing import freshness
from publishing.scope import request_scope
from publishing.visibility import restricted_collection_ids, site_for, visible


def host(name):
    return RequestFactory().get("/", HTTP_HOST=name)


@pytest.mark.django_db
def test_a_new_site_is_found_once_it_is_committed(news_index, committed):
    default = site_for(host("tin.example"))
    assert default.hostname == "localhost"  # no site of that name: the default one
    other_home = HomePageFactory(parent=news_index.get_parent().get_parent(), title="Trang khác")
    with committed():
        Site.objects.create(hostname="tin.example", root_page=other_home)
    with request_scope(host("tin.example")):
        assert site_for(host("tin.example")).root_page_id == other_home.pk
    assert site_for(host("localhost")) == default


@pytest.mark.django_db
def test_a_new_restriction_hides_its_section_at_once(news_index, committed):
    NewsPageFactory(parent=news_index, title="Tin công khai")
    assert visible(news_index.get_children()).count() == 1
    with committed():
        PageViewRestriction.objects.create(page=news_index, restriction_type="password", password="bí-mật")
    assert visible(news_index.get_children()).count() == 0


@pytest.mark.django_db
def test_a_new_collection_restriction_is_seen_at_once(db, committed):
    collection = Collection.get_first_root_node().add_child(name="Ảnh nội bộ")
    assert collection.pk not in restricted_collection_ids()
    with committed():
        CollectionViewRestriction.objects.create(
            collection=collection, restriction_type="password", password="x"
        )
    assert collection.pk in restricted_collection_ids()


def test_nothing_is_kept_while_the_cache_cannot_give_a_version(monkeypatch):
    monkeypatch.setattr(freshness, "content_version", lambda: freshness.UNKNOWN_VERSION)
    computed = []
    for _ in range(3):
        freshness.kept_in_process_until_content_changes("test-unknown", lambda: computed.append(1))
    assert len(computed) == 3


def test_what_is_kept_is_read_again_after_a_minute(monkeypatch):
    monkeypatch.setattr(freshness, "content_version", lambda: "v1")
    now = [1000.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: now[0])
    computed = []
    freshness.kept_in_process_until_content_changes("test-minute", lambda: computed.append(1))
    freshness.kept_in_process_until_content_changes("test-minute", lambda: computed.append(1))
    now[0] += freshness.IN_PROCESS_SECONDS + 1
    freshness.kept_in_process_until_content_changes("test-minute", lambda: computed.append(1))
    assert len(computed) == 2
