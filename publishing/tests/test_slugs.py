import json
import re

import pytest
from wagtail.models import Page

from news.factories import NewsPageFactory
from news.models import NewsPage
from publishing.slugs import VIETNAMESE_SLUG_FORMATTERS, VietnameseSlugInput

TITLES = {
    "Đồng Phúc": "dong-phuc",
    "Tăng cường hợp tác phát triển các lĩnh vực phù hợp thế mạnh địa phương": (
        "tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong"
    ),
    "BẮC KẠN: Ngân hàng hỗ trợ 5,2 tỷ đồng xây trường": "bac-kan-ngan-hang-ho-tro-52-ty-dong-xay-truong",
    "Ưu đãi đầu tư ở Chợ Rã – Ba Bể": "uu-dai-dau-tu-o-cho-ra-ba-be",
    "Khu di tích Nà Tu, Cẩm Giàng": "khu-di-tich-na-tu-cam-giang",
    "Ươm ương ưỡn ợ ỹ Ỵ": "uom-uong-uon-o-y-y",
}


@pytest.mark.parametrize(("title", "slug"), TITLES.items())
def test_page_created_in_code_without_a_slug_gets_the_transliterated_title(news_index, title, slug):
    page = NewsPage(title=title, author="Nguyễn Nga")
    news_index.add_child(instance=page)
    assert Page.objects.get(pk=page.pk).slug == slug


def test_decomposed_input_is_transliterated_too(news_index):
    page = NewsPage(title="Ba Bể".replace("ể", "e\u0302\u0309"))
    news_index.add_child(instance=page)
    assert page.slug == "ba-be"


def test_duplicate_titles_get_distinct_slugs(news_index):
    first = NewsPageFactory(parent=news_index, title="Đồng Phúc")
    second = NewsPageFactory(parent=news_index, title="Đồng Phúc")
    assert (first.slug, second.slug) == ("dong-phuc", "dong-phuc-2")


def test_a_slug_the_editor_chose_is_kept(news_index):
    page = NewsPageFactory(parent=news_index, title="Đồng Phúc", slug="truong-dong-phuc")
    assert page.slug == "truong-dong-phuc"


def apply_admin_formatters(text):
    """What the admin's slug controller does with our formatters, then its ASCII urlify."""
    for pattern, replacement in VIETNAMESE_SLUG_FORMATTERS:
        text = re.sub(pattern, replacement, text)
    text = re.sub(r"[^A-Za-z0-9\s_-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


@pytest.mark.parametrize(("title", "slug"), TITLES.items())
def test_admin_slug_formatters_transliterate_like_the_server(title, slug):
    assert apply_admin_formatters(title) == slug


def test_admin_slug_fields_use_the_vietnamese_input(db):
    from wagtail.admin.panels import get_edit_handler

    form_class = get_edit_handler(NewsPage).get_form_class()
    widget = form_class.base_fields["slug"].widget
    assert isinstance(widget, VietnameseSlugInput)
    formatters = json.loads(widget.attrs["data-w-slug-formatters-value"])
    assert [["[đ]", "gu"], "d"] in formatters
    assert widget.attrs["data-w-slug-allow-unicode-value"] is False
