"""Vietnamese and English through the same API: every root field in both languages."""

import datetime

import pytest
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Locale, Page

from news.factories import CooperationSectorFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


def translate(page, locale, **changes):
    """The English translation of `page`, with `changes`, published (as an editor would)."""
    translation = page.copy_for_translation(locale)
    for name, value in changes.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    translation.refresh_from_db()
    return translation


@pytest.fixture
def english(db):
    return Locale.objects.get(language_code="en")


@pytest.fixture
def site(news_index, english):
    """
    The Vietnamese site with its English translation: home, "Tin tức" / "News", two sectors (one
    translated), a Vietnamese article with its English translation, a Vietnamese-only article and
    an English-only one.
    """
    farming = CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep", description="Trồng trọt")
    schools = CooperationSectorFactory(name="Giáo dục", slug="giao-duc")
    farming_en = farming.copy_for_translation(english)
    farming_en.name, farming_en.description = "Agriculture", "Farming"
    farming_en.save()
    home = news_index.get_parent().specific
    home_en = translate(home, english, title="Home")
    index_en = translate(news_index, english, title="News", slug="news")
    both = NewsPageFactory(
        parent=news_index, title="Bắc Kạn và Hà Nội hợp tác nông nghiệp", slug="hop-tac-nong-nghiep",
        date=datetime.date(2025, 6, 1), sectors=[farming, schools], tags=["Bắc Kạn"],
    )  # fmt: skip
    both_en = translate(both, english, title="Bắc Kạn and Hanoi cooperate on farming", slug="farming")
    vi_only = NewsPageFactory(parent=news_index, title="Chỉ có tiếng Việt", slug="chi-tieng-viet",
                              date=datetime.date(2025, 6, 2), sectors=[farming])  # fmt: skip
    en_only = NewsPageFactory(parent=index_en, title="English only", slug="english-only",
                              date=datetime.date(2025, 6, 3), sectors=[farming])  # fmt: skip
    return {"home_en": home_en, "index_en": index_en, "both": both, "both_en": both_en,
            "vi_only": vi_only, "en_only": en_only, "farming_en": farming_en}  # fmt: skip


def titles(items):
    return [item["title"] for item in items]


def test_news_lists_answer_in_the_asked_language(gql, site):
    query = (
        "query ($l: String) { newsPages(locale: $l) { items { title locale urlPath } pagination { total } } }"
    )
    vi = gql(query)["newsPages"]
    assert titles(vi["items"]) == ["Chỉ có tiếng Việt", "Bắc Kạn và Hà Nội hợp tác nông nghiệp"]
    assert {item["locale"] for item in vi["items"]} == {"vi"} and vi["pagination"]["total"] == 2
    en = gql(query, {"l": "en"})["newsPages"]
    assert en["items"] == [
        {"title": "English only", "locale": "en", "urlPath": "/en/news/english-only/"},
        {"title": "Bắc Kạn and Hanoi cooperate on farming", "locale": "en", "urlPath": "/en/news/farming/"},
    ]
    assert en["pagination"]["total"] == 2
    assert gql('{ newsPages(locale: "en", sector: "nong-nghiep") { pagination { total } } }')[
        "newsPages"
    ] == {"pagination": {"total": 2}}


@pytest.mark.parametrize(
    "field",
    ['newsPages(locale: "fr") { items { title } }', 'search(query: "a", locale: "xx") { items { title } }',
     'sectors(locale: "EN") { name }', 'sector(slug: "nong-nghiep", locale: "") { name }',
     'newsPage(slug: "farming", locale: "en-us") { title }', 'sitemap(locale: "de") { items { urlPath } }',
     'page(id: "1", locale: "fr") { title }', 'redirect(path: "/x/", locale: "fr") { url }'],
)  # fmt: skip
def test_an_unknown_locale_is_a_clear_error(gql, site, field):
    [message] = gql.errors(f"{{ {field} }}")
    assert message.startswith('Unknown locale "') and message.endswith('": use one of vi, en.')


def test_one_news_page_by_slug_in_each_language(gql, site):
    query = "query ($s: String!, $l: String) { newsPage(slug: $s, locale: $l) { title locale } }"
    assert gql(query, {"s": "farming", "l": "en"})["newsPage"]["locale"] == "en"
    assert gql(query, {"s": "farming"})["newsPage"] is None
    assert gql(query, {"s": "hop-tac-nong-nghiep", "l": "en"})["newsPage"] is None
    assert gql(query, {"s": "hop-tac-nong-nghiep"})["newsPage"]["locale"] == "vi"


def test_pages_by_path_read_the_language_from_the_path(gql, site):
    query = "query ($p: String!, $l: String) { page(urlPath: $p, locale: $l) { title locale urlPath } }"
    assert gql(query, {"p": "/en/news/farming/"})["page"] == {
        "title": "Bắc Kạn and Hanoi cooperate on farming", "locale": "en", "urlPath": "/en/news/farming/",
    }  # fmt: skip
    assert gql(query, {"p": "/en/"})["page"]["title"] == "Home"
    assert gql(query, {"p": "/en/news/"})["page"]["title"] == "News"
    assert gql(query, {"p": "/news/farming/"})["page"] is None
    assert gql(query, {"p": "/tin-tuc/hop-tac-nong-nghiep/"})["page"]["locale"] == "vi"
    assert gql(query, {"p": "/en/news/farming/", "l": "vi"})["page"] is None
    by_id = "query ($id: ID!, $l: String) { page(id: $id, locale: $l) { title } }"
    assert gql(by_id, {"id": site["both_en"].pk})["page"]["title"].startswith("Bắc Kạn and")
    assert gql(by_id, {"id": site["both_en"].pk, "l": "vi"})["page"] is None


def test_every_page_names_its_language_and_its_visible_translations(gql, site, english):
    query = "query ($p: String!) { page(urlPath: $p) { locale translations { locale urlPath title } } }"
    assert gql(query, {"p": "/tin-tuc/hop-tac-nong-nghiep/"})["page"] == {
        "locale": "vi",
        "translations": [
            {
                "locale": "en",
                "urlPath": "/en/news/farming/",
                "title": "Bắc Kạn and Hanoi cooperate on farming",
            }
        ],
    }
    assert gql(query, {"p": "/en/news/farming/"})["page"]["translations"] == [
        {
            "locale": "vi",
            "urlPath": "/tin-tuc/hop-tac-nong-nghiep/",
            "title": "Bắc Kạn và Hà Nội hợp tác nông nghiệp",
        }
    ]
    assert gql(query, {"p": "/tin-tuc/chi-tieng-viet/"})["page"]["translations"] == []
    # An English translation not yet published is no translation for readers.
    draft = site["vi_only"].copy_for_translation(english)
    draft.save_revision()
    assert not Page.objects.get(pk=draft.pk).live
    assert gql(query, {"p": "/tin-tuc/chi-tieng-viet/"})["page"]["translations"] == []


def test_sectors_are_named_and_counted_in_the_asked_language(gql, site):
    query = "query ($l: String) { sectors(locale: $l) { name slug description newsCount } }"
    assert gql(query)["sectors"] == [
        {"name": "Nông nghiệp", "slug": "nong-nghiep", "description": "Trồng trọt", "newsCount": 2},
        {
            "name": "Giáo dục",
            "slug": "giao-duc",
            "description": "Hợp tác giữa các địa phương.",
            "newsCount": 1,
        },
    ]
    # "Giáo dục" has no English translation yet: it keeps its Vietnamese name.
    assert gql(query, {"l": "en"})["sectors"] == [
        {"name": "Agriculture", "slug": "nong-nghiep", "description": "Farming", "newsCount": 2},
        {
            "name": "Giáo dục",
            "slug": "giao-duc",
            "description": "Hợp tác giữa các địa phương.",
            "newsCount": 1,
        },
    ]
    one = 'query ($l: String) { sector(slug: "nong-nghiep", locale: $l) { name newsCount } }'
    assert gql(one, {"l": "en"})["sector"] == {"name": "Agriculture", "newsCount": 2}
    news = gql('{ newsPage(slug: "farming", locale: "en") { sectors { name slug newsCount } } }')
    assert news["newsPage"]["sectors"] == [
        {"name": "Agriculture", "slug": "nong-nghiep", "newsCount": 2},
        {"name": "Giáo dục", "slug": "giao-duc", "newsCount": 1},
    ]


def test_search_answers_in_the_asked_language_only(gql, site):
    query = "query ($q: String!, $l: String) { search(query: $q, locale: $l) { items { title } } }"
    assert titles(gql(query, {"q": "Bắc Kạn", "l": "en"})["search"]["items"]) == [
        "Bắc Kạn and Hanoi cooperate on farming"
    ]
    assert titles(gql(query, {"q": "Bac Kan"})["search"]["items"]) == [
        "Bắc Kạn và Hà Nội hợp tác nông nghiệp"
    ]
    assert gql(query, {"q": "English", "l": "vi"})["search"]["items"] == []


def test_the_sitemap_lists_each_language_on_its_own_paths(gql, site):
    query = "query ($l: String) { sitemap(locale: $l) { items { urlPath } pagination { total } } }"
    assert [item["urlPath"] for item in gql(query, {"l": "en"})["sitemap"]["items"]] == [
        "/en/", "/en/news/", "/en/news/farming/", "/en/news/english-only/",
    ]  # fmt: skip
    vi = gql(query)["sitemap"]
    assert vi["pagination"]["total"] == 4 and all(
        not item["urlPath"].startswith("/en/") for item in vi["items"]
    )


def test_related_previous_and_next_stay_in_the_pages_language(gql, site):
    query = (
        '{ newsPage(slug: "farming", locale: "en") { related { title } previous { title } next { title } } }'
    )
    assert gql(query)["newsPage"] == {"related": [{"title": "English only"}], "previous": None,
                                      "next": {"title": "English only"}}  # fmt: skip


def test_redirects_of_english_pages(gql, site):
    Redirect.add_redirect("/en/news/old-farming/", site["both_en"])
    query = "query ($p: String!, $l: String) { redirect(path: $p, locale: $l) { urlPath } }"
    assert gql(query, {"p": "/en/news/old-farming/"})["redirect"] == {"urlPath": "/en/news/farming/"}
    assert gql(query, {"p": "/en/news/old-farming/", "l": "vi"})["redirect"] is None


def test_a_preview_of_an_english_draft(gql, site):
    page = site["both_en"]
    page.title = "Draft: Bắc Kạn and Hanoi"
    token = page.create_page_preview().token
    draft = gql("query ($t: String!) { page(token: $t) { title locale urlPath } }", {"t": token})["page"]
    assert draft == {"title": "Draft: Bắc Kạn and Hanoi", "locale": "en", "urlPath": "/en/news/farming/"}


ENGLISH_LIST = """{ newsPages(locale: "en", perPage: 50) { items {
  title urlPath locale sectors { name newsCount } tags { slug }
  translations { locale urlPath } related { title } previous { title }
} } }"""


@pytest.mark.parametrize("count", [0, 20])
def test_an_english_list_costs_the_same_queries_for_2_or_22_items(
    gql, site, assert_data_queries, settings, count
):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0  # count the work, not the cache
    for n in range(count):
        NewsPageFactory(
            parent=site["index_en"], title=f"English news {n}", sectors=[site["both"].sectors.first()]
        )
    gql(ENGLISH_LIST)
    # The site's English root (1), the list (1), its sectors and tags (2), the sectors' English
    # names (1) and their counts of English news (1), the translations (1), the related pages (1),
    # the neighbours' ids and pages (2); the site and its restricted sections are remembered
    # until the content changes.
    with assert_data_queries(10):
        items = gql(ENGLISH_LIST)["newsPages"]["items"]
    assert len(items) == 2 + count and {item["locale"] for item in items} == {"en"}


def test_english_search_finds_words_by_their_stem(gql, site, english):
    NewsPageFactory(
        parent=site["index_en"],
        title="Farmers cooperating across provinces",
        slug="farmers-cooperating",
        date=datetime.date(2025, 1, 1),  # older than the other: second
        intro="Hanoi and Bac Kan farms share their harvests.",
    )
    query = (
        "query ($q: String!, $l: String) { search(query: $q, locale: $l) { items { title searchExcerpt } } }"
    )
    found = gql(query, {"q": "cooperation", "l": "en"})["search"]["items"]
    assert titles(found) == ["Bắc Kạn and Hanoi cooperate on farming", "Farmers cooperating across provinces"]
    found = gql(query, {"q": "farming harvest", "l": "en"})["search"]["items"]
    assert found == [
        {
            "title": "Farmers cooperating across provinces",
            "searchExcerpt": "Hanoi and Bac Kan <mark>farms</mark> share their <mark>harvests</mark>. "
            "Đồng Phúc, huyện Ba Bể.",
        }
    ]
    # Vietnamese is matched word for word, with or without diacritics, as before; English pages are
    # not in Vietnamese results.
    assert gql(query, {"q": "cooperation"})["search"]["items"] == []
    assert titles(gql(query, {"q": "nong nghiep"})["search"]["items"]) == [
        "Bắc Kạn và Hà Nội hợp tác nông nghiệp",  # in its title: first
        "Chỉ có tiếng Việt",  # in its sector's name
    ]


def test_english_sector_names_are_searchable_in_english(gql, site):
    query = 'query ($q: String!) { search(query: $q, locale: "en") { items { title } } }'
    # "Agriculture" is the English name of "Nông nghiệp": English pages are indexed with it.
    assert titles(gql(query, {"q": "agriculture"})["search"]["items"]) == [
        "English only",
        "Bắc Kạn and Hanoi cooperate on farming",
    ]


def test_the_cms_serves_english_pages_under_en(client, site):
    response = client.get("/en/news/farming/")
    assert response.status_code == 200 and response["Content-Language"] == "en"
    assert "Bắc Kạn and Hanoi cooperate on farming" in response.content.decode()
    assert client.get("/tin-tuc/hop-tac-nong-nghiep/")["Content-Language"] == "vi"
    assert client.get("/en/tin-tuc/hop-tac-nong-nghiep/").status_code == 404
    assert client.get("/vi/tin-tuc/hop-tac-nong-nghiep/").status_code == 404  # Vietnamese has no prefix
