"""
The RSS feeds, read back with feedparser as an aggregator would: what an item holds, order and
limit, nothing hidden ever listed, caching with invalidation and scheduled changes, a fixed number
of SQL queries, and 404s for unknown or hostile sector slugs.
"""

import datetime
import hashlib
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    Page,
    PageViewRestriction,
    Site,
)
from wagtail_factories import ImageFactory

from feeds.feeds import FEEDS_ITEMS, IMAGE_FILTER
from news.factories import (
    CooperationSectorFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from publishing.freshness import VERSION_KEY
from testing.users import ReviewDesk

FRONTEND = "https://tinhoptac.example.vn"
LATEST = "/feeds/tin-tuc.xml"
TITLE = "Hợp tác nông nghiệp Bắc Kạn – Thái Nguyên"
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frontend(settings):
    settings.FRONTEND_BASE_URL = FRONTEND


def sector_url(slug):
    return f"/feeds/linh-vuc/{slug}.xml"


def read(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    return parsed


def titles(parsed):
    return [entry.title for entry in parsed.entries]


def bump_content_version():
    """What any publish does to cached answers (without publishing anything)."""
    cache.delete(VERSION_KEY)


@pytest.fixture
def agriculture(db):
    return CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep", description="Hợp tác nông sản.")


@pytest.fixture
def article(news_index, agriculture):
    tourism = CooperationSectorFactory(name="Du lịch", slug="du-lich")
    page = NewsPageFactory(
        parent=news_index,
        title=TITLE,
        slug="hop-tac-nong-nghiep",
        date=datetime.date(2026, 11, 28),
        author="Nguyễn Nga",
        intro="Lúa & chè: <b>hai</b> tỉnh “bắt tay” nhau.",
        hero_image=ImageFactory(title="Ruộng bậc thang", file__filename="ruong-bac-thang.jpg"),
        sectors=[tourism, agriculture],
    )
    page.save_revision().publish()
    # Published on the morning of its date, Vietnamese time.
    Page.objects.filter(pk=page.pk).update(
        first_published_at=datetime.datetime(2026, 11, 28, 8, 30, tzinfo=HANOI),
        last_published_at=datetime.datetime(2026, 11, 28, 9, 15, tzinfo=HANOI),
    )
    bump_content_version()
    page.refresh_from_db()
    return page


def test_an_item_holds_everything_an_aggregator_shows(client, article):
    parsed = read(client, LATEST)

    assert parsed.feed.title == f"{settings.WAGTAIL_SITE_NAME} – Tin tức"
    assert parsed.feed.link == f"{FRONTEND}/"
    assert parsed.feed.description == f"Tin mới nhất của {settings.WAGTAIL_SITE_NAME}."
    assert parsed.feed.language == "vi"
    [item] = parsed.entries
    assert item.title == TITLE
    assert item.link == f"{FRONTEND}/tin-tuc/hop-tac-nong-nghiep/"
    assert item.id == f"urn:uuid:{article.translation_key}"
    assert item.guidislink is False
    # Plain text, escaped by the feed generator and read back unchanged.
    assert item.summary == "Lúa & chè: <b>hai</b> tỉnh “bắt tay” nhau."
    assert item.author == "Nguyễn Nga"
    assert [tag.term for tag in item.tags] == ["Nông nghiệp", "Du lịch"]  # the sectors' editorial order
    assert item.published == "Sat, 28 Nov 2026 08:30:00 +0700"
    # lastBuildDate: the latest publication of a listed page.
    assert parsed.feed.updated == "Sat, 28 Nov 2026 09:15:00 +0700"

    [enclosure] = item.enclosures
    rendition = article.hero_image.get_rendition(IMAGE_FILTER)
    assert enclosure.href == f"{settings.WAGTAILADMIN_BASE_URL}{rendition.url}"
    assert enclosure.href.startswith("http://testserver/media/images/ruong-bac-thang")
    assert enclosure.type == "image/jpeg"
    assert int(enclosure.length) == rendition.file.size > 0


def read_xml(client, url):
    return client.get(url).content.decode("utf-8")


def test_the_description_is_the_lead_as_plain_text(client, article):
    xml = read_xml(client, LATEST)
    # Escaped once: the lead's markup-like characters are text, not markup.
    assert "<description>Lúa &amp; chè: &lt;b&gt;hai&lt;/b&gt; tỉnh “bắt tay” nhau.</description>" in xml
    assert TITLE in xml  # UTF-8 as is, no character references


def test_the_image_url_is_kept_when_storage_makes_it_absolute(client, article):
    with override_settings(MEDIA_URL="https://media.example.vn/media/"):
        bump_content_version()
        [enclosure] = read(client, LATEST).entries[0].enclosures
    assert enclosure.href.startswith("https://media.example.vn/media/images/ruong-bac-thang")


def test_the_image_rendition_is_one_graphql_may_make():
    assert IMAGE_FILTER in settings.ALLOWED_IMAGE_FILTERS


def test_the_publication_date_is_the_news_date(client, news_index):
    # Published on another day than its date: the start of its date, in Vietnamese time.
    NewsPageFactory(
        parent=news_index,
        title="Tin đăng lùi ngày",
        date=datetime.date(2026, 1, 15),
        first_published_at=datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.UTC),
    )
    [item] = read(client, LATEST).entries
    assert item.published == "Thu, 15 Jan 2026 00:00:00 +0700"


def test_newest_first_by_date_then_publication_time_and_at_most_the_limit(client, news_index):
    base = datetime.datetime(2026, 6, 1, 9, 0, tzinfo=HANOI)
    for n in range(FEEDS_ITEMS + 2):
        day = base + datetime.timedelta(days=n // 2)
        # Two news a day; the second of each day published earlier (and created later).
        first_published_at = day + datetime.timedelta(hours=2 * ((n + 1) % 2))
        NewsPageFactory(
            parent=news_index,
            title=f"Tin số {n}",
            date=day.date(),
            first_published_at=first_published_at,
        )
    listed = titles(read(client, LATEST))

    assert len(listed) == FEEDS_ITEMS == 30
    expected = sorted(range(FEEDS_ITEMS + 2), key=lambda n: (n // 2, (n + 1) % 2), reverse=True)[:FEEDS_ITEMS]
    assert listed == [f"Tin số {n}" for n in expected]
    assert listed[:2] == ["Tin số 30", "Tin số 31"]  # same date: the later publication first
    assert "Tin số 0" not in listed and "Tin số 1" not in listed


def test_a_sector_feed_lists_that_sector_only(client, article, agriculture, news_index):
    NewsPageFactory(parent=news_index, title="Tin giáo dục", sectors=[CooperationSectorFactory()])
    NewsPageFactory(parent=news_index, title="Tin nông nghiệp khác", sectors=[agriculture])

    parsed = read(client, sector_url("nong-nghiep"))
    assert parsed.feed.title == f"{settings.WAGTAIL_SITE_NAME} – Nông nghiệp"
    assert parsed.feed.link == f"{FRONTEND}/?sector=nong-nghiep"
    assert parsed.feed.description == "Hợp tác nông sản."
    assert parsed.feed.language == "vi"
    assert set(titles(parsed)) == {TITLE, "Tin nông nghiệp khác"}
    assert set(titles(read(client, LATEST))) == {TITLE, "Tin giáo dục", "Tin nông nghiệp khác"}


def test_a_sector_without_news_has_an_empty_feed(client, news_index):
    CooperationSectorFactory(name="Y tế", slug="y-te", description="")
    parsed = read(client, sector_url("y-te"))
    assert parsed.entries == []
    assert parsed.feed.description == "Tin mới nhất về lĩnh vực Y tế."


@pytest.mark.parametrize(
    "path",
    [
        sector_url("khong-co"),
        sector_url("a" * 256),
        sector_url("a" * 5000),
        sector_url("nông-nghiệp"),
        sector_url("n%C3%B4ng-nghi%E1%BB%87p"),
        sector_url("../tin-tuc"),
        "/feeds/linh-vuc/..%2F..%2Fsettings.xml",
        "/feeds/linh-vuc/%00.xml",
        "/feeds/linh-vuc/.xml",
        "/feeds/linh-vuc/nong-nghiep.xml/",
        "/feeds/tin-tuc.rss",
    ],
)
def test_unknown_and_hostile_sector_slugs_are_not_found(client, article, path):
    response = client.get(path)
    assert response.status_code == 404
    assert read(client, sector_url("nong-nghiep")).entries  # the sector itself is found


def test_no_site_no_feed(client, db):
    Site.objects.all().delete()
    assert client.get(LATEST).status_code == 404


def test_only_get_and_head(client, article):
    assert client.post(LATEST).status_code == 405
    assert client.head(LATEST).status_code == 200


def test_http_caching_headers_and_conditional_requests(client, article):
    response = client.get(LATEST)
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=86400, stale-while-revalidate=60"
    sectors = [f"sector-{sector.pk}" for sector in article.sectors.all()]
    image = [f"image-{article.hero_image_id}"] if article.hero_image_id else []
    assert response["Cache-Tag"].split(",") == sorted(
        ["all", "news-vi", f"page-{article.pk}", *sectors, *image]
    )
    assert response["ETag"] == '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    assert parsedate_to_datetime(response["Last-Modified"]) <= timezone.now()
    assert "Cookie" not in response.get("Vary", "")  # the same feed for everyone: shared caches keep one

    not_modified = client.get(LATEST, headers={"If-None-Match": response["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == response["ETag"]
    assert client.get(LATEST, headers={"If-None-Match": '"something else"'}).status_code == 200


def test_a_feed_that_lost_its_newest_item_is_not_reported_unchanged(client, committed, article, news_index):
    newest = NewsPageFactory(
        parent=news_index, title="Tin mới nhất", live=False, date=datetime.date(2030, 1, 1)
    )
    with committed():
        newest.save_revision().publish()
    before = client.get(LATEST)
    assert titles(feedparser.parse(before.content)) == ["Tin mới nhất", TITLE]
    with committed():
        newest.refresh_from_db()
        newest.unpublish()
    for validators in (
        {"If-None-Match": before["ETag"]},
        {"If-Modified-Since": before["Last-Modified"]},
        {"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]},
    ):
        assert titles(read(client, LATEST, **validators)) == [TITLE], validators


def test_http_lifetime_ends_at_the_next_scheduled_change(client, article, news_index):
    NewsPageFactory(parent=news_index, expire_at=timezone.now() + datetime.timedelta(seconds=20))
    cache_control = client.get(LATEST)["Cache-Control"]
    max_age = int(cache_control.split("s-maxage=")[1].split(",")[0])
    assert 0 <= max_age <= 20 and "stale-while-revalidate=0" in cache_control


def test_the_feed_is_cached_and_a_publish_shows_at_once(client, committed, article, news_index):
    assert titles(read(client, LATEST)) == [TITLE]
    # A change made behind the signals' back stays unseen: the answer comes from the cache.
    Page.objects.filter(pk=article.pk).update(title="Sửa thẳng trong cơ sở dữ liệu")
    assert titles(read(client, LATEST)) == [TITLE]

    fresh = NewsPageFactory(
        parent=news_index, title="Tin mới đăng", live=False, date=datetime.date(2030, 1, 1)
    )
    assert titles(read(client, LATEST)) == [TITLE]
    with committed():
        fresh.save_revision().publish()
    assert titles(read(client, LATEST)) == ["Tin mới đăng", "Sửa thẳng trong cơ sở dữ liệu"]
    assert titles(read(client, sector_url("nong-nghiep"))) == ["Sửa thẳng trong cơ sở dữ liệu"]

    with committed():
        fresh.refresh_from_db()
        fresh.unpublish()
    assert titles(read(client, LATEST)) == ["Sửa thẳng trong cơ sở dữ liệu"]


def test_an_expired_page_leaves_at_its_expiry_without_a_publish(client, article, agriculture, news_index):
    expire_at = timezone.now() + datetime.timedelta(hours=1)
    NewsPageFactory(parent=news_index, title="Tin có hạn", expire_at=expire_at, sectors=[agriculture])
    with time_machine.travel(expire_at - datetime.timedelta(seconds=1), tick=False):
        assert "Tin có hạn" in titles(read(client, LATEST))
        assert "Tin có hạn" in titles(read(client, sector_url("nong-nghiep")))
    with time_machine.travel(expire_at, tick=False):
        assert titles(read(client, LATEST)) == [TITLE]
        assert titles(read(client, sector_url("nong-nghiep"))) == [TITLE]


def test_a_scheduled_page_arrives_at_its_time(client, article, news_index):
    page = NewsPageFactory(parent=news_index, title="Tin hẹn giờ", live=False, date=datetime.date(2030, 1, 1))
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    assert titles(read(client, LATEST)) == [TITLE]
    with time_machine.travel(page.go_live_at + datetime.timedelta(seconds=1), tick=False):
        assert titles(read(client, LATEST)) == ["Tin hẹn giờ", TITLE]


@pytest.fixture
def hidden_content(news_index, agriculture):
    """
    Every kind of hidden content of the access matrix (cms/tests/test_access.py) in the
    agriculture sector, beside pages readers may see. Hidden titles, slugs and file names contain
    "hidden": a feed leaks if the word appears anywhere in it.
    """
    root = Page.get_first_root_node()
    news = {"parent": news_index, "sectors": [agriculture]}
    secret = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
    hidden_image = ImageFactory(title="HIDDEN image", collection=secret.add_child(name="Con"))

    NewsPageFactory(title="HIDDEN never published", live=False, **news)
    changed = NewsPageFactory(title="Tin có bản nháp", **news)
    changed.save_revision().publish()
    changed.title, changed.intro, changed.slug = "HIDDEN draft title", "HIDDEN draft intro", "hidden-slug"
    changed.save_revision()
    scheduled = NewsPageFactory(title="HIDDEN scheduled", live=False, **news)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
    scheduled.save_revision().publish()
    NewsPageFactory(title="HIDDEN expired", expire_at=timezone.now() - datetime.timedelta(seconds=1), **news)
    for kind in ("password", "login", "groups"):
        restriction = PageViewRestriction.objects.create(
            page=NewsPageFactory(title=f"HIDDEN {kind}", **news), restriction_type=kind, password="mk"
        )
        if kind == "groups":
            restriction.groups.add(Group.objects.create(name="Biên tập"))
    private_home = HomePageFactory(parent=root, title="HIDDEN private home", slug="hidden-home")
    PageViewRestriction.objects.create(page=private_home, restriction_type="login")
    private_index = NewsIndexPageFactory(parent=private_home, title="HIDDEN private section")
    NewsPageFactory(title="HIDDEN below restriction", **{**news, "parent": private_index})
    # Another site's news, and a news page below a draft section: not the default site's to show.
    other_home = HomePageFactory(parent=root, title="Trang phụ", slug="trang-phu")
    NewsPageFactory(title="HIDDEN other site", **{**news, "parent": NewsIndexPageFactory(parent=other_home)})
    draft_index = NewsIndexPageFactory(
        parent=other_home, title="HIDDEN draft section", live=False, slug="nhap"
    )
    NewsPageFactory(title="HIDDEN under a draft section", **{**news, "parent": draft_index})

    # The review workflow: submitted, sent back, approved for tomorrow; a live page whose changes wait.
    desk = ReviewDesk()
    submit, decide = desk.submit, desk.decide
    submit(NewsPageFactory(title="HIDDEN in review", live=False, **news))
    decide(submit(NewsPageFactory(title="HIDDEN sent back", live=False, **news)), "reject")
    approved = NewsPageFactory(title="HIDDEN approved for tomorrow", live=False, **news)
    approved.go_live_at = timezone.now() + datetime.timedelta(days=1)
    decide(submit(approved), "approve")
    in_review = NewsPageFactory(title="Tin có sửa đổi chờ duyệt", **news)
    in_review.save_revision().publish()
    in_review.title, in_review.intro = "HIDDEN title in review", "HIDDEN intro in review"
    submit(in_review)

    NewsPageFactory(title="Tin công khai có ảnh nội bộ", hero_image=hidden_image, **news)
    bump_content_version()
    return {"Tin có bản nháp", "Tin có sửa đổi chờ duyệt", "Tin công khai có ảnh nội bộ"}


def test_nothing_hidden_is_ever_listed(client, hidden_content):
    assert Page.objects.filter(title__startswith="HIDDEN").count() == 15
    for url in (LATEST, sector_url("nong-nghiep")):
        xml = read_xml(client, url)
        assert "hidden" not in xml.lower(), url
        parsed = read(client, url)
        assert set(titles(parsed)) == hidden_content
        # The restricted image: no enclosure at all, not a broken one.
        assert all(entry.enclosures == [] for entry in parsed.entries)


def build_news(news_index, count):
    sectors = [CooperationSectorFactory() for _ in range(4)]
    for n in range(count):
        NewsPageFactory(
            parent=news_index,
            title=f"Bắc Kạn: bài {n}",
            hero_image=ImageFactory(),
            sectors=sectors[: 1 + n % 4],
            tags=[f"thẻ {n}"],
        )
    return sectors[0]


# Uncached: the default site, the restricted sections, the news, their sectors, their images,
# the images' renditions, the restricted collections (and the sector itself for its feed).
@pytest.mark.parametrize("count", [1, 5, FEEDS_ITEMS + 5])
@pytest.mark.parametrize(("feed", "queries"), [("latest", 7), ("sector", 8)])
def test_a_fixed_number_of_queries_whatever_the_items(
    client, news_index, django_assert_num_queries, count, feed, queries
):
    sector = build_news(news_index, count)
    url = LATEST if feed == "latest" else sector_url(sector.slug)
    warm = read(client, url)  # makes the renditions, once
    assert len(warm.entries) == min(count, FEEDS_ITEMS)
    assert all(len(entry.enclosures) == 1 for entry in warm.entries)
    bump_content_version()
    with django_assert_num_queries(queries):
        assert read(client, url) == warm
    with django_assert_num_queries(0):  # cached
        assert read(client, url) == warm


@pytest.fixture
def english(article, news_index, agriculture):
    """The English edition: the site's and the section's translations, the article's, a sector's."""
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    for page in (news_index.get_parent().specific, news_index):
        translation = page.copy_for_translation(en)
        translation.slug = "news" if page is news_index else translation.slug
        translation.save_revision().publish()
    translated = Page.objects.get(pk=article.pk).specific.copy_for_translation(en)
    translated.title, translated.slug = "Bac Kan and Thai Nguyen cooperate on farming", "farming"
    translated.save_revision().publish()
    sector = agriculture.copy_for_translation(en)
    sector.name, sector.description = "Agriculture", "Farm produce."
    sector.save()
    bump_content_version()
    return translated


def test_english_feeds_list_english_news_on_english_addresses(client, english):
    parsed = read(client, "/feeds/en/news.xml")
    assert parsed.feed.language == "en"
    assert parsed.feed.link == f"{FRONTEND}/en/"
    assert parsed.feed.title == f"{settings.WAGTAIL_SITE_NAME} – News"
    [item] = parsed.entries
    assert (item.title, item.link) == (english.title, f"{FRONTEND}/en/news/farming/")
    assert [tag.term for tag in item.tags] == ["Agriculture", "Du lịch"]  # not translated yet: its own name
    sector = read(client, "/feeds/en/sectors/nong-nghiep.xml")
    assert sector.feed.title == f"{settings.WAGTAIL_SITE_NAME} – Agriculture"
    assert sector.feed.link == f"{FRONTEND}/en/?sector=nong-nghiep"
    assert titles(sector) == [english.title]
    # The Vietnamese feeds keep the Vietnamese news only.
    assert titles(read(client, LATEST)) == [TITLE]
    assert titles(read(client, sector_url("nong-nghiep"))) == [TITLE]


def test_an_unpublished_translation_is_in_no_feed(client, article, english):
    english.refresh_from_db()
    english.unpublish()
    bump_content_version()
    assert read(client, "/feeds/en/news.xml").entries == []
    assert titles(read(client, LATEST)) == [TITLE]
