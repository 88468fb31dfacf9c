"""
The Wagtail admin fully in Vietnamese: an editor whose preferred language is Vietnamese creates,
previews, schedules and publishes a news page, and meets no English on the way.

At each screen (the block picker, the Draftail toolbar, the preview panel, the schedule dialog,
after publishing) the test reads what a reader of the screen reads: the rendered text of every
visible frame (`innerText`, which includes text kept for screen readers) and the `title`,
`aria-label` and `placeholder` of every visible element. Each line and attribute is searched for
common English admin words, as whole words, case-sensitively. Every screen is checked before the
test fails, and the failure lists every English text with its screen, its frame and its element;
each screen's texts are also written beside its screenshot (e2e/artifacts/<test>/NN-<screen>.txt).

Selectors never use the admin's wording: ids, names, data-* attributes and icons.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import expect
from wagtail.admin.models import EditingSession

from news.models import NewsPage

from .screens import english_report, open_side_panel, wait_until
from .steps import add_block, fill_news_header, log_in, open_block_picker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Đồng Phúc đón đoàn công tác Hà Nội: hỗ trợ giống lúa mới"
SLUG = "dong-phuc-don-doan-cong-tac-ha-noi-ho-tro-giong-lua-moi"
INTRO = "Đoàn công tác thăm ruộng lúa thử nghiệm ở xã Đồng Phúc, huyện Ba Bể."
PARAGRAPH = "Hợp tác xã nhận 300 triệu đồng hỗ trợ giống lúa từ thành phố Hà Nội."


def test_vietnamese_editor_creates_previews_schedules_and_publishes(
    page, shot, check_screen, cms, frontend, demo_content, sectors, news_image, editor
):
    log_in(page, cms, editor)
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # "Add child page" under Tin tức: a news page, the only type allowed there.
    page.goto(f"{cms.url}/admin/pages/{demo_content.pk}/")
    page.locator(f'a[href="/admin/pages/{demo_content.pk}/add_subpage/"]').first.click()
    page.wait_for_url(f"{cms.url}/admin/pages/add/news/newspage/{demo_content.pk}/")
    fill_news_header(page, TITLE, SLUG, "Nguyễn Nga", INTRO, sectors["nong-nghiep"])

    # The StreamField's block picker, open.
    options = open_block_picker(page)
    check_screen("block-picker")

    # A paragraph; its rich-text editor focused shows the Draftail toolbar.
    block, _ = add_block(page, "paragraph", options)
    editor_box = block.locator('[contenteditable="true"][role="textbox"]')
    editor_box.click()
    page.keyboard.type(PARAGRAPH)
    expect(editor_box).to_contain_text(PARAGRAPH)
    page.keyboard.press("Shift+Home")
    expect(block.locator(".Draftail-FloatingToolbar")).to_be_visible()
    check_screen("draftail-toolbar")
    # Its block-type menu ("/" or the "+" beside the editor): headings, lists, the body's blocks.
    block.locator(".Draftail-BlockToolbar__trigger").click()
    block_menu = block.locator(".Draftail-Tooltip [role=listbox]")
    expect(block_menu).to_be_visible()
    check_screen("draftail-block-menu")
    page.keyboard.press("Escape")
    expect(block_menu).to_be_hidden()

    # The preview panel: the page as edited, shown by the reference frontend.
    open_side_panel(page, "preview")
    preview_panel = page.frame_locator('iframe#w-preview-iframe[data-w-preview-target="iframe"]')
    frontend_frame = preview_panel.frame_locator(f'iframe[src^="{frontend.url}/preview?"]')
    expect(frontend_frame.locator("h1")).to_have_text(TITLE)
    expect(frontend_frame.locator('[data-block="paragraph"]')).to_contain_text(PARAGRAPH)
    check_screen("preview-panel")

    # The status side panel's schedule control opens the publishing schedule dialog: go live
    # tomorrow at 09:30 in Hà Nội time, written day first as the admin writes it.
    status_panel = open_side_panel(page, "status")
    status_panel.locator('[data-a11y-dialog-show="schedule-publishing-dialog"]').click()
    dialog = page.locator("#schedule-publishing-dialog")
    expect(dialog).to_be_visible()
    local_now = datetime.datetime.now(ZoneInfo(settings.TIME_ZONE))
    go_live_at = (local_now + datetime.timedelta(days=1)).replace(hour=9, minute=30, second=0, microsecond=0)
    go_live_text = go_live_at.strftime(settings.WAGTAIL_DATETIME_FORMAT)  # e.g. 29/11/2026 09:30
    go_live_input = dialog.locator('input[name="go_live_at"]')
    go_live_input.click()
    date_picker = page.locator(".xdsoft_datetimepicker:visible")
    expect(date_picker).to_have_count(1)
    check_screen("schedule-dialog-date-picker")
    go_live_input.fill(go_live_text)
    dialog.locator("#title-schedule-publishing-dialog").click()  # closes the date picker
    expect(date_picker).to_have_count(0)
    expect(go_live_input).to_have_value(go_live_text)
    check_screen("schedule-dialog")

    # Save the schedule: the form is saved as a draft, the editor lands on the page's edit view.
    dialog.locator("button.action-save").click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/\d+/edit/"))
    news = NewsPage.objects.get(slug=SLUG)
    assert not news.live
    assert news.get_latest_revision().as_object().go_live_at == go_live_at

    # Publish (in the footer's dropdown): with a go-live date, publishing schedules the page.
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator('footer button[name="action-publish"]').click()
    page.wait_for_url(f"{cms.url}/admin/pages/{demo_content.pk}/")
    expect(page.locator(".messages .success")).to_be_visible()
    check_screen("published")

    news.refresh_from_db()
    revision = news.get_latest_revision()
    assert not news.live, "scheduled for tomorrow, the page must not be live yet"
    assert revision.approved_go_live_at == go_live_at
    assert news.go_live_at == go_live_at

    # The page's status side panel shows the schedule.
    page.goto(f"{cms.url}/admin/pages/{news.pk}/edit/")
    status_panel = open_side_panel(page, "status")
    expect(status_panel.locator('use[href="#icon-calendar-check"]').first).to_be_visible()
    check_screen("scheduled-status")

    # Leave the editor while the live server still has its database: the edit view releases its
    # editing session as it unloads (a beacon the browser would otherwise send after the test).
    page.goto(f"{cms.url}/admin/pages/{demo_content.pk}/")
    wait_until(
        lambda: not EditingSession.objects.filter(user=editor).exists(), "the editing session released"
    )

    assert not check_screen.found, "English in the Vietnamese admin:\n" + english_report(check_screen.found)
    assert page.errors == []


def test_two_factor_sign_in_in_vietnamese(page, check_screen, cms, editor):
    """Setting up an authenticator app, then signing in with a code and with a recovery code."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code_from_phone():
        device = TOTPDevice.objects.get(user=editor)
        return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"

    log_in(page, cms, editor)
    page.goto(f"{cms.url}/admin/account/")
    page.locator("#tab-label-actions").click()  # "More actions"
    page.locator('#tab-actions a[href="/admin/two-factor/"]').click()
    check_screen("two-factor-off")
    page.locator('a[href="/admin/two-factor/setup/"]').click()
    expect(page.locator("[data-two-factor-qr] svg")).to_be_visible()
    check_screen("two-factor-setup")
    # The key stays inside its card, on a phone and on a desktop (the size the other screens use).
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        key, card = (
            page.locator(selector).bounding_box() for selector in ("[data-two-factor-secret]", "main#main")
        )
        assert key["x"] + key["width"] <= card["x"] + card["width"], (
            f"the key runs out of its card ({width} px)"
        )
    page.fill("#id_code", code_from_phone())
    page.locator("form.login-form [type=submit]").click()
    codes = page.locator("[data-two-factor-codes] code")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text()
    check_screen("two-factor-recovery-codes")

    # Signing in again: the password, then the code; a recovery code when the phone is away.
    page.context.clear_cookies()  # a new browser session
    log_in(page, cms, editor, lands_on="/admin/two-factor/verify/?next=%2Fadmin%2F")
    page.fill("#id_code", "000000")
    page.locator("form.login-form [type=submit]").click()
    expect(page.locator(".messages .error")).to_be_visible()
    check_screen("two-factor-wrong-code")
    page.wait_for_timeout(1100)  # the throttle after one wrong code
    page.fill("#id_code", recovery_code)
    page.locator("form.login-form [type=submit]").click()
    page.wait_for_url(f"{cms.url}/admin/two-factor/")
    check_screen("two-factor-on")
    page.goto(f"{cms.url}/admin/")
    expect(page.locator("#id_code")).to_have_count(0)

    assert not check_screen.found, "English in the Vietnamese admin:\n" + english_report(check_screen.found)
    assert page.errors == []
