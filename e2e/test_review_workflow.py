"""
The newsroom's review workflow in the browser: a reporter writes a news page and submits it, and
while it waits the page says so; an editor finds it awaiting review, previews it, sends it back
with a comment and reads that it went back to the reporter; the reporter finds the editor's
comment and name on the dashboard ("Bài cần sửa") and in the page's status panel, revises, and
resubmits with the one button offered; the editor approves, which publishes it; GraphQL and the
reference frontend show it. Every screen is read for English (check_screen, as in
test_vietnamese_editor.py) and photographed (e2e/artifacts/test_a_news_page_goes_through_review/);
the editors' guide shows some of them (`guide=`, docs/images/review/).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from editorial.roles import EDITORS, REPORTERS
from news.models import NewsPage

from .screens import english_report, open_side_panel
from .steps import (
    add_block,
    desk_member,
    fill_news_header,
    graphql,
    open_block_picker,
    open_footer_menu,
    sign_in_as,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Ba Bể đón đoàn doanh nghiệp Thái Nguyên khảo sát du lịch"
SLUG = "ba-be-don-doan-doanh-nghiep-thai-nguyen-khao-sat-du-lich"
INTRO = "Đoàn khảo sát hồ Ba Bể và các bản du lịch cộng đồng."
PARAGRAPH = "Hai tỉnh bàn cách liên kết tour hồ Ba Bể với Thái Nguyên."
REVISED_INTRO = "Đoàn khảo sát hồ Ba Bể và bản Pác Ngòi, nơi người dân làm du lịch cộng đồng."
COMMENT = "Cần nêu tên bản và ý kiến của người dân ở Pác Ngòi."
WAITING = "Đang chờ Biên tập viên duyệt"


@pytest.fixture
def reporter(demo_content):
    return desk_member("phongvien", REPORTERS)


@pytest.fixture
def desk_editor(demo_content):
    return desk_member("bientap", EDITORS)


def footer_main_button(page):
    """The page editor's big footer button (the menu's other actions are behind its toggle)."""
    return page.locator("footer .w-dropdown-button > button, footer nav > button").first


def workflow_action(page, name, comment):
    """An action of the review task from the page editor's footer, with its comment dialog."""
    open_footer_menu(page)
    page.locator(f'footer button[data-workflow-action-name="{name}"][data-workflow-action-modal-url]').click()
    dialog = page.locator(".modal.fade.in, .modal[aria-hidden='false']").last
    expect(dialog.locator('textarea[name="comment"]')).to_be_visible()
    dialog.locator('textarea[name="comment"]').fill(comment)
    return dialog


def test_a_news_page_goes_through_review(
    page, check_screen, cms, frontend, demo_content, sectors, reporter, desk_editor
):
    # The reporter writes a news page under Tin tức.
    sign_in_as(page, cms, reporter)
    check_screen("reporter-dashboard")
    page.goto(f"{cms.url}/admin/pages/add/news/newspage/{demo_content.pk}/")
    fill_news_header(page, TITLE, SLUG, "Hoàng Lan", INTRO, sectors["du-lich"])
    block, _ = add_block(page, "paragraph", open_block_picker(page))
    block.locator('[contenteditable="true"][role="textbox"]').click()
    page.keyboard.type(PARAGRAPH)

    # The footer offers saving and submitting, never publishing.
    open_footer_menu(page)
    expect(page.locator('footer button[name="action-publish"]')).to_have_count(0)
    submit = page.locator('footer button[name="action-submit"]')
    expect(submit).to_be_visible()
    check_screen("reporter-submit-menu", guide="review/reporter-submit-menu")
    mail.outbox.clear()
    submit.click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
    news = NewsPage.objects.get(slug=SLUG)
    assert not news.live and news.current_workflow_state.status == "in_progress"
    assert any(desk_editor.email in message.to for message in mail.outbox)
    check_screen("reporter-submitted")

    # While it waits, the page says so; withdrawing it is in the menu, not the big button.
    page.goto(f"{cms.url}/admin/pages/{news.pk}/edit/")
    expect(footer_main_button(page)).to_have_text(WAITING)
    expect(footer_main_button(page)).to_be_disabled()
    open_footer_menu(page)
    expect(page.locator('footer button[name="action-cancel-workflow"]')).to_be_visible()
    check_screen("reporter-waiting", guide="review/reporter-waiting")

    # The editor finds it awaiting review on the dashboard and previews the submitted revision.
    sign_in_as(page, cms, desk_editor)
    awaiting = page.locator(f'a[href="/admin/pages/{news.pk}/edit/"]').first
    expect(awaiting).to_be_visible()
    check_screen("editor-awaiting-review", guide="review/editor-awaiting-review")
    awaiting.click()
    page.wait_for_url(f"{cms.url}/admin/pages/{news.pk}/edit/")
    open_side_panel(page, "preview")
    preview_panel = page.frame_locator('iframe#w-preview-iframe[data-w-preview-target="iframe"]')
    frontend_frame = preview_panel.frame_locator(f'iframe[src^="{frontend.url}/preview?"]')
    expect(frontend_frame.locator("h1")).to_have_text(TITLE)
    expect(frontend_frame.locator('[data-block="paragraph"]')).to_contain_text(PARAGRAPH)
    check_screen("editor-preview", guide="review/editor-preview")

    # Sent back with a comment: the editor reads where it went; the reporter is told by e-mail.
    mail.outbox.clear()
    dialog = workflow_action(page, "reject", COMMENT)
    check_screen("editor-reject-dialog", guide="review/editor-reject-dialog")
    dialog.locator('[type="submit"]').click()
    expect(page.locator(".messages .success")).to_have_text(
        f"Đã gửi lại “{TITLE}” cho phóng viên {reporter.username} để sửa."
    )
    news.refresh_from_db()
    assert news.current_workflow_state.status == "needs_changes"
    [notice] = [message for message in mail.outbox if reporter.email in message.to]
    assert notice.subject == f"Trang “{TITLE}” cần sửa: đã được gửi lại trong “Duyệt tin bài”."
    assert f"{desk_editor.username} đã gửi lại trang" in notice.body and COMMENT in notice.body
    check_screen("editor-rejected", guide="review/editor-rejected")

    # The reporter lands on the dashboard: what to change, who asked.
    sign_in_as(page, cms, reporter)
    sent_back = page.locator(f'#changes-requested-section [data-changes-requested="{news.pk}"]')
    expect(page.locator("#changes-requested-section [data-panel-heading]")).to_have_text("Bài cần sửa")
    expect(sent_back).to_contain_text(TITLE)
    expect(sent_back).to_contain_text(f"{desk_editor.username} yêu cầu sửa")
    expect(sent_back.locator("[data-changes-requested-comment]")).to_have_text(COMMENT)
    check_screen("reporter-changes-requested", guide="review/reporter-changes-requested")

    # The page's status panel says it too, under the status.
    sent_back.locator(f'a[href="/admin/pages/{news.pk}/edit/"]').click()
    page.wait_for_url(f"{cms.url}/admin/pages/{news.pk}/edit/")
    panel = open_side_panel(page, "status")
    notice = panel.locator("[data-changes-requested]")
    expect(notice.locator("[data-changes-requested-by]")).to_contain_text(
        f"{desk_editor.username} yêu cầu sửa"
    )
    expect(notice.locator("[data-changes-requested-comment]")).to_have_text(COMMENT)
    check_screen("reporter-sees-comment", guide="review/reporter-sees-comment")

    # One way forward: resubmit is the big button; saving and cancelling are in the menu.
    page.fill("#id_intro", REVISED_INTRO)
    resubmit = footer_main_button(page)
    expect(resubmit).to_have_attribute("name", "action-submit")
    expect(resubmit).to_have_text("Gửi lại để duyệt")
    open_footer_menu(page)
    expect(page.locator('footer button[name="action-restart-workflow"]')).to_have_count(0)
    expect(
        page.locator('footer [data-w-dropdown-target="content"] button[name="action-cancel-workflow"]')
    ).to_be_visible()
    expect(page.locator('footer [data-w-dropdown-target="content"] button.action-save')).to_be_visible()
    check_screen("reporter-resubmit-menu", guide="review/reporter-resubmit-menu")
    resubmit.click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
    news.refresh_from_db()
    assert news.current_workflow_state.status == "in_progress"

    # The editor approves, which publishes.
    sign_in_as(page, cms, desk_editor)
    page.goto(f"{cms.url}/admin/pages/{news.pk}/edit/")
    dialog = workflow_action(page, "approve", "Đạt, xuất bản.")
    check_screen("editor-approve-dialog", guide="review/editor-approve-dialog")
    dialog.locator('[type="submit"]').click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
    expect(page.locator(".messages .success")).to_have_text(f"Đã duyệt và xuất bản “{TITLE}”.")
    news.refresh_from_db()
    assert news.live and news.intro == REVISED_INTRO
    check_screen("editor-published")

    # Readers see it: GraphQL and the reference frontend.
    found = graphql(cms, "query($slug: String!) { newsPage(slug: $slug) { title intro } }", {"slug": SLUG})
    assert found["newsPage"] == {"title": TITLE, "intro": REVISED_INTRO}
    page.goto(f"{frontend.url}/tin-tuc/{SLUG}/")
    expect(page.locator("article.article h1")).to_have_text(TITLE)
    check_screen("frontend-published")

    assert not check_screen.found, "English on the review workflow's screens:\n" + english_report(
        check_screen.found
    )
    assert page.errors == []
