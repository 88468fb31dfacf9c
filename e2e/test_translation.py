"""
An English edition in the browser: an editor, in the Vietnamese admin, translates a live
Vietnamese news page into English ("Dịch"), writes the English text, previews it in the reference
frontend and publishes it; readers then switch between the two languages on the frontend. Every
admin screen is read for English (check_screen) and photographed
(e2e/artifacts/test_an_editor_publishes_an_english_translation/).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect
from wagtail.models import Locale

from editorial.roles import EDITORS
from news.factories import NewsPageFactory
from news.models import NewsPage

from .screens import english_report, open_side_panel
from .steps import desk_member, graphql, open_footer_menu, sign_in_as

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Ba Bể mở rộng du lịch cộng đồng"
ENGLISH_TITLE = "Ba Be expands community tourism"
ENGLISH_SLUG = "ba-be-expands-community-tourism"
ENGLISH_INTRO = "Villages around Ba Be Lake welcome more visitors with help from Hanoi."


@pytest.fixture
def article(demo_content, sectors):
    return NewsPageFactory(
        parent=demo_content,
        title=TITLE,
        slug="ba-be-mo-rong-du-lich-cong-dong",
        intro="Các bản quanh hồ Ba Bể đón thêm khách nhờ hỗ trợ của Hà Nội.",
        date=datetime.date(2026, 11, 28),
        sectors=[sectors["du-lich"]],
    )


def test_an_editor_publishes_an_english_translation(page, check_screen, shot, cms, frontend, article):
    editor = desk_member("bientap", EDITORS)
    sign_in_as(page, cms, editor)

    # "Dịch" (Translate) from the page's actions, English chosen.
    page.goto(f"{cms.url}/admin/pages/{article.pk}/edit/")
    translate = page.locator(f'a[href="/admin/translation/submit/page/{article.pk}/"]')
    if not translate.is_visible():
        page.locator("header [data-w-dropdown-target='toggle']").first.click()
    expect(translate).to_be_visible()
    check_screen("page-actions")
    translate.click()
    english = Locale.objects.get(language_code="en")
    page.check(f'input[name="locales"][value="{english.pk}"]')
    check_screen("translate-form")
    page.locator("main form [type=submit]").click()

    # Wagtail made an English draft in the English tree and opened it in the editor.
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/\d+/edit/"))
    translation = NewsPage.objects.get(translation_key=article.translation_key, locale=english)
    assert not translation.live and translation.get_parent().slug == "news"
    check_screen("english-draft")
    # A draft never published: its slug follows the title as it is typed, as for a new page.
    page.fill("#id_title", "")
    page.locator("#id_title").press_sequentially(ENGLISH_TITLE)
    expect(page.locator("#id_slug")).to_have_value(ENGLISH_SLUG)
    page.fill("#id_intro", ENGLISH_INTRO)

    # The preview shows the English draft in the frontend, in English.
    open_side_panel(page, "preview")
    preview_panel = page.frame_locator('iframe#w-preview-iframe[data-w-preview-target="iframe"]')
    frontend_frame = preview_panel.frame_locator(f'iframe[src^="{frontend.url}/preview?"]')
    expect(frontend_frame.locator("h1")).to_have_text(ENGLISH_TITLE)
    expect(frontend_frame.locator("html")).to_have_attribute("lang", "en")
    expect(frontend_frame.locator(".byline time")).to_have_text("28 November 2026")
    shot("english-preview")  # English content: not read for English

    # Published, it is what readers of the English edition see.
    open_footer_menu(page)
    page.locator('footer button[name="action-publish"]').click()
    page.wait_for_url(
        f"{cms.url}/admin/pages/{translation.get_parent().pk}/"
    )  # the section, as after any publish
    translation.refresh_from_db()
    assert (translation.live, translation.title, translation.slug) == (True, ENGLISH_TITLE, ENGLISH_SLUG)
    shot("english-published")  # English content: not read for English
    query = (
        'query ($s: String!) { newsPage(slug: $s, locale: "en") { title locale translations { locale } } }'
    )
    found = graphql(cms, query, {"s": ENGLISH_SLUG})
    assert found["newsPage"] == {"title": ENGLISH_TITLE, "locale": "en", "translations": [{"locale": "vi"}]}

    # Readers switch languages on the article.
    page.goto(f"{frontend.url}/tin-tuc/{article.slug}/")
    expect(page.locator("article.article h1")).to_have_text(TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    page.locator('.languages a[hreflang="en"]').click()
    page.wait_for_url(f"{frontend.url}/en/news/{ENGLISH_SLUG}/")
    expect(page.locator("article.article h1")).to_have_text(ENGLISH_TITLE)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".article-header .sectors li")).to_have_text(["Tourism"])
    expect(page.locator(".byline time")).to_have_text("28 November 2026")
    expect(page.locator('link[rel="alternate"][hreflang="vi"]')).to_have_attribute(
        "href", f"{frontend.url}/tin-tuc/{article.slug}/"
    )
    shot("frontend-english")  # English content: not read for English
    page.locator('.languages a[hreflang="vi"]').click()
    page.wait_for_url(f"{frontend.url}/tin-tuc/{article.slug}/")
    expect(page.locator(".byline time")).to_have_text("28/11/2026")

    # The English news list, with its sector filter in English.
    page.goto(f"{frontend.url}/en/")
    expect(page.locator(".news-item h2 a", has_text=ENGLISH_TITLE)).to_have_count(1)
    expect(page.locator('label[for="sector"]')).to_have_text("Cooperation sector")
    shot("frontend-english-list")  # English content: not read for English

    assert not check_screen.found, "English on the translation's admin screens:\n" + english_report(
        check_screen.found
    )
    assert page.errors == []


def test_the_english_edition_is_english_from_title_to_tags(page, shot, cms, frontend, demo_content):
    """The frame (site title, skip link, footer, the window's title) follows the page's language,
    and the English demo article has English tags, which lead to the English news with them."""
    english = NewsPage.objects.get(locale__language_code="en")
    page.goto(f"{frontend.url}{english.url}")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    expect(page.locator(".site-title")).to_have_text("Local Cooperation News")
    expect(page.locator(".site-title")).to_have_attribute("href", "/en/")
    expect(page.locator(".skip-link")).to_have_text("Skip to the main content")
    expect(page.locator(".site-footer")).to_contain_text("Reference frontend of the news CMS")
    expect(page.locator(".site-footer code")).to_have_text("frontend/")
    expect(page).to_have_title(f"{english.title} — Local Cooperation News")
    tags = page.locator("article.article .tags li")
    expect(tags).to_have_text(["#Bac Kan province", "#Hanoi", "#cooperation"])
    shot("frontend-english-frame")  # English content: not read for English
    tags.filter(has_text="#Hanoi").locator("a").click()
    page.wait_for_url(f"{frontend.url}/en/?tag=hanoi")
    expect(page.locator(".news-item h2 a")).to_have_text([english.title])
    expect(page.locator(".site-footer")).to_contain_text("plain HTML and JavaScript")

    # The Vietnamese edition keeps its own frame and tags.
    vietnamese = NewsPage.objects.get(locale__language_code="vi")
    page.goto(f"{frontend.url}{vietnamese.url}")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    expect(page.locator(".site-title")).to_have_text("Tin hợp tác địa phương")
    expect(page.locator(".site-footer")).to_contain_text("Giao diện tham khảo của CMS tin tức")
    expect(page).to_have_title(f"{vietnamese.title} — Tin hợp tác địa phương")
    expect(page.locator("article.article .tags li")).to_have_text(["#Bắc Kạn", "#Hà Nội", "#hợp tác"])
    assert page.errors == []
