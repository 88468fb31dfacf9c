"""
The review loop as a reporter and an editor live it (editorial/review.py): the editor's comment and
name where the reporter lands (the dashboard's "Bài cần sửa", the page's status panel), one way
forward in the footer after a send-back and while waiting, and confirmations that say what a
review action did.
"""

import datetime
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from editorial.roles import REPORTERS, TASK
from news.factories import NewsPageFactory
from testing.content import empty_inlines
from testing.users import ReviewDesk, desk_member

pytestmark = pytest.mark.django_db

TITLE = "Ba Bể đón đoàn doanh nghiệp Thái Nguyên"
COMMENT = "Cần nêu tên bản và ý kiến của người dân ở Pác Ngòi."


@pytest.fixture
def desk(news_index):
    return ReviewDesk()


@pytest.fixture
def news(desk, news_index):
    return NewsPageFactory(parent=news_index, title=TITLE, live=False, owner=desk.reporter)


@pytest.fixture
def sent_back(desk, news):
    """The page submitted by the reporter and sent back by the editor with COMMENT."""
    state = desk.submit(news)
    desk.decide(state, "reject", comment=COMMENT)
    state.refresh_from_db()
    assert state.status == "needs_changes"
    return state


TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def text(html):
    """What a reader reads of some HTML: no tags, scripts, templates or icons; spaces collapsed."""
    html = re.sub(r"<(script|template|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(TAG.sub(" ", html))).strip()


def element_from(html, marker):
    """`html` from the start of the element whose tag holds `marker` (an attribute)."""
    return html[html.rindex("<", 0, html.index(marker)) :]


def edit_page(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def status_panel(html):
    start = html.index('data-side-panel="status"')
    return html[start : html.index('data-side-panel="', start + 1)]


BUTTON = re.compile(r"<button\b([^>]*)>(.*?)</button>", re.S)


def footer_actions(html):
    """The page editor's footer: (its main button, the buttons in its menu), each (name, text)."""
    footer = html[html.index("<footer") : html.index("</footer>")]
    menu_start = footer.find('data-w-dropdown-target="content"')
    main_part = footer if menu_start < 0 else footer[: footer.index('data-controller="w-dropdown"')]

    def buttons(part):
        found = []
        for attributes, label in BUTTON.findall(part):
            if "w-dropdown__toggle" in attributes:
                continue
            name = re.search(r'name="([^"]+)"', attributes)
            found.append((name.group(1) if name else "", text(label)))
        return found

    [main] = buttons(main_part)
    return main, buttons(footer[menu_start:]) if menu_start >= 0 else []


def test_the_status_panel_shows_the_editors_comment_and_who_asked(client, desk, news, sent_back):
    panel = status_panel(edit_page(client, desk.reporter, news))
    notice = text(element_from(panel, "data-changes-requested"))
    assert notice.startswith(f"{desk.editor.username} yêu cầu sửa · ")
    assert COMMENT in notice
    # The details dialog names who asked for the changes, not who submitted the page.
    heading = re.search(r'w-dialog__message-heading">(.*?)</strong>', panel, re.S)
    assert heading is not None
    assert text(heading.group(1)).startswith("Đã yêu cầu sửa ")
    assert text(heading.group(1)).endswith(f"bởi {desk.editor.username}")


def test_the_status_panel_of_a_page_waiting_for_review_is_wagtails(client, desk, news):
    desk.submit(news)
    panel = status_panel(edit_page(client, desk.editor, news))
    assert "data-changes-requested" not in panel
    heading = re.search(r'w-dialog__message-heading">(.*?)</strong>', panel, re.S)
    assert text(heading.group(1)).endswith(f"bởi {desk.reporter.username}")  # who submitted it


def test_the_dashboard_lists_what_was_sent_back_with_the_comment(client, desk, news, sent_back):
    client.force_login(desk.reporter)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    panel = element_from(html, 'id="changes-requested-section"')
    panel = panel[: panel.index("</table>")]
    assert text(panel).startswith("Bài cần sửa")
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[news.pk])}"' in panel
    row = text(element_from(panel, f'data-changes-requested="{news.pk}"'))
    assert row.startswith(f"{TITLE} {desk.editor.username} yêu cầu sửa · ")
    assert COMMENT in row

    # Nobody else's dashboard lists it, and once resubmitted it is off the reporter's too.
    client.force_login(desk_member("phongvien2", REPORTERS))
    assert 'id="changes-requested-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    sent_back.resume(desk.reporter)
    client.force_login(desk.reporter)
    assert 'id="changes-requested-section"' not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_after_a_send_back_the_reporter_has_one_way_forward(client, desk, news, sent_back):
    main, menu = footer_actions(edit_page(client, desk.reporter, news))
    assert main == ("action-submit", "Gửi lại để duyệt")
    names = [name for name, _ in menu]
    assert "action-restart-workflow" not in names  # the same as resubmitting, in a one-step workflow
    assert "action-cancel-workflow" in names and names[-1] == "action-cancel-workflow"
    assert "Lưu bản nháp" in [label for _, label in menu]


def edit_form(news, title, intro, **extra):
    """The page editor's form for `news` as the browser posts it, with an action's fields."""
    return {
        "title": title,
        "slug": news.slug,
        "date": "2026-11-30",
        "author": "Hoàng Lan",
        "intro": intro,
        "tags": "",
        "body-count": "0",
        **empty_inlines(),
        **extra,
    }


def test_resubmitting_resumes_the_review(client, desk, news, sent_back):
    client.force_login(desk.reporter)
    form = edit_form(news, TITLE, "Đoàn khảo sát hồ Ba Bể và bản Pác Ngòi.", **{"action-submit": "1"})
    response = client.post(reverse("wagtailadmin_pages:edit", args=[news.pk]), form)
    assert response.status_code == 302
    sent_back.refresh_from_db()
    assert sent_back.status == "in_progress" and sent_back.current_task_state.task.name == TASK


def test_while_waiting_the_main_button_says_so(client, desk, news):
    desk.submit(news)
    main, menu = footer_actions(edit_page(client, desk.reporter, news))
    assert main == ("action-awaiting-review", f"Đang chờ {TASK}")
    assert [name for name, _ in menu] == ["action-cancel-workflow"]  # cancelling, in the menu only


def test_the_editors_footer_keeps_wagtails_order(client, desk, news, sent_back):
    main, menu = footer_actions(edit_page(client, desk.editor, news))
    assert main[1] == "Lưu bản nháp"
    assert ("action-submit", "Gửi lại để duyệt") in menu


def review_in_editor(client, desk, news, action, comment, **fields):
    """The editor's review action from the page editor's footer (its comment dialog's data)."""
    client.force_login(desk.editor)
    form = edit_form(
        news,
        news.title,
        news.intro,
        **{
            "action-workflow-action": "1",
            "workflow-action-name": action,
            "workflow-action-extra-data": json.dumps({"comment": comment}),
        },
        **fields,
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=[news.pk]), form, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    shown = element_from(html, 'class="messages"')
    return text(shown[: shown.index("</ul>")])


def test_the_editor_reads_that_the_page_went_back_to_the_reporter(client, desk, news):
    desk.submit(news)
    shown = review_in_editor(client, desk, news, "reject", COMMENT)
    assert shown == f"Đã gửi lại “{TITLE}” cho phóng viên {desk.reporter.username} để sửa."
    assert news.current_workflow_state.status == "needs_changes"


def test_the_editor_reads_that_the_page_was_approved_and_published(client, desk, news):
    desk.submit(news)
    shown = review_in_editor(client, desk, news, "approve", "Đạt.")
    assert shown == f"Đã duyệt và xuất bản “{TITLE}”."
    news.refresh_from_db()
    assert news.live


def test_the_editor_reads_when_an_approved_page_will_be_published(client, desk, news):
    go_live_at = timezone.now() + datetime.timedelta(days=2)
    news.go_live_at = go_live_at
    desk.submit(news)
    go_live = timezone.localtime(go_live_at).strftime("%d/%m/%Y %H:%M")  # as the date picker writes it
    shown = review_in_editor(client, desk, news, "approve", "", go_live_at=go_live)
    when = date_format(timezone.localtime(go_live_at).replace(second=0), "SHORT_DATETIME_FORMAT")
    assert shown == f"Đã duyệt “{TITLE}”; trang sẽ được xuất bản lúc {when}."
    news.refresh_from_db()
    assert not news.live
