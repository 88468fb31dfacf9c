"""The response cache: hits for repeated anonymous queries, invalidated by every content change."""

import datetime
import gzip
import hashlib
import json
import threading
import time
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail_factories import DocumentFactory, ImageFactory

from api.cache import fetch_or_compute
from news.factories import CooperationSectorFactory, NewsPageFactory
from news.models import CooperationSector, NewsPage
from publishing.cache_tags import versions_for
from testing.graphql import post_query

pytestmark = pytest.mark.django_db

LIST = "{ newsPages { items { title } } sectors { name } }"


def get(client, query, **headers):
    return client.get("/graphql/?" + urlencode({"query": query}), **headers)


def titles(response):
    return [item["title"] for item in response.json()["data"]["newsPages"]["items"]]


@pytest.fixture
def news(news_index):
    CooperationSectorFactory(name="Y tế", slug="y-te")
    return NewsPageFactory(parent=news_index, title="Tin đầu tiên")


def test_repeated_queries_are_served_from_the_cache(news, client):
    first, second = post_query(client, LIST), post_query(client, LIST)
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first.content == second.content


def test_the_key_is_the_normalised_document(news, client):
    post_query(client, LIST)
    spaced = "# danh sách tin\nquery {\n  newsPages { items { title } }\n  sectors { name }\n}"
    assert post_query(client, spaced)["X-Cache"] == "HIT"
    assert post_query(client, "{ newsPages { items { title slug } } }")["X-Cache"] == "MISS"


def test_variables_and_hosts_have_their_own_entries(news, client):
    query = "query ($n: Int) { newsPages(perPage: $n) { items { title } } }"
    assert post_query(client, query, {"n": 1})["X-Cache"] == "MISS"
    assert post_query(client, query, {"n": 2})["X-Cache"] == "MISS"
    assert post_query(client, query, {"n": 1})["X-Cache"] == "HIT"
    assert post_query(client, query, {"n": 1}, HTTP_HOST="other.example")["X-Cache"] == "MISS"


def test_publishing_invalidates(news, news_index, client, committed):
    assert titles(post_query(client, LIST)) == ["Tin đầu tiên"]
    draft = NewsPageFactory(parent=news_index, title="Tin mới", live=False)
    assert post_query(client, LIST)["X-Cache"] == "HIT"  # saving a draft changes nothing public
    with committed():
        draft.save_revision().publish()
    response = post_query(client, LIST)
    assert response["X-Cache"] == "MISS"
    assert titles(response) == ["Tin mới", "Tin đầu tiên"]


@pytest.mark.parametrize(
    "change",
    [
        "unpublish", "delete", "move", "edit a sector", "add a sector", "delete a sector",
        "restrict the page", "edit the hero image", "add a redirect",
    ],
)  # fmt: skip
def test_every_kind_of_change_invalidates_what_shows_it(news, news_index, client, committed, change):
    image = ImageFactory(title="Ảnh")
    NewsPage.objects.filter(pk=news.pk).update(hero_image=image)
    shows = {
        "edit the hero image": "{ newsPages { items { heroImage { title } } } }",
        "add a redirect": '{ redirect(path: "/cu") { url } }',
    }.get(change, LIST)
    post_query(client, shows)
    assert post_query(client, shows)["X-Cache"] == "HIT"
    with committed():
        page = NewsPage.objects.get(pk=news.pk)
        if change == "unpublish":
            page.unpublish()
        elif change == "delete":
            page.delete()
        elif change == "move":
            other = NewsPageFactory(parent=news_index, title="Tin khác")
            page.move(news_index, pos="first-child")
            other.delete()
        elif change == "edit a sector":
            CooperationSector.objects.filter(slug="y-te").update(name="Y tế cộng đồng")
            CooperationSector.objects.get(slug="y-te").save()
        elif change == "add a sector":
            CooperationSectorFactory(name="Du lịch", slug="du-lich")
        elif change == "delete a sector":
            CooperationSector.objects.get(slug="y-te").delete()
        elif change == "restrict the page":
            page.view_restrictions.create(restriction_type="login")
        elif change == "edit the hero image":
            image.title = "Ảnh đã sửa"
            image.save()
        elif change == "add a redirect":
            Redirect.objects.create(old_path="/cu", redirect_page=page)
    assert post_query(client, shows)["X-Cache"] == "MISS"


def test_what_no_answer_shows_keeps_every_entry(news, client, committed):
    post_query(client, LIST)
    with committed():
        ImageFactory(title="Ảnh mới")
        DocumentFactory(title="Tài liệu mới")
        Redirect.objects.create(old_path="/cu", redirect_link="https://example.com/")
    assert post_query(client, LIST)["X-Cache"] == "HIT"


def test_no_entry_outlives_a_scheduled_go_live_or_expiry(news, news_index, client):
    go_live_at = timezone.now() + datetime.timedelta(minutes=2)
    scheduled = NewsPageFactory(parent=news_index, title="Tin hẹn giờ", live=False)
    scheduled.go_live_at = go_live_at
    scheduled.save_revision().publish()
    NewsPage.objects.filter(pk=news.pk).update(expire_at=go_live_at + datetime.timedelta(minutes=2))
    assert titles(post_query(client, LIST)) == ["Tin đầu tiên"]
    assert post_query(client, LIST)["X-Cache"] == "HIT"
    with time_machine.travel(go_live_at + datetime.timedelta(seconds=1), tick=False):
        assert titles(post_query(client, LIST)) == ["Tin hẹn giờ", "Tin đầu tiên"]
    with time_machine.travel(go_live_at + datetime.timedelta(minutes=2, seconds=1), tick=False):
        assert titles(post_query(client, LIST)) == ["Tin hẹn giờ"]


def test_previews_and_editors_are_never_cached(news, client, admin_client):
    token_query = '{ page(token: "x") { title } }'
    for _ in range(2):
        response = post_query(client, token_query)
        assert "X-Cache" not in response and response["Cache-Control"] == "private, no-store"
    post_query(admin_client, LIST)
    response = post_query(admin_client, LIST)
    assert "X-Cache" not in response and response["Cache-Control"] == "private, no-store"


def test_get_answers_carry_an_etag_tags_and_a_shared_cache_lifetime(news, client, settings):
    settings.CDN_MAX_AGE, settings.CDN_STALE_WHILE_REVALIDATE = 3600, 30
    first = get(client, LIST)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=3600, stale-while-revalidate=30"
    sectors = [f"sector-{pk}" for pk in CooperationSector.objects.values_list("pk", flat=True)]
    assert first["Cache-Tag"].split(",") == sorted(["all", "news-vi", f"page-{news.pk}", "sectors", *sectors])
    etag = first["ETag"]
    again = get(client, LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert get(client, LIST, HTTP_IF_NONE_MATCH='"stale"').status_code == 200
    assert post_query(client, LIST)["Cache-Tag"] == first["Cache-Tag"]


def test_automatic_persisted_queries(news, client):
    sha = hashlib.sha256(LIST.encode()).hexdigest()
    extensions = json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha}})
    unknown = client.get("/graphql/?" + urlencode({"extensions": extensions}))
    assert unknown.status_code == 200
    assert unknown.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    registered = client.get("/graphql/?" + urlencode({"extensions": extensions, "query": LIST}))
    assert titles(registered) == ["Tin đầu tiên"]
    by_hash = client.get("/graphql/?" + urlencode({"extensions": extensions}))
    assert titles(by_hash) == ["Tin đầu tiên"] and by_hash["X-Cache"] == "HIT"
    wrong = client.get("/graphql/?" + urlencode({"extensions": extensions, "query": "{ sectors { slug } }"}))
    assert (
        wrong.status_code == 400
        and wrong.json()["errors"][0]["message"] == "provided sha does not match query"
    )


@pytest.mark.parametrize(
    "document",
    ["{ sectors { slug ", "{ notAField }", "query A { sectors { slug } } query A { sectors { name } }",
     "{ sectors { slug } } # " + "x" * 17_000],
    ids=["does not parse", "does not validate", "two operations named alike", "over the size limit"],
)  # fmt: skip
def test_persisted_queries_keep_only_documents_that_could_run(news, client, document):
    extensions = json.dumps(
        {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(document.encode()).hexdigest()}}
    )
    client.post(
        "/graphql/",
        json.dumps({"query": document, "extensions": json.loads(extensions)}),
        content_type="application/json",
    )
    by_hash = client.get("/graphql/?" + urlencode({"extensions": extensions}))
    assert by_hash.json()["errors"][0]["message"] == "PersistedQueryNotFound"


def test_one_recomputation_per_key_when_many_ask_at_once():
    computations = []

    def compute():
        computations.append(1)
        time.sleep(0.2)
        return {"body": b"{}", "tags": ["all"], "versions": versions_for(["all"], time.time())}, True

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(fetch_or_compute("graphql:test:stampede", compute)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(computations) == 1
    assert len(results) == 8 and all(entry["body"] == b"{}" for entry, _hit in results)


def test_answers_are_compressed_and_vary_only_on_what_matters(news, news_index, client):
    for n in range(5):
        NewsPageFactory(parent=news_index, title=f"Hợp tác phát triển giữa Bắc Kạn và Hà Nội, bài {n}")
    response = get(client, LIST, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert set(response["Vary"].replace(" ", "").lower().split(",")) == {"accept-encoding", "origin"}
    assert len(json.loads(gzip.decompress(response.content))["data"]["newsPages"]["items"]) == 6


def test_remembered_totals_follow_publishing_and_schedules(news, news_index, client, committed, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0  # the totals' own memory, not the response cache
    total = "{ newsPages { pagination { total } } }"

    def count():
        return post_query(client, total).json()["data"]["newsPages"]["pagination"]["total"]

    assert count() == 1
    with committed():
        NewsPageFactory(parent=news_index, title="Tin thứ hai", live=False).save_revision().publish()
    assert count() == 2
    go_live_at = timezone.now() + datetime.timedelta(seconds=90)
    scheduled = NewsPageFactory(parent=news_index, title="Tin hẹn giờ", live=False)
    scheduled.go_live_at = go_live_at
    with committed():
        scheduled.save_revision().publish()
    assert count() == 2
    with time_machine.travel(go_live_at + datetime.timedelta(seconds=1), tick=False):
        assert count() == 3
