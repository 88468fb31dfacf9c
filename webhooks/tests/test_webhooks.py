import hashlib
import hmac
import io
import json
import socket
import threading
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from news.factories import CooperationSectorFactory, NewsIndexPageFactory, NewsPageFactory
from publishing.cache_tags import page_change_tags
from testing.services import WEBHOOK_SECRET, free_port, wait_for
from webhooks import delivery as webhooks
from webhooks.checks import webhook_settings
from webhooks.models import WebhookDelivery


def closed_port_url():
    return f"http://127.0.0.1:{free_port()}/down"


def publish(page):
    page.save_revision().publish()


def test_publishing_a_news_page_posts_a_signed_event(news_index, listener, committed):
    page = NewsPageFactory(
        parent=news_index, title="Đồng Phúc: hỗ trợ 1 tỷ đồng", slug="dong-phuc", live=False
    )
    with committed():
        publish(page)

    [request] = listener.requests
    payload = json.loads(request["body"].decode("utf-8"))
    assert payload == {
        "event": "page.published",
        "type": "news.NewsPage",
        "id": page.pk,
        "slug": "dong-phuc",
        "urlPath": "/tin-tuc/dong-phuc/",
        "locale": "vi",
        "tags": page_change_tags(page),  # what its going live purged: its lists too (test_purging)
        "timestamp": payload["timestamp"],
    }
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Newsroom-Event"] == "page.published"
    signed = f"{headers['X-Newsroom-Timestamp']}.".encode() + request["body"]
    expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Newsroom-Signature"], expected)

    delivery = WebhookDelivery.objects.get()
    assert str(delivery.uuid) == headers["X-Newsroom-Delivery"]
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)
    assert delivery.delivered_at is not None


def test_unpublish_move_and_delete_are_reported(news_index, listener, committed):
    page = NewsPageFactory(parent=news_index, slug="hop-tac")
    other_index = NewsIndexPageFactory(parent=news_index.get_parent(), title="Lưu trữ", slug="luu-tru")
    with committed():
        publish(page)
        page.refresh_from_db()
        page.unpublish()
        page.refresh_from_db()
        page.move(other_index, pos="last-child")
        page.refresh_from_db()
        page.delete()

    assert listener.events() == ["page.published", "page.unpublished", "page.moved", "page.deleted"]
    moved = json.loads(listener.requests[2]["body"])
    assert (moved["urlPath"], moved["previousUrlPath"]) == ("/luu-tru/hop-tac/", "/tin-tuc/hop-tac/")
    deleted = json.loads(listener.requests[3]["body"])
    assert (deleted["id"], deleted["urlPath"]) == (page.pk, "/luu-tru/hop-tac/")


def test_sector_changes_are_reported(db, listener, committed):
    with committed():
        sector = CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep")
        sector.name = "Nông nghiệp công nghệ cao"
        sector.save()
        sector.delete()
    assert listener.events() == ["sector.created", "sector.updated", "sector.deleted"]
    payload = json.loads(listener.requests[0]["body"])
    assert (payload["type"], payload["slug"], payload["urlPath"]) == (
        "news.CooperationSector",
        "nong-nghiep",
        None,
    )


def test_nothing_is_sent_or_recorded_for_a_rolled_back_change(news_index, listener, committed):
    page = NewsPageFactory(parent=news_index)
    with committed():
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(page)
            raise RuntimeError("the editor's save failed")
    assert listener.requests == []
    assert not WebhookDelivery.objects.exists()


def test_without_targets_nothing_is_recorded(news_index, committed, settings):
    settings.WEBHOOK_URLS = []
    with committed():
        publish(NewsPageFactory(parent=news_index))
    assert not WebhookDelivery.objects.exists()


def test_draft_saves_and_other_page_types_are_not_reported(news_index, listener, committed):
    with committed():
        NewsPageFactory(parent=news_index).save_revision()
        publish(news_index)
    assert listener.requests == []


def test_a_target_that_is_down_is_retried_with_backoff_then_given_up(news_index, settings, committed):
    settings.WEBHOOK_URLS = [closed_port_url()]
    settings.WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.WEBHOOK_RETRY_DELAYS = [10, 60]
    with committed():
        publish(NewsPageFactory(parent=news_index))  # the save succeeds although the target is down

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, None)
    assert "Connection refused" in delivery.last_error or "URLError" in delivery.last_error
    assert timedelta(seconds=9) < delivery.next_attempt_at - timezone.now() <= timedelta(seconds=10)

    assert webhooks.deliver_due() == []  # not due yet
    with time_machine.travel(timezone.now() + timedelta(seconds=11)):
        call_command("deliver_webhooks", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    with time_machine.travel(timezone.now() + timedelta(seconds=72)):
        [attempted] = webhooks.deliver_due()
    assert (attempted.status, attempted.attempts) == ("failed", 3)


def test_an_error_answer_is_retried_until_it_succeeds(news_index, listener, committed):
    listener.statuses = [500, 302]  # a redirect is not followed: a failure too
    with committed():
        publish(NewsPageFactory(parent=news_index))
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("pending", 500)
    assert delivery.last_error.startswith("HTTP 500")
    for minutes in (1, 3):
        with time_machine.travel(timezone.now() + timedelta(minutes=minutes)):
            webhooks.deliver_due()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 3, 204)
    assert len({request["headers"]["X-Newsroom-Delivery"] for request in listener.requests}) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_editor_never_waits_for_the_target(news_index, listener, settings):
    """Background delivery: the publish returns while the target is still holding the request."""
    settings.WEBHOOK_ASYNC = True
    page = NewsPageFactory(parent=news_index)
    listener.release.clear()  # the target hangs until released
    publish(page)  # returns: the POST waits in a background thread
    assert listener.requests == []
    listener.release.set()
    assert wait_for(lambda: len(listener.requests) == 1)
    assert wait_for(lambda: WebhookDelivery.objects.get().status == "delivered")
    assert listener.events() == ["page.published"]


def test_two_servers_attempting_the_same_delivery_send_it_once(news_index, listener, settings):
    settings.WEBHOOK_RETRY_DELAYS = [10]
    [delivery] = webhooks.emit("page.published", "news.NewsPage", 1, slug="x", urlPath="/x/")
    assert webhooks.deliver(delivery.pk) is not None
    assert webhooks.deliver(delivery.pk) is None  # already delivered (or claimed): nothing sent
    assert len(listener.requests) == 1


def test_settings_are_checked(settings):
    settings.WEBHOOK_URLS = ["https://www.example.org/api/revalidate"]
    settings.WEBHOOK_SECRET = ""
    assert [problem.id for problem in webhook_settings(None)] == ["webhooks.E001"]
    settings.WEBHOOK_SECRET = "short"
    assert [problem.id for problem in webhook_settings(None)] == ["webhooks.W001"]
    settings.WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.WEBHOOK_URLS = ["ftp://example.org/"]
    assert [problem.id for problem in webhook_settings(None)] == ["webhooks.E002"]


def test_the_delivery_log_is_in_the_admin_with_a_retry_button(
    news_index, admin_client_vi, settings, committed
):
    settings.WEBHOOK_URLS = [closed_port_url()]
    settings.WEBHOOK_SECRET = WEBHOOK_SECRET
    with committed():
        publish(NewsPageFactory(parent=news_index))
    delivery = WebhookDelivery.objects.get()

    html = admin_client_vi.get("/admin/webhook_deliveries/").content.decode()
    assert "page.published" in html and settings.WEBHOOK_URLS[0] in html
    assert f"/admin/webhook_deliveries/retry/{delivery.pk}/" in html
    assert "/admin/webhook_deliveries/new/" not in html  # a log: nothing to add
    inspect = admin_client_vi.get(f"/admin/webhook_deliveries/inspect/{delivery.pk}/")
    assert inspect.status_code == 200 and delivery.last_error in inspect.content.decode()
    assert admin_client_vi.get(f"/admin/webhook_deliveries/edit/{delivery.pk}/").status_code in (
        302,
        403,
        404,
    )

    with committed():
        response = admin_client_vi.post(f"/admin/webhook_deliveries/retry/{delivery.pk}/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.attempts == 2  # attempted again at once


def test_a_delivered_event_is_never_sent_again(news_index, admin_client_vi, listener, committed):
    with committed():
        publish(NewsPageFactory(parent=news_index))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.DELIVERED and listener.events() == ["page.published"]

    index = admin_client_vi.get("/admin/webhook_deliveries/").content.decode()
    assert f"/admin/webhook_deliveries/retry/{delivery.pk}/" not in index
    for method in (admin_client_vi.get, admin_client_vi.post):
        with committed():
            response = method(f"/admin/webhook_deliveries/retry/{delivery.pk}/", follow=True)
        assert "đã được gửi thành công rồi" in response.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.DELIVERED, 1)
    assert listener.events() == ["page.published"]
    assert webhooks.retry(delivery) is False


def test_a_scheduled_page_is_announced_when_it_goes_live(news_index, listener, committed, client):
    go_live_at = timezone.now() + timedelta(hours=1)
    page = NewsPageFactory(parent=news_index, title="Tin hẹn giờ", slug="tin-hen-gio", live=False)
    page.go_live_at = go_live_at
    with committed():
        publish(page)
    assert listener.events() == [] and not WebhookDelivery.objects.exists()
    with time_machine.travel(go_live_at + timedelta(seconds=1), tick=False), committed():
        client.get("/graphql/?query={sectors{slug}}")  # the first request after its time publishes it
    assert listener.events() == ["page.published"]
    assert json.loads(listener.requests[0]["body"])["urlPath"] == "/tin-tuc/tin-hen-gio/"


def test_editors_without_the_permission_see_no_log(news_index, client, db):
    user = get_user_model().objects.create_user("phong-vien", password="mat-khau-dai-123")
    client.force_login(user)
    assert client.get("/admin/webhook_deliveries/").status_code in (302, 403)


def test_deleting_a_live_page_is_one_event(news_index, listener, committed):
    page = NewsPageFactory(parent=news_index, slug="se-xoa")
    with committed():
        publish(page)
    with committed():
        page.refresh_from_db()
        page.delete()
    assert listener.events() == ["page.published", "page.deleted"]


def test_a_new_slug_reports_the_old_address(news_index, listener, committed):
    page = NewsPageFactory(parent=news_index, slug="ten-cu")
    with committed():
        publish(page)
    page.refresh_from_db()
    page.slug = "ten-moi"
    with committed():
        publish(page)
    renamed = json.loads(listener.requests[1]["body"])
    assert (renamed["event"], renamed["urlPath"], renamed["previousUrlPath"]) == (
        "page.published",
        "/tin-tuc/ten-moi/",
        "/tin-tuc/ten-cu/",
    )
    # A renamed news index moves every news page in it.
    news_index.slug = "tin-hop-tac"
    with committed():
        publish(news_index)
    moved = json.loads(listener.requests[2]["body"])
    assert (moved["event"], moved["type"], moved["urlPath"], moved["previousUrlPath"]) == (
        "page.moved",
        "news.NewsIndexPage",
        "/tin-hop-tac/",
        "/tin-tuc/",
    )


def test_a_garbled_answer_is_a_failed_attempt_not_a_stuck_delivery(news_index, settings, committed):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def garble():
        connection, _ = server.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HELLO THERE\r\n\r\n")

    threading.Thread(target=garble, daemon=True).start()
    settings.WEBHOOK_URLS = [f"http://127.0.0.1:{server.getsockname()[1]}/"]
    settings.WEBHOOK_SECRET = WEBHOOK_SECRET
    try:
        with committed():
            publish(NewsPageFactory(parent=news_index))
    finally:
        server.close()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "BadStatusLine" in delivery.last_error or "RemoteDisconnected" in delivery.last_error
    assert delivery.next_attempt_at - timezone.now() <= timedelta(seconds=10)  # not left claimed


def test_an_attempt_that_outlived_its_claim_records_nothing(news_index, listener, settings, monkeypatch):
    [delivery] = webhooks.emit("page.published", "news.NewsPage", 1, slug="x", urlPath="/x/")
    real_post = webhooks.post

    def slow_post(row):
        # Meanwhile the claim expired and another process claimed the delivery again.
        WebhookDelivery.objects.filter(pk=row.pk).update(
            next_attempt_at=timezone.now() + timedelta(minutes=5)
        )
        return real_post(row)

    monkeypatch.setattr(webhooks, "post", slow_post)
    assert webhooks.deliver(delivery.pk) is None
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)  # the other process records its own


def test_an_admin_action_and_its_deliveries_commit_together(news_index, client, listener, monkeypatch):
    """ATOMIC_REQUESTS: when recording the webhook fails, the editor's unpublish does not happen."""
    page = NewsPageFactory(parent=news_index)
    publish(page)
    user = get_user_model().objects.create_superuser("bien-tap", password="mat-khau-dai-123")
    client.force_login(user)
    client.raise_request_exception = False

    def broken(*args, **kwargs):
        raise RuntimeError("the delivery log could not be written")

    monkeypatch.setattr("webhooks.delivery.WebhookDelivery.objects.create", broken)
    response = client.post(f"/admin/pages/{page.pk}/unpublish/")
    assert response.status_code == 500
    page.refresh_from_db()
    assert page.live  # rolled back with the failed delivery record


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_attempt_is_retried_in_the_background(news_index, listener, settings):
    settings.WEBHOOK_ASYNC = True
    settings.WEBHOOK_RETRY_DELAYS = [0.2, 0.2]
    listener.statuses = [503]
    publish(NewsPageFactory(parent=news_index))
    assert wait_for(lambda: len(listener.requests) == 2)
    assert wait_for(lambda: WebhookDelivery.objects.get().status == "delivered")
    assert WebhookDelivery.objects.get().attempts == 2


def test_an_english_page_is_announced_with_its_language_and_english_address(news_index, listener, committed):
    from wagtail.models import Locale

    english = Locale.objects.get(language_code="en")
    news_index.get_parent().specific.copy_for_translation(english).save_revision().publish()
    index_en = news_index.copy_for_translation(english)
    index_en.slug = "news"
    index_en.save_revision().publish()
    page = NewsPageFactory(parent=news_index, slug="dong-phuc")
    translation = page.copy_for_translation(english)
    translation.slug = "dong-phuc-school"
    listener.requests.clear()
    with committed():
        translation.save_revision().publish()
    [request] = listener.requests
    payload = json.loads(request["body"].decode("utf-8"))
    assert (payload["event"], payload["urlPath"], payload["locale"]) == (
        "page.published",
        "/en/news/dong-phuc-school/",
        "en",
    )
