import datetime
import random
import re
import unicodedata
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page

from news.demo import read_seed
from news.generate import article_data, generate_news
from news.models import NewsIndexPage, NewsPage, NewsPageTag
from publishing.text import ascii_slug

pytestmark = pytest.mark.django_db

COUNT = 30
NEWS_QUERY = """
{ newsPages(perPage: 100) { items { title sectors { slug } body { field } } pagination { total } } }
"""


def generate(count=COUNT, seed=7, batch=8):
    """Runs the command (in batches of 8, so the last one is partial) and returns its output."""
    stdout, stderr = StringIO(), StringIO()
    call_command("generate_news", count, seed=seed, batch=batch, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def generated(demo):
    """The pages one run of the command added next to the demo article."""
    demo_ids = list(NewsPage.objects.values_list("pk", flat=True))
    generate()
    return list(NewsPage.objects.exclude(pk__in=demo_ids).order_by("path"))


def sectors():
    return [(sector["slug"], sector["name"]) for sector in read_seed()["sectors"]]


def test_command_prints_progress_on_stderr_and_one_summary_line_on_stdout(demo):
    stdout, stderr = generate()
    assert re.fullmatch(r"Created 30 news pages in \d+\.\d s \(\d+ pages/s\)\n", stdout)
    assert "\r30/30 pages" in stderr and "pages/s" in stderr and "ETA" in stderr


def test_the_tree_stays_valid_run_after_run(generated):
    assert Page.find_problems() == ([], [], [], [], [])
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    assert index.numchild == COUNT + 1
    generate(count=5, seed=8, batch=2)
    assert Page.find_problems() == ([], [], [], [], [])
    index.refresh_from_db()
    assert index.numchild == NewsPage.objects.child_of(index).count() == COUNT + 6
    paths = list(Page.objects.child_of(index).values_list("path", flat=True))
    assert len(set(paths)) == len(paths)


def test_generated_pages_are_complete_live_news_pages(generated, client):
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    assert len(generated) == COUNT
    slugs = list(Page.objects.child_of(index).values_list("slug", flat=True))
    assert len(set(slugs)) == len(slugs)
    for page in generated:
        assert page.live and not page.has_unpublished_changes and page.first_published_at
        assert page.get_parent().pk == index.pk
        assert page.slug.isascii() and page.slug.startswith(ascii_slug(page.title, max_length=200))
        assert page.url_path == f"/trang-chu/tin-tuc/{page.slug}/"
        assert page.title == unicodedata.normalize("NFC", page.title) and page.intro and page.author
        assert 1 <= page.sectors.count() <= 3
        assert page.tags.count() <= 3
        assert page.date >= datetime.date.today() - datetime.timedelta(days=6 * 366)
        assert 4 <= len(page.body) <= 12
        for block in page.body:
            uuid.UUID(block.id)
            assert block.render()
        assert client.get(page.url).status_code == 200


def test_the_body_holds_every_kind_of_block(generated):
    kinds = {block.block_type for page in generated for block in page.body}
    assert {"heading", "paragraph", "quote", "key_figures", "image"} <= kinds
    paragraph = next(block for block in generated[0].body if block.block_type == "paragraph")
    assert paragraph.value.source.startswith("<p>") and paragraph.value.source.endswith("</p>")


def test_one_placeholder_image_serves_every_page(generated):
    image_ids = {page.hero_image_id for page in generated if page.hero_image_id}
    image_ids |= {
        block.value["image"].pk for page in generated for block in page.body if block.block_type == "image"
    }
    assert len(image_ids) == 1
    assert get_image_model().objects.count() == 2  # the demo article's photo and this one
    generate(count=3)
    assert get_image_model().objects.count() == 2


def test_tags_are_shared_taggit_tags(generated):
    tagged = NewsPageTag.objects.filter(content_object__in=generated)
    assert tagged.exists()
    assert all(tag.slug.isascii() for tag in {item.tag for item in tagged})


def test_generated_pages_are_listed_over_graphql(generated, gql):
    data = gql(NEWS_QUERY)["newsPages"]
    assert data["pagination"]["total"] == COUNT + 1
    titles = {item["title"] for item in data["items"]}
    assert {page.title for page in generated} <= titles
    assert all(item["sectors"] and item["body"] for item in data["items"])


def test_generated_pages_are_found_by_search(generated):
    for page in generated[:5]:
        word = max(page.title.split(), key=len)
        assert page.pk in {result.pk for result in NewsPage.objects.live().search(word)}, word


def test_the_same_seed_gives_the_same_content():
    today = datetime.date(2025, 6, 1)
    first = [article_data(random.Random(3), today, sectors()) for _ in range(3)]
    again = [article_data(random.Random(3), today, sectors()) for _ in range(3)]
    assert first == again
    rng, other = random.Random(3), random.Random(4)
    assert [article_data(rng, today, sectors())["title"] for _ in range(20)] != [
        article_data(other, today, sectors())["title"] for _ in range(20)
    ]


def test_content_is_vietnamese_nfc_and_within_its_bounds():
    rng, today = random.Random(11), datetime.date(2025, 6, 1)
    texts = []
    for _ in range(200):
        article = article_data(rng, today, sectors())
        text = " ".join([article["title"], article["intro"], str(article["body"])])
        assert text == unicodedata.normalize("NFC", text)
        assert 1 <= len(article["sectors"]) <= 3 and len(article["tags"]) <= 3
        assert 4 <= len(article["body"]) <= 12
        assert today - datetime.timedelta(days=6 * 366) <= article["date"] <= today
        assert article["body"][0][0] == "paragraph" and article["body"][-1][0] != "heading"
        texts.append(text)
    everything = " ".join(texts)
    for phrase in ["Bắc Kạn", "Hà Nội", "Ba Bể", "Chợ Đồn", "Pác Nặm", "tỷ đồng", "triệu đồng"]:
        assert phrase in everything, phrase


def test_missing_demo_content_is_loaded_first(db):
    assert generate_news(3, seed=2) == 3
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    assert index.url_path == "/trang-chu/tin-tuc/"
    assert NewsPage.objects.child_of(index).count() == 4
    assert Page.find_problems() == ([], [], [], [], [])
