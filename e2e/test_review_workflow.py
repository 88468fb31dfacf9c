"""
The newsroom's review workflow in the browser: a reporter writes a news page and submits it; an
editor finds it awaiting review, previews it, sends it back with a comment; the reporter revises
and submits again; the editor approves, which publishes it; GraphQL and the reference frontend
show it. Every screen is read for English (check_screen, as in test_vietnamese_editor.py) and
photographed (e2e/artifacts/test_a_news_page_goes_through_review/).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from editorial.roles import EDITORS, REPORTERS
from news.models import NewsPage

from .conftest import (
    add_block,
    desk_member,
    fill_news_header,
    graphql,
    open_block_picker,
    open_footer_menu,
    sign_in_as,
)
from .screens import english_report, open_side_panel

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Ba Bể đón đoàn doanh nghiệp Thái Nguyên khảo sát du lịch"
SLUG = "ba-be-don-doan-doanh-nghiep-thai-nguyen-khao-sat-du-lich"
INTRO = "Đoàn khảo sát hồ Ba Bể và các bản du lịch cộng đồng."
PARAGRAPH = "Hai tỉnh bàn cách liên kết tour hồ Ba Bể với Thái Nguyên."
REVISED_INTRO = "Đoàn khảo sát hồ Ba Bể và bản Pác Ngòi, nơi người dân làm du lịch cộng đồng."
COMMENT = "Cần nêu tên bản và ý kiến của người dân ở Pác Ngòi."


@pytest.fixture
def reporter(demo_content):
    return desk_member("phongvien", REPORTERS)


@pytest.fixture
def desk_editor(demo_content):
    return desk_member("bientap", EDITORS)


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
    check_screen("reporter-submit-menu")
    mail.outbox.clear()
    submit.click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
    news = NewsPage.objects.get(slug=SLUG)
    assert not news.live and news.current_workflow_state.status == "in_progress"
    assert any(desk_editor.email in message.to for message in mail.outbox)
    check_screen("reporter-submitted")

    # The editor finds it awaiting review on the dashboard and previews the submitted revision.
    sign_in_as(page, cms, desk_editor)
    awaiting = page.locator(f'a[href="/admin/pages/{news.pk}/edit/"]').first
    expect(awaiting).to_be_visible()
    check_screen("editor-awaiting-review")
    awaiting.click()
    page.wait_for_url(f"{cms.url}/admin/pages/{news.pk}/edit/")
    open_side_panel(page, "preview")
    preview_panel = page.frame_locator('iframe#w-preview-iframe[data-w-preview-target="iframe"]')
    frontend_frame = preview_panel.frame_locator(f'iframe[src^="{frontend.url}/preview?"]')
    expect(frontend_frame.locator("h1")).to_have_text(TITLE)
    expect(frontend_frame.locator('[data-block="paragraph"]')).to_contain_text(PARAGRAPH)
    check_screen("editor-preview")

    # Sent back with a comment: the reporter is told by e-mail, in Vietnamese.
    mail.outbox.clear()
    dialog = workflow_action(page, "reject", COMMENT)
    check_screen("editor-reject-dialog")
    dialog.locator('[type="submit"]').click()
    expect(page.locator(".messages .success, .messages li").first).to_be_visible()
    news.refresh_from_db()
    assert news.current_workflow_state is None or news.current_workflow_state.status == "needs_changes"
    [notice] = [message for message in mail.outbox if reporter.email in message.to]
    assert "bị từ chối" in notice.subject and COMMENT in notice.body
    check_screen("editor-rejected")

    # The reporter revises and submits again.
    sign_in_as(page, cms, reporter)
    page.goto(f"{cms.url}/admin/pages/{news.pk}/edit/")
    expect(page.get_by_text(COMMENT).first).to_be_attached()
    open_side_panel(page, "status")
    check_screen("reporter-sees-comment")
    page.fill("#id_intro", REVISED_INTRO)
    open_footer_menu(page)
    page.locator(
        'footer button[name="action-submit"], footer button[name="action-restart-workflow"]'
    ).first.click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
    news.refresh_from_db()
    assert news.current_workflow_state.status == "in_progress"

    # The editor approves, which publishes.
    sign_in_as(page, cms, desk_editor)
    page.goto(f"{cms.url}/admin/pages/{news.pk}/edit/")
    dialog = workflow_action(page, "approve", "Đạt, xuất bản.")
    check_screen("editor-approve-dialog")
    dialog.locator('[type="submit"]').click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/{demo_content.pk}/"))
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
