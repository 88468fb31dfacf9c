"""
Cache tags (publishing.cache_tags): what answers carry, what changes purge, and the proof that
after any change's purge no cached answer differs from a fresh one.
"""

import datetime
import json
import random
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import PageViewRestriction, Site
from wagtail_factories import DocumentFactory, ImageFactory

from news.demo import load_demo_content
from news.factories import NewsIndexPageFactory, NewsPageFactory
from news.models import CooperationSector, NewsIndexPage, NewsPage
from publishing import cache_tags
from publishing.scheduling import publish_due_revisions
from testing.graphql import answer, post_query
from testing.queries import EXECUTION_CORPUS, FRONTEND_FIELDS
from testing.services import VarnishServer, requires_service

pytestmark = pytest.mark.django_db

ARTICLE = (
    f"{FRONTEND_FIELDS} seo {{ title canonicalUrl image {{ url }} }} translations {{ locale urlPath title }} "
    "related { title slug } previous { title } next { title } "
    "body { ... on RichTextBlock { value } ... on DocumentChooserBlock { document { title url } } }"
)


def corpus(slugs):
    """Every kind of public read: lists, counts, search, sitemap, lookups, each article."""
    queries = [
        *EXECUTION_CORPUS,
        "{ newsPages(perPage: 3) { items { slug title } pagination { total totalPages } } }",
        '{ newsPages(sector: "giao-duc") { items { title } pagination { total } } }',
        '{ newsPages(sector: "nong-nghiep", perPage: 2) { items { title } pagination { total } } }',
        '{ newsPages(tag: "bac-kan") { items { title } } }',
        '{ newsPages(locale: "en") { items { title sectors { name } } } '
        'sectors(locale: "en") { name newsCount } }',
        '{ search(query: "hợp tác") { items { title searchExcerpt } pagination { total } } }',
        "{ sitemap { items { urlPath lastPublishedAt } pagination { total } } }",
        '{ redirect(path: "/tin-tuc/cu/") { url isPermanent } }',
    ]
    for slug in sorted(slugs):
        queries.append(f'{{ newsPage(slug: "{slug}") {{ {ARTICLE} }} }}')
        queries.append(
            f'{{ page(urlPath: "/tin-tuc/{slug}/") {{ title ... on NewsPage {{ heroImage {{ title }} }} }} }}'
        )
    return queries


def fresh(client, query):
    """The answer computed now from the database: no response cache, no stored answers."""
    with override_settings(GRAPHQL_RESPONSE_CACHE_SECONDS=0, GRAPHQL_STORED_ANSWERS=False):
        return answer(client, query)


def difference(cached, now, path=""):
    """Where two answers differ: [(path, cached, now)], for a readable failure."""
    if isinstance(cached, dict) and isinstance(now, dict):
        keys = cached.keys() | now.keys()
        return [found for key in keys for found in difference(cached.get(key), now.get(key), f"{path}.{key}")]
    if isinstance(cached, list) and isinstance(now, list) and len(cached) == len(now):
        pairs = enumerate(zip(cached, now, strict=True))
        return [found for i, (one, other) in pairs for found in difference(one, other, f"{path}[{i}]")]
    return [] if cached == now else [(path, cached, now)]


class Newsroom:
    """Random changes of every kind a newsroom makes, each in its own committed transaction."""

    def __init__(self, rng, index, traveller):
        self.rng, self.index, self.traveller = rng, index, traveller
        self.sectors = list(CooperationSector.objects.canonical())
        self.image = ImageFactory(title="Ảnh Ba Bể")
        self.document = DocumentFactory(title="Thỏa thuận 196/HT-UBND")
        self.slugs = set(NewsPage.objects.values_list("slug", flat=True))
        self.made = 0

    def pages(self, **filters):
        return list(NewsPage.objects.filter(**filters).order_by("pk"))

    def publish_new(self):
        self.made += 1
        page = NewsPageFactory(
            parent=self.index, title=f"Hợp tác Bắc Kạn – Hà Nội số {self.made}", slug=f"tin-{self.made}",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=self.rng.randrange(400)),
            sectors=self.rng.sample(self.sectors, self.rng.randint(1, 2)),
            tags=self.rng.sample(["Bắc Kạn", "Ba Bể", "nông nghiệp"], self.rng.randint(0, 2)),
            hero_image=self.image if self.rng.random() < 0.5 else None,
            body=[("paragraph", f'<p><embed embedtype="image" id="{self.image.pk}" format="left"/></p>'),
                  ("document", self.document)],
        )  # fmt: skip
        self.slugs.add(page.slug)

    def edit(self):
        page = self.rng.choice(self.pages(live=True))
        page.title = page.title + " (cập nhật)"
        page.date = page.date + datetime.timedelta(days=self.rng.randint(-30, 30))
        page.sectors.set(self.rng.sample(self.sectors, self.rng.randint(1, 2)))
        page.save_revision().publish()

    def edit_lead(self):
        """An edit in place: only the answers showing the page change."""
        page = self.rng.choice(self.pages(live=True))
        page.intro = f"Hà Nội hỗ trợ Bắc Kạn {self.rng.randrange(1000)} tỷ đồng"
        page.save_revision().publish()

    def unpublish(self):
        self.rng.choice(self.pages(live=True)).unpublish()

    def republish(self):
        drafts = self.pages(live=False)
        if drafts:
            self.rng.choice(drafts).save_revision().publish()

    def delete(self):
        self.rng.choice(self.pages()).delete()

    def move(self):
        page = self.rng.choice(self.pages(live=True))
        page.move(self.index, pos=self.rng.choice(["first-child", "last-child"]))

    def rename_sector(self):
        sector = self.rng.choice(self.sectors)
        sector.name = sector.name.rstrip(" ✓") + (" ✓" if not sector.name.endswith("✓") else "")
        sector.save()

    def edit_image(self):
        self.image.title = f"Ảnh Ba Bể {self.rng.randrange(1000)}"
        self.image.save()

    def edit_document(self):
        self.document.title = f"Thỏa thuận {self.rng.randrange(1000)}/HT-UBND"
        self.document.save()

    def restrict(self):
        page = self.rng.choice(self.pages(live=True))
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    def lift_restriction(self):
        restriction = PageViewRestriction.objects.order_by("?").first()
        if restriction is not None:
            restriction.delete()

    def expire_soon(self):
        page = self.rng.choice(self.pages(live=True))
        page.expire_at = timezone.now() + datetime.timedelta(seconds=30)
        page.save_revision().publish()

    def schedule(self):
        page = self.rng.choice(self.pages(live=True))
        revision = page.save_revision()
        page.title = page.title + " (hẹn giờ)"
        revision = page.save_revision(approved_go_live_at=timezone.now() + datetime.timedelta(seconds=30))
        revision.publish()

    def time_passes(self):
        """Time passes: the next request publishes what fell due (publishing.scheduling), commits."""
        self.traveller.shift(45)
        publish_due_revisions()

    def redirect(self):
        page = self.rng.choice(self.pages(live=True))
        Redirect.objects.filter(old_path="/tin-tuc/cu").delete()
        Redirect.objects.create(old_path="/tin-tuc/cu", redirect_page=page)

    CHANGES = [
        "publish_new", "edit", "edit_lead", "edit_lead", "unpublish", "republish", "delete", "move",
        "rename_sector", "edit_image", "edit_document", "restrict", "lift_restriction", "expire_soon",
        "schedule", "time_passes", "redirect",
    ]  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_after_any_change_no_cached_answer_differs_from_a_fresh_one(demo, client, committed, seed):
    """
    Random content changes; after each (once its transaction has committed) every answer of the
    corpus read through the response cache equals a fresh one — and most are still hits.
    """
    rng = random.Random(seed)
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    hits = misses = 0
    with time_machine.travel(timezone.now(), tick=True) as traveller:
        newsroom = Newsroom(rng, index, traveller)
        with committed():
            for _ in range(4):
                newsroom.publish_new()
        history = []
        for _step in range(30):
            queries = corpus(newsroom.slugs)
            for query in queries:
                post_query(client, query)  # every answer in the cache
            change = rng.choice(Newsroom.CHANGES)
            history.append(change)
            with committed():
                getattr(newsroom, change)()
            for query in corpus(newsroom.slugs):
                response = post_query(client, query)
                hits += response["X-Cache"] == "HIT"
                misses += response["X-Cache"] == "MISS"
                cached, now = response.json(), fresh(client, query)
                assert cached == now, (" ".join(history), response["X-Cache"], query, difference(cached, now))
    # Hits were compared, not only answers computed afresh: a change purges what shows it, not all.
    assert hits > 100


def test_a_page_answer_names_what_it_shows(demo, client):
    page = NewsPage.objects.live().filter(hero_image__isnull=False).first() or NewsPage.objects.live().first()
    query = f'{{ newsPage(slug: "{page.slug}") {{ {ARTICLE} }} }}'
    response = client.get("/graphql/?" + urlencode({"query": query}))
    tags = response["Cache-Tag"].split(",")
    assert {"all", f"page-{page.pk}"} <= set(tags)
    assert {f"sector-{sector.pk}" for sector in page.sectors_in_its_language()} <= set(tags)
    assert {f"sector-news-{sector.pk}" for sector in page.sectors.all()} <= set(tags)  # its related news
    if page.hero_image_id:
        assert f"image-{page.hero_image_id}" in tags
    assert not any(tag.startswith("news-") for tag in tags)  # a publish elsewhere leaves it cached
    assert tags == sorted(tags) and all(tag.replace("-", "").isalnum() and tag.isascii() for tag in tags)


def test_publishing_one_page_keeps_the_other_articles_cached(demo, client, committed):
    pages = list(NewsPage.objects.live().order_by("date", "pk"))
    article = pages[0]
    query = f'{{ newsPage(slug: "{article.slug}") {{ title sectors {{ name }} }} }}'
    post_query(client, query)
    # Not its neighbour (in a section of its own), nor its translation.
    section = NewsIndexPageFactory(
        parent=article.get_parent().get_parent(), title="Thông báo", slug="thong-bao"
    )
    other = NewsPageFactory(parent=section, title="Thông báo mới")
    with committed():
        other.title = "Tin khác, đã sửa"
        other.save_revision().publish()
    assert post_query(client, query)["X-Cache"] == "HIT"
    with committed():
        article.title = "Tin này, đã sửa"
        article.save_revision().publish()
    response = post_query(client, query)
    assert response["X-Cache"] == "MISS" and response.json()["data"]["newsPage"]["title"] == "Tin này, đã sửa"


def test_a_sector_list_is_purged_by_its_sectors_pages_alone(demo, client, committed):
    """
    A list filtered by a sector is purged when a page gains or loses the sector — also one beyond
    the list's window, which only its total shows —, and not by a page of other sectors.
    """
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    education, farming, health = (
        CooperationSector.objects.canonical().get(slug=slug) for slug in ("giao-duc", "nong-nghiep", "y-te")
    )
    oldest = NewsPageFactory(
        parent=index, title="Trường Tiểu học Đồng Phúc", date=datetime.date(2001, 1, 1), sectors=[education]
    )
    # Their neighbours are each other and these, not the page the list shows (the newest in education).
    other = NewsPageFactory(
        parent=index, title="Du lịch Ba Bể", date=datetime.date(2000, 1, 1), sectors=[farming]
    )
    for year, title in ((2002, "Chè búp Chợ Đồn"), (2003, "Miến dong Na Rì")):
        NewsPageFactory(parent=index, title=title, date=datetime.date(year, 1, 1), sectors=[farming])
    query = '{ newsPages(sector: "giao-duc", perPage: 1) { items { title } pagination { total } } }'
    total = answer(client, query)["data"]["newsPages"]["pagination"]["total"]
    tags = client.get("/graphql/?" + urlencode({"query": query}))["Cache-Tag"].split(",")
    assert "news-vi-in-giao-duc" in tags and "news-vi" not in tags
    with committed():
        other.sectors.set([health])
        other.save_revision().publish()
    assert post_query(client, query)["X-Cache"] == "HIT"  # none of its sectors, before or after
    with committed():
        oldest.sectors.set([farming])  # leaves the list, beyond its window: only the total shows it
        oldest.save_revision().publish()
    response = post_query(client, query)
    assert (
        response["X-Cache"] == "MISS"
        and response.json()["data"]["newsPages"]["pagination"]["total"] == total - 1
    )
    with committed():
        oldest.sectors.set([farming, education])  # back in
        oldest.save_revision().publish()
    assert post_query(client, query).json()["data"]["newsPages"]["pagination"]["total"] == total


def test_hidden_answers_carry_no_tag_and_no_shared_lifetime(demo, client, admin_client):
    page = NewsPage.objects.live().first()
    token = page.create_page_preview().token
    preview = client.get("/graphql/?" + urlencode({"query": f'{{ newsPage(token: "{token}") {{ title }} }}'}))
    signed_in = admin_client.get("/graphql/?" + urlencode({"query": "{ newsPages { items { title } } }"}))
    for response in (preview, signed_in):
        assert response["Cache-Control"] == "private, no-store" and "Cache-Tag" not in response
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(page.url)
    assert "Cache-Tag" not in html and "public" not in html.get("Cache-Control", "")


def test_an_answer_computed_across_a_purge_is_not_kept_nor_shared(demo, client, monkeypatch):
    real = cache_tags.versions_for
    monkeypatch.setattr(
        cache_tags, "versions_for", lambda tags, started: cache_tags.stamp(tags[:2]) or real(tags, started)
    )
    query = "{ newsPages { items { title } } }"
    response = client.get("/graphql/?" + urlencode({"query": query}))
    assert response["Cache-Control"] == "private, no-store" and "Cache-Tag" not in response
    monkeypatch.setattr(cache_tags, "versions_for", real)
    assert post_query(client, query)["X-Cache"] == "MISS"  # it was not kept


def test_the_tag_header_folds_families_to_fit(settings):
    tags = ["all", *(f"page-{n}" for n in range(2000)), "sector-1", "image-5"]
    value = cache_tags.header_value(tags, header="Cache-Tag", limit=200)
    assert value == "all,image-5,pages,sector-1"
    assert cache_tags.header_value(tags, header="xkey", limit=100_000).count(" ") == len(tags) - 1
    hundred = ["all", *(f"page-{n}" for n in range(100_000, 100_100)), *(f"image-{n}" for n in range(100))]
    assert len(cache_tags.header_value(hundred).encode()) < 8000  # a list of 100 keeps every tag
    assert "pages" not in cache_tags.header_value(hundred)


def test_html_pages_carry_their_tags(demo, client):
    page = NewsPage.objects.live().first()
    response = client.get(page.url)
    assert response.status_code == 200
    tags = response["Cache-Tag"].split(",")
    assert {"all", f"page-{page.pk}", "pages"} <= set(tags)
    assert response["Cache-Control"].startswith("public, max-age=0, s-maxage=")
    home = client.get("/")
    assert f"children-{Site.objects.get(is_default_site=True).root_page_id}" in home["Cache-Tag"].split(",")


# Through Varnish (ops/varnish/newsroom.vcl), purged by webhooks.purging after each commit.


@pytest.fixture
def varnish_in_front(live_server, settings):
    """Varnish in front of the live server, purged by the CMS (in the committing thread)."""
    varnish = VarnishServer([int(live_server.url.rsplit(":", 1)[1])]).wait_ready()
    settings.CACHE_PURGE_BACKENDS = {
        "varnish": {"BACKEND": "webhooks.purging.VarnishBackend", "LOCATIONS": [varnish.base]}
    }
    settings.WEBHOOK_ASYNC = False
    yield varnish
    varnish.stop()


@requires_service("varnish")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_any_change_varnish_serves_no_answer_that_differs_from_a_fresh_one(varnish_in_front, client):
    """
    The same proof through a real Varnish: every change commits (its purge is sent before the change
    returns), then every answer of the corpus read through Varnish equals one computed afresh. The
    changes that need time to pass are left out: Varnish's clock is not the test's (their answers'
    `s-maxage` ends at the scheduled second, test_a_scheduled_change_bounds_the_shared_lifetime).
    """
    load_demo_content()
    rng = random.Random(7)
    index = NewsIndexPage.objects.get(slug="tin-tuc")
    newsroom = Newsroom(rng, index, traveller=None)
    for _ in range(3):
        newsroom.publish_new()
    timeless = [
        change for change in Newsroom.CHANGES if change not in ("expire_soon", "schedule", "time_passes")
    ]
    hits, history = 0, []
    for _step in range(15):
        for query in corpus(newsroom.slugs):
            varnish_in_front.request("/graphql/?" + urlencode({"query": query}))
        change = rng.choice(timeless)
        history.append(change)
        getattr(newsroom, change)()
        for query in corpus(newsroom.slugs):
            status, headers, body = varnish_in_front.request("/graphql/?" + urlencode({"query": query}))
            hits += headers["X-Varnish-Cache"] == "HIT"
            seen = (" ".join(history), headers["X-Varnish-Cache"], query)
            assert json.loads(body) == fresh(client, query), seen
    assert hits > 100


def test_a_scheduled_change_bounds_the_shared_lifetime(demo, client):
    page = NewsPage.objects.live().first()
    page.expire_at = timezone.now() + datetime.timedelta(seconds=90)
    page.save_revision().publish()
    response = client.get("/graphql/?" + urlencode({"query": "{ newsPages { items { title } } }"}))
    max_age = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < max_age <= 90 and response["Cache-Control"].endswith("stale-while-revalidate=0")
