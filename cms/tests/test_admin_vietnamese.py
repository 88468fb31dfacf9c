"""The admin an editor meets is Vietnamese: no English in the most visible places."""

import datetime
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django import forms
from django.conf import settings
from django.utils import translation
from wagtail.users.models import UserProfile

from news.factories import CooperationSectorFactory, NewsPageFactory
from testing.users import works_in

CATALOGS = Path(settings.BASE_DIR) / "locale" / "wagtail"
# The most visible English strings of the explorer, the page editor, the snippet listing and the
# menus, with what an editor should read instead.
VISIBLE = {
    "Save draft": "Lưu bản nháp",
    "Publish": "Xuất bản",
    "Preview": "Xem trước",
    "Add child page": "Thêm trang con",
    "Dashboard": "Bảng điều khiển",
    "Pages": "Trang",
    "Images": "Ảnh",
    "Documents": "Tài liệu",
    "Snippets": "Nội dung dùng chung",
    "Reports": "Báo cáo",
    "Settings": "Cài đặt",
    "Help": "Trợ giúp",
    "Search": "Tìm kiếm",
    "Edit": "Sửa",
    "Delete": "Xóa",
    "Unpublish": "Hủy xuất bản",
    "History": "Lịch sử",
    "Status": "Trạng thái",
    "Title": "Tiêu đề",
    "Updated": "Cập nhật",
    "Sort menu order": None,
    "Add": "Thêm",
    "Content": "Nội dung",
    "Promote": None,
    "Comments": "Bình luận",
    "Live": None,
    "Draft": "Bản nháp",
    "Choose an image": None,
    "Choose a page": None,
    "Schedule publishing": None,
    "Account": "Tài khoản",
    "Log out": "Đăng xuất",
    "Password": "Mật khẩu",
    "Username": "Tên đăng nhập",
    "Sectors": None,
    "News": None,
    "Actions": "Thao tác",  # an aria-label Wagtail hard-codes (cms/templates overrides it)
    "Root": "Gốc",  # the tree's root page, named by Wagtail's first migration
    "A comma-separated list of tags.": "Danh sách thẻ, cách nhau bằng dấu phẩy.",  # django-taggit
}


class VisibleText(HTMLParser):
    """Text nodes and the attributes people read (title, aria-label, placeholder, alt)."""

    def __init__(self):
        super().__init__()
        self.texts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("title", "aria-label", "placeholder", "alt") and value:
                self.texts.append(value.strip())

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def menu_labels(node):
    """The sidebar is drawn by JavaScript from JSON props: its labels are text editors read too."""
    if isinstance(node, dict):
        own = [node["label"]] if isinstance(node.get("label"), str) else []
        return own + [label for value in node.values() for label in menu_labels(value)]
    if isinstance(node, list):
        return [label for value in node for label in menu_labels(value)]
    return []


def visible_texts(html):
    parser = VisibleText()
    parser.feed(html)
    sidebar = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    labels = menu_labels(json.loads(sidebar.group(1))) if sidebar else []
    return set(parser.texts) | set(labels)


@pytest.fixture
def editor(editor, client):
    """The shared editor (testing/fixtures.py), working in Vietnamese, signed in."""
    client.force_login(works_in(editor, "vi"))
    return editor


@pytest.fixture
def screens(client, editor, news_index):
    CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep")
    page = NewsPageFactory(parent=news_index, title="Đồng Phúc: hỗ trợ 1 tỷ đồng")
    page.save_revision().publish()
    urls = {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{news_index.pk}/",
        "page editor": f"/admin/pages/{page.pk}/edit/",
        "new page": f"/admin/pages/add/news/newspage/{news_index.pk}/",
        "sector snippets": "/admin/snippets/news/cooperationsector/",
        "image library": "/admin/images/",
        "page history": f"/admin/pages/{page.pk}/history/",
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[name] = response.content.decode()
    return pages


def test_the_most_visible_screens_have_no_english_left(screens):
    found = {
        name: sorted(text for text in visible_texts(html) if text in VISIBLE)
        for name, html in screens.items()
    }
    assert {name: texts for name, texts in found.items() if texts} == {}


def test_the_page_editor_speaks_vietnamese(screens):
    texts = "\n".join(visible_texts(screens["page editor"]))
    for vietnamese in ("Lưu bản nháp", "Xuất bản", "Xem trước", "Hủy xuất bản", "Trang", "Ảnh", "Tài liệu"):
        assert vietnamese in texts, vietnamese
    # The publishing schedule dialog, which the editor keeps ready in the page.
    for vietnamese in ("Thời điểm xuất bản", "Thời điểm hết hạn", "Đặt lịch"):
        assert vietnamese in texts, vietnamese


def js_catalog(client):
    response = client.get("/admin/jsi18n/")
    assert response.status_code == 200
    match = re.search(r"const newcatalog = (\{.*?\});", response.content.decode(), re.S)
    return json.loads(match.group(1))


def test_the_javascript_catalog_carries_our_translations(client, editor):
    """Wagtail serves wagtail.admin's djangojs catalog; Django merges ours in from LOCALE_PATHS."""
    catalog = js_catalog(client)
    ours = polib.pofile(str(CATALOGS / "admin" / "vi" / "LC_MESSAGES" / "djangojs.po"))
    singular = [entry for entry in ours.translated_entries() if not entry.msgid_plural and not entry.msgctxt]
    assert singular
    for entry in singular:
        assert catalog.get(entry.msgid) == entry.msgstr, entry.msgid
    # StreamField, Draftail and the choosers (all JavaScript) included.
    for english in ("Add a comment", "Duplicate", "Move up", "Loading…"):
        if english in {entry.msgid for entry in singular}:
            assert catalog[english] != english


def test_the_login_page_is_vietnamese(client, db):
    texts = visible_texts(client.get("/admin/login/").content.decode())
    assert {"Tên đăng nhập", "Mật khẩu"} <= {text.rstrip("*") for text in texts}
    assert not {"Username", "Password", "Sign in", "Remember me"} & texts


def test_time_since_is_vietnamese(editor, news_index, client):
    """Django's own Vietnamese predates its "%(num)d minute" strings: locale/django completes it."""
    from django.utils.timesince import timesince

    with translation.override("vi"):
        moment = datetime.datetime(2026, 11, 28, 9, 0, tzinfo=datetime.UTC)
        assert timesince(moment, moment + datetime.timedelta(minutes=3)) == "3\xa0phút"
        assert timesince(moment, moment + datetime.timedelta(days=2, hours=5)) == "2\xa0ngày, 5\xa0giờ"


def test_english_stays_available(client, editor):
    profile = UserProfile.get_for_user(editor)
    profile.preferred_language = "en"
    profile.save()
    texts = visible_texts(client.get("/admin/").content.decode())
    assert "Dashboard" in texts or "Pages" in texts


def test_dates_are_written_and_read_day_first(editor, news_index):
    from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

    class Form(forms.Form):
        day = forms.DateField(widget=AdminDateInput)
        moment = forms.DateTimeField(widget=AdminDateTimeInput)

    for language in ("vi", "en"):
        with translation.override(language):
            form = Form({"day": "05/03/2026", "moment": "05/03/2026 09:30"})
            assert form.is_valid(), form.errors
            assert form.cleaned_data["day"] == datetime.date(2026, 3, 5)  # 5 March, never 3 May
            assert form.cleaned_data["moment"].date() == datetime.date(2026, 3, 5)
            rendered = str(Form(initial={"day": datetime.date(2026, 11, 28)})["day"])
            assert 'value="28/11/2026"' in rendered


@pytest.mark.django_db
def test_permission_names_are_vietnamese_after_migrating():
    """Django writes them in English; cms/admin_labels.py rewrites them after every migrate."""
    from django.contrib.auth.models import Permission
    from django.core.management import call_command

    def name(codename):
        return Permission.objects.get(codename=codename).name

    assert name("add_group") == "Có thể thêm nhóm"
    assert name("change_cooperationsector") == "Có thể sửa lĩnh vực hợp tác"
    assert name("publish_page") == "Xuất bản mọi trang"
    assert name("delete_lockout") == "Có thể xoá khóa đăng nhập"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    Permission.objects.filter(codename="add_group").update(name="Can add group")  # as Django writes it
    call_command("migrate", verbosity=0)
    assert name("add_group") == "Có thể thêm nhóm"


@pytest.mark.django_db
def test_the_root_collection_and_the_group_editor_say_it_in_vietnamese(client, editor):
    from django.contrib.auth.models import Group
    from wagtail.models import Collection

    assert Collection.get_first_root_node().name == "Gốc"
    client.force_login(editor)
    page = client.get(f"/admin/groups/edit/{Group.objects.get(name='Phóng viên').pk}/").content.decode()
    assert ">Trang<" in page or "Trang*" in page or 'for="id_page_permissions-0-page"' in page
    assert "Can add" not in page and ">Page<" not in page and ">Root<" not in page


@pytest.mark.django_db
def test_yes_and_no_in_listings_are_words(client, editor):
    client.force_login(editor)
    page = client.get("/admin/users/").content.decode()
    assert ">True<" not in page and "Có" in page
