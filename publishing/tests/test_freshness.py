"""
Freshness (publishing/freshness.py). What every request needs and rarely changes — the sites, the
restricted sections and collections — is kept in each process until the content version moves
(kept_in_process_until_content_changes), and read again as soon as it does. The receivers that
move it are connected once, and each works out what its change affects.
"""

import pytest
from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.test import RequestFactory
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail_factories import ImageFactory

from news.factories import CooperationSectorFactory, HomePageFactory, NewsPageFactory
from publishing import freshness
from publishing.freshness import Affected
from publishing.scope import request_scope
from publishing.signals import content_changed
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


SIGNALS = (
    post_save, post_delete, m2m_changed, page_published, page_unpublished, post_page_move, content_changed,
)  # fmt: skip


def freshness_receivers():
    """(signal, dispatch uid) of every receiver connected under freshness's names."""
    return [
        (signal, lookup_key[0])
        for signal in SIGNALS
        for lookup_key, *_ in signal.receivers
        if str(lookup_key[0]).startswith("freshness-")
    ]


def test_the_receivers_are_connected_once():
    connected = freshness_receivers()
    assert len(connected) == 13
    assert len(set(connected)) == len(connected)
    apps.get_app_config("publishing").ready()
    apps.get_app_config("publishing").ready()
    assert freshness_receivers() == connected


@pytest.fixture
def affected(monkeypatch):
    """What each change was worked out to affect, in order (the version is bumped all the same)."""
    seen = []
    bump = freshness.bump_content_version

    def recording(what, tags=None):
        seen.append(what)
        bump(what, tags)

    monkeypatch.setattr(freshness, "bump_content_version", recording)
    return seen


@pytest.mark.django_db
def test_each_receiver_works_out_what_its_change_affects(news_index, affected):
    page = NewsPageFactory(parent=news_index, title="Tin mới")
    affected.clear()
    page.save_revision().publish()
    assert Affected("subtree", page.path) in affected

    image = ImageFactory()
    assert affected[-1] == Affected("new", ("wagtailimages.Image", image.pk))
    image.title = "Ảnh khác"
    image.save()
    assert affected[-1] == Affected("media", ("image", image.pk))

    sector = CooperationSectorFactory(name="Thương mại", slug="thuong-mai")
    assert affected[-1] == freshness.EVERYTHING

    page_pk = page.pk
    affected.clear()
    page.delete()
    assert Affected("page", page_pk) in affected
    sector.delete()
    assert affected[-1] == freshness.EVERYTHING
