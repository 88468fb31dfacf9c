import json
from html import unescape

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from home.models import HomePage
from news.demo import ENGLISH_SEED_FILE, SEED_FILE
from news.models import CooperationSector, NewsIndexPage, NewsPage
from testing.content import DEMO_URL_PATH

pytestmark = pytest.mark.django_db

# Verbatim sentences of the source article, diacritics, dashes and double spaces included.
ARTICLE_SENTENCES = [
    "tham\xa0 gia các hội nghị kết nối cung cầu hàng hóa,…",
    "Dự án thủy điện Thác Giềng 1&2",
    "phối hợp với Sở GD&ĐT trao tặng học sinh các trường nội trú với số tiền 100 triệu đồng.",
    "Trường Tiểu học Đồng Phúc, huyện Ba Bể giá trị 1 tỷ đồng.",
    "với kinh phí hỗ trợ là 5,2 tỷ đồng; khu di tích đã hoàn thành và đưa vào sử dụng từ năm 2011.",
    "góp phần phát triển kinh tế – xã hội của địa phương./.",
]


def body_text(page):
    return " ".join(
        unescape(block.value.source) if block.block_type == "paragraph" else "" for block in page.body
    )


def test_command_creates_the_site_once_and_then_changes_nothing():
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    counts = (Page.objects.count(), CooperationSector.objects.count(), get_image_model().objects.count())
    revisions = NewsPage.objects.get(locale__language_code="vi").revisions.count()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert (
        Page.objects.count(),
        CooperationSector.objects.count(),
        get_image_model().objects.count(),
    ) == counts
    assert NewsPage.objects.get(locale__language_code="vi").revisions.count() == revisions


def test_command_names_the_pages_at_their_addresses():
    """`make run` prints where each page is served: /tin-tuc/... and /en/news/..., not tree paths."""
    from io import StringIO

    output = StringIO()
    call_command("load_demo_content", stdout=output)
    english = json.loads(ENGLISH_SEED_FILE.read_text(encoding="utf-8"))
    lines = output.getvalue().splitlines()
    news_page = next(line for line in lines if line.startswith("Created the news page "))
    assert news_page.endswith(f" at {DEMO_URL_PATH}.")
    assert "Created the English page Home at /en/." in lines
    assert "Created the English page News at /en/news/." in lines
    assert lines[-1].endswith(f" at /en/news/{english['article']['slug']}/.")
    assert "trang-chu" not in output.getvalue()


def test_editors_changes_survive_a_reload(demo):
    sector = CooperationSector.objects.canonical().get(slug="y-te")
    sector.description = "Mô tả do biên tập viên sửa."
    sector.save()
    call_command("load_demo_content", stdout=open("/dev/null", "w"))
    assert CooperationSector.objects.canonical().get(slug="y-te").description == "Mô tả do biên tập viên sửa."


def test_site_tree(demo):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.live
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    assert (index.title, index.slug, index.get_parent().pk) == ("Tin tức", "tin-tuc", home.pk)
    assert not Page.objects.filter(title__startswith="Welcome").exists()


def test_eight_sectors(demo):
    assert list(CooperationSector.objects.canonical().values_list("slug", "name")) == [
        ("nong-nghiep", "Nông nghiệp"), ("khoa-hoc-cong-nghe", "Khoa học và công nghệ"),
        ("cong-nghiep", "Công nghiệp"), ("tieu-thu-cong-nghiep", "Tiểu thủ công nghiệp"),
        ("giao-duc", "Giáo dục"), ("y-te", "Y tế"), ("du-lich", "Du lịch"), ("van-hoa", "Văn hóa"),
    ]  # fmt: skip


def test_article_fields(demo):
    page = NewsPage.objects.get(locale__language_code="vi")
    assert page.live and page.get_url_parts()[2] == DEMO_URL_PATH
    assert page.author == "Nguyễn Nga"
    assert page.intro == (
        "Thời gian qua, việc thực hiện các nội dung hợp tác với thành phố Hà Nội đã giúp Bắc Kạn thúc đẩy "
        "phát triển các lĩnh vực phù hợp thế mạnh của mỗi địa phương trong tỉnh."
    )
    assert page.sectors.count() == 8
    assert page.revisions.count() == 1


@pytest.mark.parametrize("sentence", ARTICLE_SENTENCES)
def test_article_text_is_verbatim(demo, sentence):
    assert sentence in body_text(NewsPage.objects.get(locale__language_code="vi"))


def test_every_paragraph_of_the_data_file_is_in_the_body_once(demo):
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    paragraphs = [block["value"] for block in seed["article"]["body"] if block["type"] == "paragraph"]
    stored = [
        block.value.source
        for block in NewsPage.objects.get(locale__language_code="vi").body
        if block.block_type == "paragraph"
    ]
    assert stored == paragraphs and len(paragraphs) == 11


def test_key_figures_quote_the_article(demo):
    page = NewsPage.objects.get(locale__language_code="vi")
    text = body_text(page)
    figures = [
        figure
        for block in page.body
        if block.block_type == "key_figures"
        for figure in block.value["figures"]
    ]
    assert {"300 triệu đồng", "3 tỷ đồng", "5,2 tỷ đồng"} <= {figure["value"] for figure in figures}
    for figure in figures:
        assert figure["value"] in text


def test_the_photo_is_a_labelled_placeholder(demo):
    [image_block] = [
        block
        for block in NewsPage.objects.get(locale__language_code="vi").body
        if block.block_type == "image"
    ]
    image = image_block.value["image"]
    assert image.title.startswith("Ảnh minh họa tạm: ")
    assert (image.width, image.height) == (1600, 900)
    assert image_block.value["credit"] == "Ảnh st"


def test_the_english_edition(demo, gql):
    """English home, News, the sectors' English names, and the article translated block for block."""
    english = json.loads(ENGLISH_SEED_FILE.read_text(encoding="utf-8"))
    vietnamese = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    assert [block["type"] for block in english["article"]["body"]] == [
        block["type"] for block in vietnamese["article"]["body"]
    ]
    assert set(english["sectors"]) == {sector["slug"] for sector in vietnamese["sectors"]}
    sectors = gql('{ sectors(locale: "en") { name slug } }')["sectors"]
    assert [sector["name"] for sector in sectors] == [
        "Agriculture", "Science and technology", "Industry", "Handicrafts", "Education", "Health",
        "Tourism", "Culture",
    ]  # fmt: skip
    article = NewsPage.objects.get(locale__language_code="en")
    original = NewsPage.objects.get(locale__language_code="vi")
    assert article.translation_key == original.translation_key and article.live
    assert article.url == f"/en/news/{english['article']['slug']}/"
    assert article.title == english["article"]["title"]
    assert [block.block_type for block in article.body] == [block.block_type for block in original.body]
    assert "5.2 billion dong" in json.dumps(list(article.body.raw_data))
    # Tags are shared by both languages: the English article has English ones of its own.
    assert sorted(article.tags.names()) == sorted(english["article"]["tags"])
    assert not set(article.tags.names()) & set(original.tags.names())
    assert gql('{ page(urlPath: "/en/news/") { title } }')["page"] == {"title": "News"}
