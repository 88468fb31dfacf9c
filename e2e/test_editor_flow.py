"""
An editor writes a news page in the Vietnamese admin, previews the draft through the reference
frontend, publishes it; GraphQL and the frontend then serve it.

Selectors never use the admin's wording (it is being translated): ids, names, data-* attributes
and the block types' icons from news/blocks.py.
"""

import re

import pytest
from playwright.sync_api import expect

from .steps import add_block, graphql, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Hợp tác nông nghiệp giữa Bắc Kạn và Hà Nội: đổi mới"
SLUG = "hop-tac-nong-nghiep-giua-bac-kan-va-ha-noi-doi-moi"
PARAGRAPH = "Huyện Ba Bể đưa giống lúa mới từ Hà Nội về trồng thử trên 30 ha ruộng."
CAPTION = "Ruộng lúa thử nghiệm ở xã Đồng Phúc"
FIGURES_TITLE = "Con số"
FIGURES = [("300 triệu đồng", "hỗ trợ giống lúa"), ("3 tỷ đồng", "hỗ trợ xây dựng nhà nội trú")]

PUBLISHED_PAGE = """
query ($slug: String!) {
  newsPage(slug: $slug) {
    title slug urlPath
    sectors { slug }
    body {
      field
      ... on RichTextBlock { value }
      ... on ImageBlock { caption image { title srcSet(sizes: [320, 640]) } }
      ... on KeyFiguresBlock { title figures { value label } }
    }
  }
}
"""


def test_editor_writes_previews_and_publishes_a_news_page(
    page, shot, cms, frontend, demo_content, sectors, news_image, editor
):
    chosen_sectors = [sectors["nong-nghiep"], sectors["giao-duc"]]

    # Log in through the admin's form; the editor's admin is in Vietnamese.
    log_in(page, cms, editor, shot)
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # "Tin tức" in the page explorer, then "add child page": a news page, the only type allowed.
    page.goto(f"{cms.url}/admin/pages/{demo_content.pk}/")
    expect(page.locator("h1")).to_contain_text("Tin tức")
    shot("news-index")
    page.locator(f'a[href="/admin/pages/{demo_content.pk}/add_subpage/"]').first.click()
    page.wait_for_url(f"{cms.url}/admin/pages/add/news/newspage/{demo_content.pk}/")

    # The title, typed: the slug follows it, transliterated to ASCII.
    page.locator("#id_title").press_sequentially(TITLE)
    expect(page.locator("#id_slug")).to_have_value(SLUG)
    page.fill("#id_author", "Nguyễn Nga")
    page.fill("#id_intro", "Hai địa phương thử nghiệm giống lúa mới.")
    for sector in chosen_sectors:
        page.check(f'input[name="sectors"][value="{sector.pk}"]')

    # A paragraph of rich text.
    block, _ = add_block(page, "paragraph")
    editor_box = block.locator('[contenteditable="true"][role="textbox"]')
    editor_box.click()
    page.keyboard.type(PARAGRAPH)
    expect(editor_box).to_contain_text(PARAGRAPH)

    # An image, chosen in the image chooser.
    block, prefix = add_block(page, "image")
    block.locator("[data-chooser-action-choose]").click()
    choice = page.locator(f'.modal a[data-chooser-modal-choice][href$="/chosen/{news_image.pk}/"]')
    expect(choice).to_be_visible()
    shot("image-chooser")
    choice.click()
    expect(page.locator(f"#{prefix}-image")).to_have_value(str(news_image.pk))
    page.fill(f"#{prefix}-caption", CAPTION)

    # Key figures: the block starts with one; add a second.
    block, prefix = add_block(page, "key_figures")
    page.fill(f"#{prefix}-title", FIGURES_TITLE)
    figures_count = page.locator(f'input[name="{prefix}-figures-count"]')
    figures_count.locator("xpath=..").locator("[data-streamfield-list-add]").last.click()
    expect(figures_count).to_have_value(str(len(FIGURES)))
    for number, (value, label) in enumerate(FIGURES):
        page.fill(f"#{prefix}-figures-{number}-value-value", value)
        page.fill(f"#{prefix}-figures-{number}-value-label", label)
    shot("draft-filled")

    # Save the draft: the editor lands on the new page's edit view.
    page.locator("footer button.action-save").first.click()
    page.wait_for_url(re.compile(rf"{re.escape(cms.url)}/admin/pages/\d+/edit/"))
    page_id = int(re.search(r"/pages/(\d+)/edit/", page.url).group(1))
    expect(page.locator("#id_title")).to_have_value(TITLE)
    shot("draft-saved")
    assert graphql(cms, PUBLISHED_PAGE, {"slug": SLUG})["newsPage"] is None, "a draft must not be public"

    # The preview panel shows the draft through the reference frontend's /preview.
    page.locator('button[data-side-panel-toggle="preview"]').click()
    # (The panel loads each update in a second iframe that then takes the first's place and id.)
    preview_panel = page.frame_locator('iframe#w-preview-iframe[data-w-preview-target="iframe"]')
    frontend_frame = preview_panel.frame_locator(f'iframe[src^="{frontend.url}/preview?"]')
    expect(frontend_frame.locator("h1")).to_have_text(TITLE)
    expect(frontend_frame.locator(".preview-banner")).to_contain_text("Bản xem trước")
    expect(frontend_frame.locator('[data-block="paragraph"]')).to_contain_text(PARAGRAPH)
    shot("preview-panel")

    # Publish (in the footer's dropdown).
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.locator('footer button[name="action-publish"]').click()
    page.wait_for_url(f"{cms.url}/admin/pages/{demo_content.pk}/")
    expect(page.locator(".messages .success")).to_be_visible()
    shot("published")

    # GraphQL serves the published page with everything the editor entered.
    news = graphql(cms, PUBLISHED_PAGE, {"slug": SLUG})["newsPage"]
    assert news["title"] == TITLE
    assert news["slug"] == SLUG
    assert news["urlPath"] == f"/tin-tuc/{SLUG}/"
    assert sorted(sector["slug"] for sector in news["sectors"]) == ["giao-duc", "nong-nghiep"]
    blocks = {block["field"]: block for block in news["body"]}
    assert list(blocks) == ["paragraph", "image", "key_figures"]
    assert PARAGRAPH in blocks["paragraph"]["value"]
    assert blocks["image"]["caption"] == CAPTION
    assert blocks["image"]["image"]["title"] == news_image.title
    assert "320w" in blocks["image"]["image"]["srcSet"]
    assert blocks["key_figures"]["title"] == FIGURES_TITLE
    assert [(f["value"], f["label"]) for f in blocks["key_figures"]["figures"]] == FIGURES
    assert page_id

    # And the reference frontend shows it.
    page.goto(f"{frontend.url}/tin-tuc/{SLUG}/")
    expect(page.locator("body")).to_have_attribute("data-state", "ready")
    article = page.locator("article.article")
    expect(article.locator("h1")).to_have_text(TITLE)
    expect(article.locator('[data-block="paragraph"]')).to_contain_text(PARAGRAPH)
    expect(article.locator('[data-block="image"] img')).to_have_attribute("srcset", re.compile(r"320w"))
    expect(article.locator('[data-block="image"] figcaption')).to_contain_text(CAPTION)
    expect(article.locator('[data-block="key_figures"] li')).to_have_count(2)
    expect(article.locator(".sectors li")).to_have_text(["Nông nghiệp", "Giáo dục"])
    shot("frontend")
    assert page.errors == []
