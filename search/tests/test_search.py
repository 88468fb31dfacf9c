"""GraphQL `search`: accent- and case-insensitive, ranked, live and public news only."""

import datetime
import re

import hypothesis
import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from news.factories import CooperationSectorFactory, NewsPageFactory
from news.models import NewsPage
from testing.content import DEMO_TITLE
from testing.queries import PAGINATION

pytestmark = pytest.mark.django_db

SEARCH = f"""
query ($q: String!, $page: Int, $perPage: Int, $sector: String) {{
  search(query: $q, page: $page, perPage: $perPage, sector: $sector) {{
    items {{ title slug }}
    {PAGINATION}
  }}
}}
"""


def search(gql, q, **variables):
    return gql(SEARCH, {"q": q, **variables})["search"]


def titles(gql, q, **variables):
    return [item["title"] for item in search(gql, q, **variables)["items"]]


@pytest.mark.parametrize("spelling", ["bac kan", "Bắc Kạn", "BẮC KẠN", "bắc kạn", "Bac Kan"])
def test_every_spelling_finds_the_demo_article(demo, gql, spelling):
    assert titles(gql, spelling) == [DEMO_TITLE]


@pytest.mark.parametrize("spelling", ["Đồng Phúc", "dong phuc", "ĐỒNG PHÚC", "đồng phúc"])
def test_d_with_stroke_matches_d(demo, gql, spelling):
    assert titles(gql, spelling) == [DEMO_TITLE]


@pytest.mark.parametrize(
    "query", ["Nguyễn Nga", "nguyen nga", "Văn hóa", "tieu thu cong nghiep", "miến dong", "OCOP"]
)
def test_byline_sectors_and_body_are_indexed(demo, gql, query):
    assert titles(gql, query) == [DEMO_TITLE]


def test_every_word_must_match(demo, gql):
    assert titles(gql, "Bắc Kạn Hà Nội") == [DEMO_TITLE]
    assert titles(gql, "Bắc Kạn khinh khí cầu") == []


@pytest.fixture
def sectors(db):
    return {
        slug: CooperationSectorFactory(slug=slug, name=name)
        for slug, name in [("y-te", "Y tế"), ("du-lich", "Du lịch")]
    }


def test_title_matches_rank_above_body_matches(news_index, gql, sectors):
    body_only = NewsPageFactory(
        parent=news_index,
        title="Hợp tác phát triển du lịch",
        body=[("paragraph", "<p>Đoàn công tác thăm hồ Ba Bể, rồi trở lại Ba Bể lần nữa.</p>")],
    )
    in_title = NewsPageFactory(parent=news_index, title="Hồ Ba Bể đón khách", body=[])
    found = titles(gql, "ba be")
    assert found == [in_title.title, body_only.title]


def test_sector_filter_and_pagination(news_index, gql, sectors):
    for n in range(12):
        NewsPageFactory(
            parent=news_index,
            title=f"Chuyển giao kỹ thuật y tế số {n}",
            sectors=[sectors["y-te"] if n % 3 else sectors["du-lich"]],
        )
    everything = search(gql, "chuyen giao ky thuat", perPage=5)
    assert everything["pagination"] == {
        "total": 12, "count": 5, "perPage": 5, "currentPage": 1,
        "totalPages": 3, "nextPage": 2, "prevPage": None,
    }  # fmt: skip
    last = search(gql, "chuyen giao ky thuat", perPage=5, page=3)
    assert last["pagination"]["count"] == 2 and len(last["items"]) == 2
    tourism = search(gql, "chuyển giao kỹ thuật", sector="du-lich")
    assert tourism["pagination"]["total"] == 4
    assert all(int(title.rsplit(" ", 1)[1]) % 3 == 0 for title in [i["title"] for i in tourism["items"]])
    assert search(gql, "chuyen giao", sector="khong-co")["items"] == []


def test_no_match_is_an_empty_list(demo, gql):
    result = search(gql, "xyzzy")
    assert result["items"] == [] and result["pagination"]["total"] == 0


class TestTheIndexFollowsPublishing:
    def test_publish_makes_a_page_findable(self, news_index, gql, committed):
        page = NewsPageFactory(parent=news_index, title="Tin về khinh khí cầu", live=False)
        assert titles(gql, "khinh khi cau") == []
        with committed():
            page.save_revision().publish()
        assert titles(gql, "khinh khi cau") == ["Tin về khinh khí cầu"]

    def test_unpublish_and_delete_remove_it(self, news_index, gql, committed):
        page = NewsPageFactory(parent=news_index, title="Tin về khinh khí cầu")
        page.save_revision().publish()
        with committed():
            NewsPage.objects.get(pk=page.pk).unpublish()
        assert titles(gql, "khinh khi cau") == []
        with committed():
            NewsPage.objects.get(pk=page.pk).save_revision().publish()
        assert titles(gql, "khinh khi cau") == ["Tin về khinh khí cầu"]
        with committed():
            NewsPage.objects.get(pk=page.pk).delete()
        assert titles(gql, "khinh khi cau") == []

    def test_expiry_removes_it(self, news_index, gql):
        NewsPageFactory(
            parent=news_index,
            title="Tin về khinh khí cầu",
            expire_at=timezone.now() - datetime.timedelta(seconds=1),
        )
        assert titles(gql, "khinh khi cau") == []

    def test_a_draft_of_a_live_page_is_not_findable_until_published(self, news_index, gql, committed):
        NewsPageFactory(parent=news_index, title="Tin đã xuất bản").save_revision().publish()
        page = NewsPage.objects.get(title="Tin đã xuất bản")
        page.body = [("paragraph", "<p>Từ khóa độc nhất: quạt mo Pác Nặm.</p>")]
        page.save_revision()
        assert titles(gql, "quat mo pac nam") == []
        with committed():
            page.get_latest_revision().publish()
        assert titles(gql, "quat mo pac nam") == ["Tin đã xuất bản"]

    def test_hidden_pages_are_never_found(self, news_index, gql):
        private = NewsPageFactory(parent=news_index, title="Tin nội bộ về khinh khí cầu")
        PageViewRestriction.objects.create(page=private, restriction_type="login")
        NewsPageFactory(parent=news_index, title="Bản nháp về khinh khí cầu", live=False)
        assert titles(gql, "khinh khi cau") == []

    def test_renaming_a_sector_updates_the_index(self, news_index, gql, sectors):
        NewsPageFactory(parent=news_index, title="Tin bất kỳ", sectors=[sectors["y-te"]])
        sectors["y-te"].name = "Chăm sóc sức khỏe"
        sectors["y-te"].save()
        assert titles(gql, "cham soc suc khoe") == ["Tin bất kỳ"]


@pytest.mark.parametrize(
    "query",
    ['"', "'", "*", "bac*", '"bac kan"', "NEAR(bac kan)", "bac AND kan", "bac OR", "NOT kan", "-kan",
     "(bac", "kan)", "title:bac", "bac^2", "a & b | !c", "bac:*", "%", "_", "\\", "😀", "؟",
     "SELECT * FROM wagtailcore_page; --", "bac kan " * 10],
)  # fmt: skip
def test_operator_characters_are_plain_text(demo, gql, query):
    result = search(gql, query)
    assert isinstance(result["items"], list)


def test_a_nul_character_is_a_clear_error(demo, gql):
    assert gql.errors(SEARCH, {"q": "bắc\x00kạn"}) == [
        "`variables` holds text that is not valid Unicode, or a NUL character."
    ]


@pytest.mark.parametrize("query", ["!!!", "...", "– — …", "?!"])
def test_punctuation_only_finds_nothing(demo, gql, query):
    assert search(gql, query)["items"] == []


@pytest.mark.parametrize("query", ["", "   ", "\n\t"])
def test_an_empty_query_is_a_clear_error(demo, gql, query):
    assert gql.errors(SEARCH, {"q": query}) == ["Type something to search for."]


def test_an_overlong_query_is_a_clear_error(demo, gql, settings):
    assert gql.errors(SEARCH, {"q": "bắc kạn " * 1250}) == ["Search queries are limited to 200 characters."]
    settings.SEARCH_MAX_QUERY_LENGTH = 20_000
    assert search(gql, "bắc kạn " * 1250)["items"] == [
        {"title": DEMO_TITLE, "slug": search(gql, "bac kan")["items"][0]["slug"]}
    ]


RANKED = """
query ($q: String!, $page: Int, $perPage: Int) {
  search(query: $q, page: $page, perPage: $perPage) {
    items { title date searchExcerpt }
    pagination { total totalIsEstimate count currentPage }
  }
}
"""


def dated(news_index, title, days_ago, body="", **fields):
    return NewsPageFactory(
        parent=news_index,
        title=title,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        body=[("paragraph", f"<p>{body}</p>")] if body else [],
        **fields,
    )


def test_title_matches_come_first_then_the_newest(news_index, gql):
    dated(news_index, "Hồ Ba Bể mùa thu", 30)
    dated(news_index, "Hồ Ba Bể đón khách", 2)
    dated(news_index, "Du lịch cộng đồng", 1, body="Đoàn khách thăm hồ Ba Bể.")
    dated(news_index, "Văn hóa Tày", 10, body="Lễ hội bên hồ Ba Bể.")
    dated(news_index, "Không liên quan", 0, body="Hồ Núi Cốc.")
    assert titles(gql, "ba be") == [
        "Hồ Ba Bể đón khách",
        "Hồ Ba Bể mùa thu",
        "Du lịch cộng đồng",
        "Văn hóa Tày",
    ]
    # The same order page by page, also across the boundary between the two kinds.
    pages = [titles(gql, "ba be", perPage=1, page=page) for page in range(1, 6)]
    assert pages == [["Hồ Ba Bể đón khách"], ["Hồ Ba Bể mùa thu"], ["Du lịch cộng đồng"], ["Văn hóa Tày"], []]


def test_totals_are_exact_up_to_the_limit_then_flagged_as_estimates(news_index, gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    for n in range(7):
        dated(news_index, f"Nông sản Bắc Kạn số {n}", n)
    exact = gql(RANKED, {"q": "nong san", "perPage": 3})["search"]["pagination"]
    assert exact == {"total": 7, "totalIsEstimate": False, "count": 3, "currentPage": 1}
    settings.SEARCH_EXACT_TOTAL = 5
    estimated = gql(RANKED, {"q": "nong san", "perPage": 3})["search"]
    assert estimated["pagination"]["totalIsEstimate"] is True
    assert estimated["pagination"]["total"] >= 6
    assert [item["title"] for item in estimated["items"]] == [f"Nông sản Bắc Kạn số {n}" for n in range(3)]
    assert gql("{ newsPages { pagination { totalIsEstimate } } }")["newsPages"]["pagination"] == {
        "totalIsEstimate": False
    }


def test_results_reach_a_bounded_depth(news_index, gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    for n in range(6):
        dated(news_index, f"Chè Shan tuyết {n}", n)
    settings.SEARCH_MAX_RESULTS = 4
    assert len(titles(gql, "che shan tuyet", perPage=3, page=1)) == 3
    assert len(titles(gql, "che shan tuyet", perPage=3, page=2)) == 1  # results 4 only
    assert titles(gql, "che shan tuyet", perPage=3, page=3) == []


def test_excerpts_mark_the_words_searched_for_with_or_without_diacritics(news_index, gql):
    dated(
        news_index,
        "Hợp tác phát triển",
        1,
        intro="Hai tỉnh ký kết biên bản hợp tác.",
        body="Sáng 12/11, đoàn công tác tỉnh Bắc Kạn làm việc với thành phố Hà Nội về <b>nông nghiệp</b>.",
    )
    for query in ("bac kan", "Bắc Kạn", "BẮC KẠN"):
        [item] = gql(RANKED, {"q": query})["search"]["items"]
        assert "<mark>Bắc Kạn</mark> làm việc với thành phố Hà Nội" in item["searchExcerpt"]
        assert item["searchExcerpt"].startswith("…")  # cut before the first match
    [item] = gql(RANKED, {"q": "ha noi nong nghiep"})["search"]["items"]
    assert "<mark>Hà Nội</mark> về <mark>nông nghiệp</mark>." in item["searchExcerpt"]


def test_excerpts_escape_everything_but_the_marks(news_index, gql):
    dated(news_index, "Cảnh báo", 1, body="Mã độc &lt;script&gt;alert(1)&lt;/script&gt; giả danh Bắc Kạn.")
    [item] = gql(RANKED, {"q": "bac kan"})["search"]["items"]
    excerpt = item["searchExcerpt"]
    assert "<script>" not in excerpt and "&lt;script&gt;" in excerpt
    assert excerpt.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_excerpts_only_in_search_results(news_index, gql):
    dated(news_index, "Bắc Kạn", 1, body="Bắc Kạn.")
    assert gql("{ newsPages { items { searchExcerpt } } }")["newsPages"]["items"] == [{"searchExcerpt": None}]


def test_excerpts_come_from_the_live_page_never_a_draft(news_index, gql):
    page = dated(news_index, "Tin đã xuất bản", 1, body="Bản công khai nói về Bắc Kạn.")
    page.save_revision().publish()
    page = NewsPage.objects.get(pk=page.pk)
    page.body = [("paragraph", "<p>Bản nháp bí mật nói về Bắc Kạn.</p>")]
    page.save_revision()
    [item] = gql(RANKED, {"q": "bac kan"})["search"]["items"]
    assert "công khai" in item["searchExcerpt"] and "bí mật" not in item["searchExcerpt"]


def test_many_words_and_operators_are_plain_words(demo, gql):
    words = " ".join(f"từ{n}" for n in range(32))
    assert titles(gql, words) == []
    assert titles(gql, '"Bắc Kạn" AND (Hà OR Nội) NOT -Thái*') == []  # every word, as words
    assert titles(gql, "Bắc Kạn NOT") == []


def test_a_renamed_sector_is_found_by_its_new_name(news_index, gql, sectors, committed):
    dated(news_index, "Tin bất kỳ", 1, sectors=[sectors["du-lich"]])
    with committed():
        sectors["du-lich"].name = "Du lịch cộng đồng sinh thái"
        sectors["du-lich"].save()
    assert titles(gql, "sinh thai") == ["Tin bất kỳ"]


def test_generated_news_are_indexed_and_the_index_can_be_rebuilt(db, gql):
    from django.core.management import call_command

    from search.index import is_empty

    call_command("generate_news", 30, stdout=open("/dev/null", "w"))
    before = search(gql, "bac kan")["pagination"]["total"]
    assert before >= 20
    call_command("rebuild_news_search", stdout=open("/dev/null", "w"))
    assert not is_empty()
    assert search(gql, "bac kan")["pagination"]["total"] == before


def indexed():
    """The page ids the news search index holds."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT page_id FROM search_news_entry")
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Đoàn công tác TP.HCM thăm Bắc Kạn", "TP.HCM"),
        ("Đoàn công tác TP.HCM thăm Bắc Kạn", "tp hcm"),
        ("Vốn đầu tư 1.000 tỷ đồng", "1.000 tỷ"),
        ("Vốn đầu tư 2.500.000 đồng", "2 500 000"),
        ("Liên hệ toasoan@backan.gov.vn", "toasoan backan gov vn"),
        ("Ký ngày 12/3/2024 tại Chợ Mới", "12/3/2024"),
        ("Phòng chống COVID-19", "covid 19"),
        ("Mã dự_án_OCOP", "du an ocop"),
    ],
)
def test_words_joined_by_punctuation_are_found_by_each_word(news_index, gql, text, query):
    # PostgreSQL's parser keeps "tp.hcm", "1.000" or an e-mail address whole: the index holds
    # the same words as a query has, whatever the backend's tokenizer does.
    dated(news_index, "Tin có dấu chấm", 1, body=text)
    assert titles(gql, query) == ["Tin có dấu chấm"]


def test_excerpts_mark_words_joined_by_punctuation(news_index, gql):
    dated(news_index, "Tin TP.HCM", 1, body="Đoàn TP.HCM và dự_án OCOP.")
    [item] = gql(RANKED, {"q": "hcm du an"})["search"]["items"]
    assert "Đoàn TP.<mark>HCM</mark> và <mark>dự</mark>_<mark>án</mark> OCOP." in item["searchExcerpt"]


class TestPlainPageSaves:
    """Wagtail saves some pages as plain `Page` objects; the index follows them too."""

    def test_unpublishing_a_plain_page_removes_its_row(self, news_index, gql):
        from wagtail.models import Page

        page = dated(news_index, "Tin về khinh khí cầu", 1)
        assert page.pk in indexed()
        Page.objects.get(pk=page.pk).unpublish()  # as the bulk unpublish action does
        assert page.pk not in indexed()

    def test_scheduled_expiry_removes_its_row(self, news_index, gql):
        from django.core.management import call_command

        page = dated(news_index, "Tin về khinh khí cầu", 1)
        NewsPage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - datetime.timedelta(minutes=1))
        call_command("publish_scheduled", stdout=open("/dev/null", "w"))
        assert page.pk not in indexed()

    def test_deleting_a_plain_page_removes_its_row(self, news_index, gql):
        from wagtail.models import Page

        dated(news_index, "Tin về khinh khí cầu", 1)
        Page.objects.get(pk=news_index.pk).delete()  # the section, and the news under it
        assert indexed() == set()


def test_a_deleted_sector_leaves_the_index(news_index, gql, sectors, committed):
    dated(news_index, "Tin bất kỳ", 1, sectors=[sectors["du-lich"]])
    assert titles(gql, "du lich") == ["Tin bất kỳ"]
    with committed():
        sectors["du-lich"].delete()
    assert titles(gql, "du lich") == []


def test_totals_leave_out_hidden_matches(news_index, gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    expired = timezone.now() - datetime.timedelta(minutes=1)
    for n in range(8):  # every other one hidden: under a view restriction, or expired
        page = dated(news_index, f"Nông sản Bắc Kạn số {n}", n, expire_at=expired if n == 7 else None)
        if n % 2 and n != 7:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
    exact = gql(RANKED, {"q": "nong san", "perPage": 3})["search"]["pagination"]
    assert exact == {"total": 4, "totalIsEstimate": False, "count": 3, "currentPage": 1}
    # More matches in the index (8) than are counted exactly, but not more visible ones: exact.
    settings.SEARCH_EXACT_TOTAL = 5
    assert gql(RANKED, {"q": "nong san", "perPage": 3})["search"]["pagination"] == exact
    # More visible matches than are counted exactly: estimated, never fewer than the visible ones.
    settings.SEARCH_EXACT_TOTAL = 3
    estimated = gql(RANKED, {"q": "nong san", "perPage": 3})["search"]
    assert estimated["pagination"] == {"total": 4, "totalIsEstimate": True, "count": 3, "currentPage": 1}
    assert [item["title"] for item in estimated["items"]] == [f"Nông sản Bắc Kạn số {n}" for n in (0, 2, 4)]


def test_pagination_ends_where_results_end(news_index, gql, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    for n in range(8):
        dated(news_index, f"Chè Shan tuyết {n}", n)
    settings.SEARCH_EXACT_TOTAL = 2  # estimated totals
    settings.SEARCH_MAX_RESULTS = 5
    last = search(gql, "che shan tuyet", perPage=3, page=2)
    assert len(last["items"]) == 2
    assert last["pagination"] | {"total": None} == {
        "total": None,
        "count": 2,
        "perPage": 3,
        "currentPage": 2,
        "totalPages": 2,
        "nextPage": None,
        "prevPage": 1,
    }


LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵĐĂƠƯ"
VIETNAMESE_TEXT = st.text(
    alphabet=st.sampled_from(list(LETTERS + "0129 .,;:/@-_()\"'&<>")), min_size=1, max_size=60
)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=VIETNAMESE_TEXT, data=st.data())
def test_any_run_of_words_of_a_text_finds_it(news_index, gql, settings, text, data):
    """Whatever joins them, any run of a page's words, typed as they are written, finds the page."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    found = list(re.finditer(r"[^\W_]+", text))
    hypothesis.assume(found)
    first = data.draw(st.integers(0, len(found) - 1))
    last = data.draw(st.integers(first, min(len(found) - 1, first + 20)))
    query = text[found[first].start() : found[last].end()]
    page = dated(news_index, "Trang thử", 1, intro=text)
    try:
        assert titles(gql, query) == ["Trang thử"], query
    finally:
        page.delete()


ANSWER = """
query ($q: String!, $page: Int, $perPage: Int) {
  search(query: $q, page: $page, perPage: $perPage) {
    items { title }
    pagination { total totalIsEstimate count perPage currentPage totalPages nextPage prevPage }
  }
}
"""


def hidden_pages(news_index, title, number):
    """`number` pages titled `title` the search index holds but readers may not see (under a
    login or a password restriction, expired), and as many drafts besides."""
    expired = timezone.now() - datetime.timedelta(minutes=1)
    for n in range(number):
        page = dated(news_index, f"{title} {n}", n, expire_at=expired if n % 3 == 2 else None)
        if n % 3 == 0:
            PageViewRestriction.objects.create(page=page, restriction_type="login")
        elif n % 3 == 1:
            PageViewRestriction.objects.create(page=page, restriction_type="password", password="bi-mat")
        dated(news_index, f"{title} nháp {n}", n, live=False)


@pytest.mark.parametrize("visible", [0, 1, 2, 3, 5])
def test_hidden_matches_change_nothing_in_the_answer(news_index, gql, settings, visible):
    """
    What a search answers — its items, its total, and whether the total is an estimate — depends
    only on what readers may see: with more hidden matches of a word than are counted exactly,
    the word answers as one held by its visible pages alone ("ba be", held by those same pages
    and by no hidden one); with none visible, as a word nobody holds. Before, a word held only by
    hidden pages answered `total: 0, totalIsEstimate: true`, and a word nobody holds `false`.
    With more visible matches than are counted exactly, the total is an estimate (of the index's
    matches, scaled by the visible share of those read: it may count hidden ones) — but it is one
    for both words, and never fewer than the visible matches.
    """
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    settings.SEARCH_EXACT_TOTAL = 2
    for n in range(visible):
        dated(news_index, f"Khinh khí cầu hồ Ba Bể số {n}", 10 + n)
    hidden_pages(news_index, "Khinh khí cầu nội bộ", 7)
    for page in (1, 2, 3):
        held, alone = (
            gql(ANSWER, {"q": q, "perPage": 2, "page": page})["search"] for q in ("khinh khi cau", "ba be")
        )
        if visible > 2:  # estimated: only the number (and the number of pages) may differ
            for answer in (held, alone):
                assert answer["pagination"].pop("total") >= visible
                answer["pagination"].pop("totalPages")
        assert held == alone, page
        if visible == 0:
            assert held == gql(ANSWER, {"q": "xyzzy", "perPage": 2, "page": page})["search"]
        assert held["pagination"]["totalIsEstimate"] is (visible > 2)
        if visible <= 2:
            assert held["pagination"]["total"] == visible
