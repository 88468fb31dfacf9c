"""
The reference frontend (frontend/) against the live CMS: the news list with its sector filter and
pagination, a news page with every body block type, and the preview route's errors.
"""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect
from wagtail.documents.models import Document
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

from news.blocks import NewsBodyBlock
from news.factories import CooperationSectorFactory, NewsPageFactory
from news.models import NewsPage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Bắc Kạn và Hà Nội: mọi loại nội dung trong một bài"
INTRO = 'Sapo có ký tự đặc biệt: <img src=x onerror="window.injected=1"> & “ngoặc kép”.'
EMBED_URL = "https://www.youtube.com/watch?v=e2e-test"
EMBED_PLAYER = "https://www.youtube.com/embed/e2e-test"


@pytest.fixture
def every_block_page(demo_content, sectors, news_image):
    """A news page using every block type of the body, alone in its sector; 11 more in du-lich."""
    environment = CooperationSectorFactory(name="Môi trường", slug="moi-truong", sort_order=99)
    document = Document(
        title="Kế hoạch hợp tác năm 2026", file=ContentFile(b"Ke hoach hop tac\n" * 100, name="ke-hoach.txt")
    )
    document._set_document_file_metadata()  # as the admin's upload form does: size and hash
    document.save()
    Embed.objects.create(
        url=EMBED_URL,
        hash=get_embed_hash(EMBED_URL),
        type="video",
        html=f'<iframe width="480" height="270" src="{EMBED_PLAYER}" title="Video hợp tác"></iframe>',
        provider_name="YouTube",
    )
    demo = demo_content.get_children().live().first()
    body = [
        ("heading", "Những kết quả nổi bật"),
        (
            "paragraph",
            f'<p>Huyện <b>Ba Bể</b> và <i>Chợ Đồn</i> hưởng lợi; xem <a linktype="page" id="{demo.pk}">bài '
            'gốc</a> và <a href="https://example.org/ke-hoach">kế hoạch</a>.</p>',
        ),
        ("image", {"image": news_image, "caption": "Cánh đồng ở Ba Bể", "credit": "Ảnh: Nguyễn Nga"}),
        (
            "quote",
            {"text": "Hợp tác là chìa khóa.\nChúng tôi sẽ tiếp tục.", "attribution": "Ông Nguyễn Văn A"},
        ),
        (
            "key_figures",
            {
                "title": "Con số",
                "figures": [
                    {"value": "3 tỷ đồng", "label": "hỗ trợ xây dựng nhà nội trú"},
                    {"value": "5,2 tỷ đồng", "label": "phát triển du lịch"},
                ],
            },
        ),
        ("document", document),
        ("embed", EMBED_URL),
    ]
    assert {name for name, _ in body} == set(NewsBodyBlock.base_blocks), "a block type is not covered"
    page = NewsPageFactory(
        parent=demo_content,
        title=TITLE,
        intro=INTRO,
        date=datetime.date(2025, 6, 1),
        hero_image=news_image,
        hero_caption="Ảnh đại diện: cánh đồng",
        body=body,
        sectors=[environment, sectors["nong-nghiep"]],
        tags=["Bắc Kạn", "môi trường"],
    )
    for number in range(11):
        NewsPageFactory(
            parent=demo_content,
            title=f"Du lịch Ba Bể, tin số {number + 1}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=number),
            sectors=[sectors["du-lich"]],
        )
    return page


def wait_ready(page):
    expect(page.locator("body")).to_have_attribute("data-state", "ready")


def test_news_list_filters_by_sector_and_pages(page, shot, cms, frontend, every_block_page):
    page.goto(f"{frontend.url}/")
    wait_ready(page)
    items = page.locator(".news-item")
    expect(items).to_have_count(10)
    expect(page.locator(".summary")).to_have_text("13 tin")
    first = items.first  # the demo article, dated today
    expect(first.locator("h2 a")).to_have_attribute("href", re.compile(r"^/tin-tuc/tang-cuong-hop-tac"))
    expect(first.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    expect(first.locator(".author")).to_have_text("Nguyễn Nga")
    expect(first.locator(".sectors li")).to_have_count(8)
    with_image = items.filter(has_text=TITLE)
    expect(with_image.locator("img")).to_have_attribute("srcset", re.compile(r"320w.*640w"))
    expect(with_image.locator(".intro")).to_have_text(INTRO)
    shot("list")

    # The sector filter, reflected in the address.
    page.select_option("#sector", "moi-truong")
    page.wait_for_url(f"{frontend.url}/?sector=moi-truong")
    wait_ready(page)
    expect(page.locator("h1")).to_have_text("Tin tức — Môi trường")
    expect(items).to_have_count(1)
    expect(items.locator("h2")).to_have_text(TITLE)
    expect(page.locator("#sector")).to_have_value("moi-truong")
    shot("filtered")

    # Pagination keeps the filter: 12 news in du-lich (11 + the demo article), 10 a page.
    page.goto(f"{frontend.url}/?sector=du-lich")
    wait_ready(page)
    expect(items).to_have_count(10)
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("Trang 1 / 2")
    page.locator('.pagination a[rel="next"]').click()
    page.wait_for_url(f"{frontend.url}/?sector=du-lich&page=2")
    wait_ready(page)
    expect(items).to_have_count(2)
    expect(page.locator('.pagination [aria-current="page"]')).to_have_text("Trang 2 / 2")
    expect(page.locator('.pagination a[rel="prev"]')).to_have_attribute("href", "/?sector=du-lich")
    shot("page-2")

    # An unknown sector is an empty list, not an error.
    page.goto(f"{frontend.url}/?sector=khong-ton-tai")
    wait_ready(page)
    expect(items).to_have_count(0)
    expect(page.locator(".status")).to_be_visible()
    assert page.errors == []


def test_news_page_renders_every_block_type(page, shot, network_guard, cms, frontend, every_block_page):
    page.goto(f"{frontend.url}/?sector=moi-truong")
    wait_ready(page)
    page.locator(".news-item h2 a").click()
    page.wait_for_url(f"{frontend.url}/tin-tuc/{every_block_page.slug}/")
    wait_ready(page)
    article = page.locator("article.article")
    expect(article.locator("h1")).to_have_text(TITLE)
    expect(page).to_have_title(re.compile(re.escape(TITLE)))

    # Header: sectors, date, byline, the intro as text (its markup-like characters are not markup).
    expect(article.locator(".article-header .sectors li")).to_have_text(["Nông nghiệp", "Môi trường"])
    expect(article.locator(".byline time")).to_have_attribute("datetime", "2025-06-01")
    expect(article.locator(".byline time")).to_have_text("01/06/2025")
    expect(article.locator(".byline .author")).to_have_text("Nguyễn Nga")
    expect(article.locator(".intro")).to_have_text(INTRO)
    expect(article.locator(".intro img")).to_have_count(0)
    assert page.evaluate("window.injected") is None

    hero = article.locator("figure.hero")
    expect(hero.locator("img")).to_have_attribute("srcset", re.compile(r"320w.*640w.*960w.*1200w"))
    expect(hero.locator("figcaption")).to_have_text("Ảnh đại diện: cánh đồng")

    # Every block type of the body, each once.
    for name in NewsBodyBlock.base_blocks:
        expect(article.locator(f'[data-block="{name}"]')).to_have_count(1)
    expect(article.locator('h2[data-block="heading"]')).to_have_text("Những kết quả nổi bật")

    paragraph = article.locator('[data-block="paragraph"]')
    expect(paragraph.locator("b, strong")).to_have_text("Ba Bể")
    expect(paragraph.locator("i, em")).to_have_text("Chợ Đồn")
    expect(paragraph.get_by_role("link", name="bài gốc")).to_have_attribute(
        "href", re.compile(r"/tin-tuc/tang-cuong-hop-tac")
    )
    expect(paragraph.get_by_role("link", name="kế hoạch")).to_have_attribute(
        "href", "https://example.org/ke-hoach"
    )

    image = article.locator('[data-block="image"]')
    expect(image.locator("img")).to_have_attribute("srcset", re.compile(r"320w.*640w"))
    expect(image.locator("img")).to_have_attribute("alt", "Cánh đồng lúa chín ở huyện Ba Bể, Bắc Kạn")
    expect(image.locator("figcaption")).to_have_text("Cánh đồng ở Ba Bể (Ảnh: Nguyễn Nga)")
    assert image.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")

    quote = article.locator('[data-block="quote"]')
    expect(quote.locator("blockquote")).to_have_text("Hợp tác là chìa khóa.Chúng tôi sẽ tiếp tục.")
    expect(quote.locator("blockquote br")).to_have_count(1)
    expect(quote.locator("figcaption")).to_have_text("— Ông Nguyễn Văn A")

    figures = article.locator('[data-block="key_figures"]')
    expect(figures.locator("h2")).to_have_text("Con số")
    expect(figures.locator(".figure-value")).to_have_text(["3 tỷ đồng", "5,2 tỷ đồng"])
    expect(figures.locator(".figure-label")).to_have_text(
        ["hỗ trợ xây dựng nhà nội trú", "phát triển du lịch"]
    )

    document = article.locator('[data-block="document"] a')
    expect(document).to_contain_text("Kế hoạch hợp tác năm 2026")
    expect(article.locator('[data-block="document"] .file-size')).to_have_text("(1,7 KB)")
    expect(document).to_have_attribute("href", re.compile(rf"^{re.escape(cms.url)}/documents/\d+/ke-hoach"))

    embed = article.locator('[data-block="embed"]')
    expect(embed.locator("iframe")).to_have_attribute("src", EMBED_PLAYER)
    expect(embed.locator("figcaption a")).to_have_attribute("href", EMBED_URL)

    expect(article.locator(".tags li")).to_have_text(["#Bắc Kạn", "#môi trường"])

    # What to read next: the demo article shares a sector and a tag (the travel news nothing); the
    # news just older and just newer in the section.
    demo = NewsPage.objects.get(title__startswith="Tăng cường hợp tác")
    expect(article.locator(".related li a")).to_have_text([demo.title])
    expect(article.locator(".related li time")).to_have_text(demo.date.strftime("%d/%m/%Y"))
    section = list(NewsPage.objects.child_of(every_block_page.get_parent()).live().order_by("date", "pk"))
    position = section.index(every_block_page)
    previous = section[position - 1] if position else None
    following = section[position + 1] if position + 1 < len(section) else None
    assert previous or following
    for rel, neighbour in [("prev", previous), ("next", following)]:
        link = article.locator(f".adjacent a[rel={rel}]")
        if neighbour is None:
            expect(link).to_have_count(0)
            continue
        expect(link).to_contain_text(neighbour.title)
        expect(link).to_have_attribute("href", f"/tin-tuc/{neighbour.slug}/")
    shot("article")

    # The only request that left the machine (and was stopped) is the embedded player's.
    assert network_guard.blocked_hosts() <= {"www.youtube.com"}
    assert page.errors == []


def test_preview_and_missing_pages_explain_themselves(page, shot, cms, frontend, demo_content):
    page.goto(f"{frontend.url}/preview?content_type=news.newspage&token=khong-hop-le")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.locator("h1")).to_have_text("Bản xem trước đã hết hạn hoặc không hợp lệ")
    expect(page.locator(".preview-banner")).to_have_count(0)  # no draft here to call unpublished
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", "noindex")
    shot("preview-invalid-token")

    page.goto(f"{frontend.url}/preview")
    expect(page.locator("body")).to_have_attribute("data-state", "error")
    expect(page.locator("h1")).to_have_text("Thiếu mã xem trước")
    expect(page.locator(".preview-banner")).to_have_count(0)

    page.goto(f"{frontend.url}/tin-tuc/khong-co-bai-nay/")
    expect(page.locator("body")).to_have_attribute("data-state", "not-found")
    expect(page.locator("h1")).to_have_text("Không tìm thấy trang")
    shot("not-found")
    assert page.errors == []


def test_an_old_link_of_a_renamed_article_leads_to_its_new_address(
    page, shot, settings, cms, frontend, demo_content, news_image
):
    settings.FRONTEND_BASE_URL = frontend.url
    article = NewsPage.objects.get(locale__language_code="vi")
    article.hero_image = news_image
    old_path = f"/tin-tuc/{article.slug}/"
    article.slug = "hop-tac-phat-trien-bac-kan-2026"
    article.save_revision().publish()  # Wagtail records the old path as a permanent redirect

    page.goto(f"{frontend.url}{old_path}")
    page.wait_for_url(f"{frontend.url}/tin-tuc/hop-tac-phat-trien-bac-kan-2026/")
    wait_ready(page)
    expect(page.locator("article.article h1")).to_have_text(article.title)
    shot("followed-redirect")

    # What a shared link shows (Open Graph), from the CMS's `seo`.
    new_url = f"{frontend.url}/tin-tuc/hop-tac-phat-trien-bac-kan-2026/"
    expect(page.locator('link[rel="canonical"]')).to_have_attribute("href", new_url)
    expect(page.locator('meta[property="og:url"]')).to_have_attribute("content", new_url)
    expect(page.locator('meta[property="og:title"]')).to_have_attribute("content", article.title)
    expect(page.locator('meta[property="og:description"]')).to_have_attribute("content", article.intro)
    expect(page.locator('meta[name="description"]')).to_have_attribute("content", article.intro)
    expect(page.locator('meta[property="og:type"]')).to_have_attribute("content", "article")
    expect(page.locator('meta[property="og:image"]')).to_have_attribute(
        "content", re.compile(r"^http.*/media/images/")
    )
    expect(page.locator('meta[property="og:image:width"]')).to_have_attribute("content", "1200")
    assert page.errors == []


def test_the_sitemap_lists_every_public_page_on_the_frontends_addresses(cms, frontend, demo_content):
    import urllib.request
    from xml.etree import ElementTree

    NewsPageFactory(parent=demo_content, title="Tin nháp không có trong sơ đồ", slug="tin-nhap", live=False)
    with urllib.request.urlopen(f"{frontend.url}/sitemap.xml", timeout=30) as response:  # noqa: S310
        assert response.headers["Content-Type"] == "application/xml; charset=utf-8"
        tree = ElementTree.fromstring(response.read())  # noqa: S314 (our own test server's answer)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [element.text for element in tree.findall("s:url/s:loc", namespace)]
    article = NewsPage.objects.get(live=True, locale__language_code="vi")
    english = NewsPage.objects.get(live=True, locale__language_code="en")
    assert locations == [
        f"{frontend.url}/",
        f"{frontend.url}/tin-tuc/",
        f"{frontend.url}/tin-tuc/{article.slug}/",
        f"{frontend.url}/en/",
        f"{frontend.url}/en/news/",
        f"{frontend.url}/en/news/{english.slug}/",
    ]
    assert tree.find("s:url[3]/s:lastmod", namespace).text.startswith(str(article.last_published_at.year))
