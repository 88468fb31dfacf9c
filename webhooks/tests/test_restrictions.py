"""
View restrictions hide pages and media without an unpublish: a page that becomes hidden is
reported like an unpublish, one shown again like a publish, and a page whose image or document
becomes hidden (or shown again) like a publish (docs/webhooks.md#view-restrictions).
"""

import json

import pytest
from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Collection, CollectionViewRestriction, Locale, PageViewRestriction
from wagtail_factories import DocumentFactory, ImageFactory

from news.factories import HomePageFactory, NewsIndexPageFactory, NewsPageFactory
from webhooks.models import WebhookDelivery


def live_news(parent, title, slug, **fields):
    page = NewsPageFactory(parent=parent, title=title, slug=slug, **fields)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def payloads(listener):
    return [json.loads(request["body"].decode("utf-8")) for request in listener.requests]


def sent(listener):
    """(event, page id, urlPath) of every request received, in order."""
    return [(payload["event"], payload["id"], payload["urlPath"]) for payload in payloads(listener)]


def as_unpublish_sends(page, url_path, locale="vi", event="page.unpublished"):
    """What an unpublish of `page` sends (webhooks.signals), timestamp aside."""
    return {
        "event": event,
        "type": "news.NewsPage",
        "id": page.pk,
        "slug": page.slug,
        "urlPath": url_path,
        "locale": locale,
    }


def forget(listener):
    """Start afresh: what setting up a test sent is not under test."""
    listener.requests.clear()
    WebhookDelivery.objects.all().delete()


def without_timestamp(payload):
    """The payload without what changes from run to run, or is tested elsewhere (its tags: test_purging)."""
    assert payload.pop("timestamp")
    assert f"page-{payload['id']}" in payload.pop("tags")
    return payload


@pytest.fixture
def section(news_index, listener):
    """ "Tin tức" with two live news pages, a draft, and a page with a restriction of its own."""
    pages = {
        "da-nang": live_news(news_index, "Đà Nẵng và Quảng Nam liên kết phát triển du lịch", "da-nang"),
        "yen-bai": live_news(news_index, "Hỗ trợ đồng bào vùng lũ Yên Bái", "yen-bai"),
        "noi-bo": live_news(news_index, "Tin nội bộ của tòa soạn", "noi-bo"),
        "nhap": NewsPageFactory(parent=news_index, title="Bản nháp: Bắc Kạn mở hội chợ", live=False),
    }
    PageViewRestriction.objects.create(page=pages["noi-bo"], restriction_type="login")
    forget(listener)
    return pages


def test_restricting_a_section_reports_each_page_it_hides_like_an_unpublish(
    news_index, section, listener, committed
):
    with committed():
        restriction = PageViewRestriction.objects.create(
            page=news_index, restriction_type="password", password="mật-khẩu-tòa-soạn"
        )
    # The draft was never shown, the page with its own restriction was already hidden.
    assert [without_timestamp(payload) for payload in payloads(listener)] == [
        as_unpublish_sends(section["da-nang"], "/tin-tuc/da-nang/"),
        as_unpublish_sends(section["yen-bai"], "/tin-tuc/yen-bai/"),
    ]
    assert [request["headers"]["X-Newsroom-Event"] for request in listener.requests] == [
        "page.unpublished",
        "page.unpublished",
    ]

    listener.requests.clear()
    with committed():
        restriction.delete()
    assert [without_timestamp(payload) for payload in payloads(listener)] == [
        as_unpublish_sends(section["da-nang"], "/tin-tuc/da-nang/", event="page.published"),
        as_unpublish_sends(section["yen-bai"], "/tin-tuc/yen-bai/", event="page.published"),
    ]


def test_a_restriction_on_the_site_root_hides_every_section_below_it(
    news_index, section, listener, committed
):
    with committed():
        PageViewRestriction.objects.create(page=news_index.get_parent(), restriction_type="login")
    assert sent(listener) == [
        ("page.unpublished", section["da-nang"].pk, "/tin-tuc/da-nang/"),
        ("page.unpublished", section["yen-bai"].pk, "/tin-tuc/yen-bai/"),
    ]


def test_a_restriction_that_changes_what_nobody_could_see_sends_nothing(
    news_index, section, listener, committed
):
    with committed():
        outer = PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    forget(listener)
    group = Group.objects.create(name="Ban biên tập nội bộ")
    with committed():
        # Below a hidden section, of another kind, for a group, removed while another remains.
        inner = PageViewRestriction.objects.create(page=section["da-nang"], restriction_type="login")
        outer.restriction_type, outer.password = "password", "mật-khẩu"
        outer.save()
        outer.restriction_type = "groups"
        outer.save()
        outer.groups.set([group])
        inner.delete()
        section["noi-bo"].view_restrictions.get().delete()
    assert listener.requests == []
    assert not WebhookDelivery.objects.exists()


def test_the_admin_privacy_modal_hides_and_shows_a_section(
    news_index, section, listener, admin_client_vi, committed
):
    """Wagtail's "Privacy" modal creates, changes and deletes the section's restriction."""
    group = Group.objects.create(name="Cộng tác viên nội bộ")
    url = f"/admin/pages/{news_index.pk}/privacy/"
    with committed():
        response = admin_client_vi.post(
            url, {"restriction_type": "password", "password": "mật-khẩu-tòa-soạn"}
        )
    assert response.status_code == 200
    assert PageViewRestriction.objects.filter(page=news_index).exists()
    assert sent(listener) == [
        ("page.unpublished", section["da-nang"].pk, "/tin-tuc/da-nang/"),
        ("page.unpublished", section["yen-bai"].pk, "/tin-tuc/yen-bai/"),
    ]

    listener.requests.clear()
    for change in ({"restriction_type": "groups", "groups": [group.pk]}, {"restriction_type": "login"}):
        with committed():
            assert admin_client_vi.post(url, change).status_code == 200
    assert listener.requests == []  # still hidden

    with committed():
        assert admin_client_vi.post(url, {"restriction_type": "none"}).status_code == 200
    assert not PageViewRestriction.objects.filter(page=news_index).exists()
    assert sent(listener) == [
        ("page.published", section["da-nang"].pk, "/tin-tuc/da-nang/"),
        ("page.published", section["yen-bai"].pk, "/tin-tuc/yen-bai/"),
    ]


def test_a_restriction_and_its_events_commit_together(
    news_index, section, listener, admin_client_vi, monkeypatch
):
    with pytest.raises(RuntimeError), transaction.atomic():
        PageViewRestriction.objects.create(page=news_index, restriction_type="login")
        raise RuntimeError("the editor's change failed")
    assert not WebhookDelivery.objects.exists()

    def broken(*args, **kwargs):
        raise RuntimeError("the delivery log could not be written")

    monkeypatch.setattr("webhooks.delivery.WebhookDelivery.objects.create", broken)
    admin_client_vi.raise_request_exception = False
    response = admin_client_vi.post(f"/admin/pages/{news_index.pk}/privacy/", {"restriction_type": "login"})
    assert response.status_code == 500
    assert not PageViewRestriction.objects.filter(page=news_index).exists()  # rolled back with it
    assert listener.requests == []


def test_a_hidden_page_is_never_announced_as_published(news_index, section, listener, committed):
    """Republishing (even with a new slug) a page under a password restriction sends nothing."""
    PageViewRestriction.objects.create(page=news_index, restriction_type="password", password="mật-khẩu")
    listener.requests.clear()
    page = section["da-nang"]
    page.title = "Đà Nẵng và Quảng Nam: thêm tuyến du lịch mới"
    with committed():
        page.save_revision().publish()
    page.refresh_from_db()
    page.slug = "da-nang-quang-nam"
    with committed():
        page.save_revision().publish()
    news_index.refresh_from_db()
    news_index.slug = "tin-noi-bo"  # a hidden section's new address is no news either
    with committed():
        news_index.save_revision().publish()
    assert listener.requests == []

    # A page with a restriction of its own, in a public section: the same.
    PageViewRestriction.objects.filter(page=news_index).delete()
    listener.requests.clear()
    with committed():
        section["noi-bo"].save_revision().publish()
    assert listener.requests == []


def english_section(news_index):
    """The English home page and news index (/en/news/), published."""
    english = Locale.objects.get(language_code="en")
    news_index.get_parent().specific.copy_for_translation(english).save_revision().publish()
    index_en = news_index.copy_for_translation(english)
    index_en.slug = "news"
    index_en.save_revision().publish()
    return index_en


def translate(page, title, slug):
    translation = page.copy_for_translation(Locale.objects.get(language_code="en"))
    translation.title, translation.slug = title, slug
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


def test_english_pages_are_reported_with_their_language_and_address(news_index, section, listener, committed):
    index_en = english_section(news_index)
    translation = translate(
        section["da-nang"], "Da Nang and Quang Nam link up for tourism", "da-nang-tourism"
    )
    listener.requests.clear()

    with committed():
        restriction = PageViewRestriction.objects.create(page=index_en, restriction_type="login")
    [payload] = payloads(listener)
    assert without_timestamp(payload) == as_unpublish_sends(translation, "/en/news/da-nang-tourism/", "en")

    listener.requests.clear()
    with committed():
        translation.save_revision().publish()  # hidden: nothing
        restriction.delete()
    assert sent(listener) == [("page.published", translation.pk, "/en/news/da-nang-tourism/")]
    assert payloads(listener)[0]["locale"] == "en"


def test_a_page_moved_into_a_hidden_section_is_reported_like_an_unpublish(
    news_index, section, listener, committed
):
    archive = NewsIndexPageFactory(parent=news_index.get_parent(), title="Lưu trữ nội bộ", slug="luu-tru")
    PageViewRestriction.objects.create(page=archive, restriction_type="login")
    page = section["yen-bai"]
    listener.requests.clear()
    with committed():
        page.move(archive, pos="last-child")
    # At the address readers knew, like an unpublish.
    [payload] = payloads(listener)
    assert without_timestamp(payload) == as_unpublish_sends(page, "/tin-tuc/yen-bai/")

    listener.requests.clear()
    other_archive = NewsIndexPageFactory(parent=news_index.get_parent(), title="Kho cũ", slug="kho-cu")
    PageViewRestriction.objects.create(page=other_archive, restriction_type="login")
    with committed():
        page.refresh_from_db()
        page.move(other_archive, pos="last-child")  # from hidden to hidden
        section["noi-bo"].refresh_from_db()
        archive.refresh_from_db()
        section["noi-bo"].move(archive, pos="last-child")  # its own restriction goes with it
    assert listener.requests == []

    with committed():
        page.refresh_from_db()
        news_index.refresh_from_db()
        page.move(news_index, pos="last-child")
    assert sent(listener) == [("page.published", page.pk, "/tin-tuc/yen-bai/")]


def test_a_section_moved_below_a_restricted_page_hides_its_pages(news_index, section, listener, committed):
    root = news_index.get_parent().get_parent()
    other_home = HomePageFactory(parent=root, title="Trang nội bộ", slug="trang-noi-bo")
    PageViewRestriction.objects.create(page=other_home, restriction_type="login")
    listener.requests.clear()
    with committed():
        news_index.move(other_home, pos="last-child")
    assert sent(listener) == [
        ("page.unpublished", section["da-nang"].pk, "/tin-tuc/da-nang/"),
        ("page.unpublished", section["yen-bai"].pk, "/tin-tuc/yen-bai/"),
    ]


def test_deleting_a_hidden_section_announces_nothing_as_published(news_index, section, listener, committed):
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    listener.requests.clear()
    with committed():
        news_index.refresh_from_db()
        news_index.delete()
    assert "page.published" not in [event for event, *_ in sent(listener)]
    assert {event for event, *_ in sent(listener)} <= {"page.deleted"}


@pytest.fixture
def media(news_index, listener):
    """Pages showing images and documents of the collection "Ảnh nội bộ" (and its child), and others."""
    root = Collection.get_first_root_node()
    internal = root.add_child(name="Ảnh nội bộ")
    child = internal.add_child(name="Ảnh nội bộ: hội nghị")
    hero = ImageFactory(
        title="Lễ ký kết Bắc Kạn – Hà Nội", collection=internal, file__filename="le-ky-ket.jpg"
    )
    in_body = ImageFactory(title="Hội nghị xúc tiến đầu tư", collection=child, file__filename="hoi-nghi.jpg")
    public = ImageFactory(title="Ruộng bậc thang Mù Cang Chải", file__filename="ruong.jpg")
    report = DocumentFactory(title="Báo cáo tổng kết", collection=internal, file__filename="bao-cao.txt")
    link = f'<p>Xem <a linktype="document" id="{report.pk}">báo cáo</a>.</p>'
    pages = {
        "hero": live_news(news_index, "Bắc Kạn và Hà Nội ký kết hợp tác", "ky-ket", hero_image=hero),
        "body": live_news(
            news_index,
            "Hội nghị xúc tiến đầu tư vào Đồng Tháp",
            "hoi-nghi",
            body=[("image", {"image": in_body, "caption": "Toàn cảnh hội nghị", "credit": "Ảnh: TTXVN"})],
        ),
        "document": live_news(news_index, "Tổng kết năm hợp tác", "tong-ket", body=[("paragraph", link)]),
        "public": live_news(news_index, "Mùa lúa chín ở Mù Cang Chải", "mua-lua", hero_image=public),
        "draft": NewsPageFactory(parent=news_index, title="Bản nháp có ảnh", hero_image=hero, live=False),
    }
    forget(listener)
    return {"internal": internal, "hero": hero, "in_body": in_body, "pages": pages}


def test_a_collection_restriction_reports_the_pages_showing_its_images_as_changed(
    media, listener, admin_client_vi, committed
):
    """The pages stay public; what they show changed (their answers lose the images), as an edit."""
    pages = media["pages"]
    expected = [
        ("page.published", pages["hero"].pk, "/tin-tuc/ky-ket/"),
        ("page.published", pages["body"].pk, "/tin-tuc/hoi-nghi/"),
        ("page.published", pages["document"].pk, "/tin-tuc/tong-ket/"),
    ]
    english_section(media["pages"]["hero"].get_parent())
    hero_en = translate(pages["hero"], "Bac Kan and Hanoi sign a cooperation agreement", "signing")
    expected.append(("page.published", hero_en.pk, "/en/news/signing/"))  # in tree order
    forget(listener)
    url = f"/admin/collections/{media['internal'].pk}/privacy/"
    with committed():
        response = admin_client_vi.post(url, {"restriction_type": "password", "password": "mật-khẩu-ảnh"})
    assert response.status_code == 200
    assert CollectionViewRestriction.objects.filter(collection=media["internal"]).exists()
    assert sent(listener) == expected
    assert [payload["locale"] for payload in payloads(listener)] == ["vi", "vi", "vi", "en"]

    listener.requests.clear()
    with committed():
        assert admin_client_vi.post(url, {"restriction_type": "login"}).status_code == 200
    assert listener.requests == []  # still hidden

    with committed():
        assert admin_client_vi.post(url, {"restriction_type": "none"}).status_code == 200
    assert sent(listener) == expected  # shown again


def test_an_image_moved_into_a_restricted_collection_reports_its_pages(
    media, listener, admin_client_vi, committed
):
    secret = Collection.get_first_root_node().add_child(name="Lưu trữ mật")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    assert listener.requests == []  # nothing of it is shown anywhere
    hero = media["hero"]
    with committed():
        hero.collection = secret
        hero.save()
    assert sent(listener) == [("page.published", media["pages"]["hero"].pk, "/tin-tuc/ky-ket/")]

    # The admin's bulk action "Add to collection" writes the images' rows in one UPDATE.
    listener.requests.clear()
    with committed():
        response = admin_client_vi.post(
            f"/admin/bulk/wagtailimages/image/add_to_collection/?id={media['in_body'].pk}",
            {"collection": secret.pk},
        )
    assert response.status_code == 302
    media["in_body"].refresh_from_db()
    assert media["in_body"].collection_id == secret.pk
    assert sent(listener) == [("page.published", media["pages"]["body"].pk, "/tin-tuc/hoi-nghi/")]

    listener.requests.clear()
    with committed():
        hero.title = "Lễ ký kết (ảnh đã sửa)"
        hero.save()  # hidden before and after
        hero.collection = Collection.get_first_root_node()
        hero.save()  # shown again
    assert sent(listener) == [("page.published", media["pages"]["hero"].pk, "/tin-tuc/ky-ket/")]


def test_pages_of_a_hidden_section_are_not_reported_for_their_images(news_index, media, listener, committed):
    PageViewRestriction.objects.create(page=news_index, restriction_type="login")
    listener.requests.clear()
    with committed():
        CollectionViewRestriction.objects.create(collection=media["internal"], restriction_type="login")
    assert listener.requests == []
