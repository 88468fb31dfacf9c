"""
The admin's page form (publishing/forms.py), through the page editor's own requests: a free slug
while a page is not live (full saves and autosave), the slug's help text with the site's address,
and a draft that may be unfinished while submitting or publishing it names each field at fault.
"""

import json
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page

from editorial.roles import REPORTERS
from home.models import HomePage
from news.factories import NewsPageFactory
from news.models import NewsIndexPage, NewsPage
from publishing.forms import PageForm, free_slug
from testing.content import empty_inlines
from testing.users import desk_member

pytestmark = pytest.mark.django_db

TITLE = "Đồng Phúc nhận giống lúa mới"
SLUG = "dong-phuc-nhan-giong-lua-moi"
EMPTY_PARAGRAPH = json.dumps({"blocks": [], "entityMap": {}})


def paragraph(text):
    block = {"key": "a1b2c", "text": text, "type": "unstyled", "depth": 0}
    return json.dumps({"blocks": [{**block, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def news_form(slug=SLUG, blocks=()):
    """What the page editor posts for a news page; `blocks` as (type, value) pairs."""
    data = {
        "title": TITLE,
        "slug": slug,
        "date": "2026-11-30",
        "author": "Nguyễn Nga",
        "intro": "Giống lúa mới cho vụ xuân.",
        "tags": "",
        "body-count": str(len(blocks)),
        **empty_inlines(),
    }
    for index, (block_type, value) in enumerate(blocks):
        prefix = f"body-{index}"
        data |= {
            f"{prefix}-type": block_type,
            f"{prefix}-deleted": "",
            f"{prefix}-order": str(index),
            f"{prefix}-id": f"block-{index}",
        }
        if isinstance(value, dict):
            data |= {f"{prefix}-value-{name}": field for name, field in value.items()}
        else:
            data[f"{prefix}-value"] = value
    return data


@pytest.fixture
def reporter(news_index):
    return desk_member("phongvien", REPORTERS)


def add_url(news_index):
    return reverse("wagtailadmin_pages:add", args=["news", "newspage", news_index.pk])


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def error_messages(response):
    """The texts of the editor's error message: the headline and each line of its list."""
    html = response.content.decode()
    found = re.search(r'<li class="error">(.*?)</li>\s*</ul>', html, re.S)
    assert found, "no error message"
    parts = (
        re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", part))).strip()
        for part in re.split(r"<ul class=\"errorlist\">|<li>", found.group(1))
    )
    return [part for part in parts if part]


def test_every_page_type_uses_the_form():
    for model in (HomePage, NewsIndexPage, NewsPage):
        assert model.base_form_class is PageForm


def test_a_second_draft_with_the_same_title_gets_a_free_slug(client, reporter, news_index):
    NewsPageFactory(parent=news_index, title=TITLE, live=False, owner=reporter)
    client.force_login(reporter)
    response = client.post(add_url(news_index), news_form(), follow=True)
    second = NewsPage.objects.exclude(slug=SLUG).get(title=TITLE)
    assert second.slug == f"{SLUG}-2"
    html = unescape(response.content.decode())
    assert f"Đường dẫn rút gọn “{SLUG}” đã có trang khác ở đây dùng; trang này dùng “{SLUG}-2”." in html


def test_autosave_gets_a_free_slug_and_shows_it_in_the_form(client, reporter, news_index):
    NewsPageFactory(parent=news_index, title=TITLE, live=False, owner=reporter)
    client.force_login(reporter)
    response = client.post(add_url(news_index), news_form(), HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content  # not "Tự động lưu đang tạm dừng"
    body = response.json()
    assert body["success"] and body["field_updates"]["slug"] == f"{SLUG}-2"
    draft = Page.objects.get(pk=body["pk"])
    assert draft.slug == f"{SLUG}-2"

    # The next autosave of the same draft keeps its slug, whatever the browser had sent.
    response = client.post(edit_url(draft), news_form(slug=SLUG), HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert Page.objects.get(pk=draft.pk).slug == f"{SLUG}-2"
    response = client.post(edit_url(draft), news_form(slug=f"{SLUG}-2"), HTTP_ACCEPT="application/json")
    assert "slug" not in response.json()["field_updates"]


def test_a_live_page_never_gets_another_address_by_itself(client, news_index):
    NewsPageFactory(parent=news_index, title=TITLE)
    live = NewsPageFactory(parent=news_index, title="Tin khác", slug="tin-khac")
    admin = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(admin)
    response = client.post(edit_url(live), news_form(slug=SLUG))
    assert response.status_code == 200  # the form again, with the slug's error
    assert Page.objects.get(pk=live.pk).slug == "tin-khac"
    assert "slug" in response.context["form"].errors


def test_free_slug_stays_within_the_field(news_index):
    long_slug = "a" * 255
    NewsPageFactory(parent=news_index, title="Dài", slug=long_slug)
    page = NewsPage(title="Dài")
    picked = free_slug(long_slug, news_index, page, max_length=255)
    assert picked == "a" * 253 + "-2" and len(picked) == 255


def test_the_slug_help_text_shows_this_sites_address(client, reporter, news_index, settings):
    settings.FRONTEND_BASE_URL = "https://tin.backan.gov.vn/"
    client.force_login(reporter)
    html = unescape(client.get(add_url(news_index)).content.decode())
    assert "https://tin.backan.gov.vn/tin-tuc/[duong-dan]/" in html
    assert "domain.com" not in html


def test_a_draft_may_be_unfinished_but_submitting_it_names_the_field(client, reporter, news_index):
    client.force_login(reporter)
    blocks = [("paragraph", paragraph("Hợp tác xã nhận giống.")), ("paragraph", EMPTY_PARAGRAPH)]
    client.post(add_url(news_index), news_form(blocks=blocks))  # Lưu bản nháp: accepted
    draft = NewsPage.objects.get(slug=SLUG)
    assert draft.get_latest_revision() is not None

    response = client.post(edit_url(draft), {**news_form(blocks=blocks), "action-submit": "1"})
    assert response.status_code == 200
    assert draft.current_workflow_state is None  # not submitted
    headline, *lines = error_messages(response)
    assert headline == "Không thể lưu trang vì dữ liệu nhập không hợp lệ."
    assert lines == [
        "Nội dung: Khối 2 (Đoạn văn): Trường này là bắt buộc.",
        "Bản nháp được lưu cả khi chưa hoàn chỉnh; muốn gửi duyệt hay xuất bản thì cần sửa các trường "
        "nêu trên.",
    ]


def test_publishing_names_a_field_inside_a_block(client, news_index):
    admin = get_user_model().objects.create_superuser("quantri", password="mat-khau-dai-123")
    client.force_login(admin)
    blocks = [("quote", {"text": "", "attribution": "Ông Hoàng Văn A"})]
    response = client.post(add_url(news_index), {**news_form(blocks=blocks), "action-publish": "1"})
    assert response.status_code == 200
    assert not NewsPage.objects.filter(slug=SLUG).exists()
    headline, *lines = error_messages(response)
    assert headline == "Không thể tạo trang vì dữ liệu nhập không hợp lệ."
    assert lines[0] == "Nội dung: Khối 1 (Trích dẫn) – Trích dẫn: Trường này là bắt buộc."
