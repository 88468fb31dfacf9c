"""Scheduled publishing and expiry are honoured by GraphQL the moment they pass, without cron."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from news.factories import NewsPageFactory
from news.models import NewsPage

pytestmark = pytest.mark.django_db

LIST = "{ newsPages { items { title } pagination { total } } }"


def titles(gql):
    return [item["title"] for item in gql(LIST)["newsPages"]["items"]]


def test_a_scheduled_page_goes_live_at_its_time(news_index, gql):
    go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page = NewsPageFactory(parent=news_index, title="Tin hẹn giờ", live=False)
    page.go_live_at = go_live_at
    page.save_revision().publish()
    assert titles(gql) == []
    with time_machine.travel(go_live_at - datetime.timedelta(seconds=1), tick=False):
        assert titles(gql) == []
    with time_machine.travel(go_live_at + datetime.timedelta(seconds=1), tick=False):
        assert titles(gql) == ["Tin hẹn giờ"]
    page.refresh_from_db()
    assert page.live and not page.revisions.exclude(approved_go_live_at=None).exists()


def test_scheduled_changes_to_a_live_page_replace_it_at_their_time(news_index, gql):
    NewsPageFactory(parent=news_index, title="Tin cũ").save_revision().publish()
    page = NewsPage.objects.get(title="Tin cũ")  # as the editor would load it: with its live revision
    go_live_at = timezone.now() + datetime.timedelta(minutes=30)
    page.title, page.go_live_at = "Tin đã cập nhật", go_live_at
    page.save_revision().publish()
    assert titles(gql) == ["Tin cũ"]
    with time_machine.travel(go_live_at + datetime.timedelta(seconds=1), tick=False):
        assert titles(gql) == ["Tin đã cập nhật"]
    history = NewsPage.objects.get(pk=page.pk).revisions.order_by("created_at", "pk")
    assert [revision.content["title"] for revision in history] == ["Tin cũ", "Tin đã cập nhật"]


def test_a_page_disappears_the_moment_it_expires(news_index, gql):
    expire_at = timezone.now() + datetime.timedelta(hours=1)
    NewsPageFactory(parent=news_index, title="Tin có hạn", expire_at=expire_at)
    assert titles(gql) == ["Tin có hạn"]
    with time_machine.travel(expire_at - datetime.timedelta(seconds=1), tick=False):
        assert titles(gql) == ["Tin có hạn"]
    with time_machine.travel(expire_at, tick=False):
        assert titles(gql) == []


def test_nothing_scheduled_costs_no_query_once_known(news_index, gql, django_assert_num_queries):
    from publishing.scheduling import publish_due_revisions

    publish_due_revisions()
    with django_assert_num_queries(0):
        publish_due_revisions()


def test_the_cms_page_routes_follow_the_same_times(news_index, client):
    """Wagtail's own routes wait for `publish_scheduled`; ours do not, in either direction."""
    now = timezone.now()
    expiring = NewsPageFactory(
        parent=news_index, title="Tin hết hạn", expire_at=now + datetime.timedelta(hours=1)
    )
    scheduled = NewsPageFactory(parent=news_index, title="Tin sắp lên", live=False)
    scheduled.go_live_at = now + datetime.timedelta(hours=2)
    scheduled.save_revision().publish()
    expiring_url, scheduled_url = "/tin-tuc/tin-het-han/", "/tin-tuc/tin-sap-len/"
    assert client.get(expiring_url).status_code == 200
    assert "Tin hết hạn" in client.get(expiring_url).content.decode()
    assert client.get(scheduled_url).status_code == 404
    with time_machine.travel(expiring.expire_at, tick=False):
        assert client.get(expiring_url).status_code == 404
        assert "Tin hết hạn" not in client.get("/tin-tuc/").content.decode()
    with time_machine.travel(scheduled.go_live_at + datetime.timedelta(seconds=1), tick=False):
        response = client.get(scheduled_url)
        assert response.status_code == 200
        assert "Tin sắp lên" in response.content.decode()
