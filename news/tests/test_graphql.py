"""The GraphQL contract (docs/contract.md#graphql), queried as a frontend would, against the demo content."""

import datetime
import json

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from news.factories import CooperationSectorFactory, NewsPageFactory
from news.models import CooperationSector, NewsPage
from testing.content import DEMO_TITLE, DEMO_URL_PATH
from testing.queries import FRONTEND_BODY, FRONTEND_FIELDS, PAGINATION

SECTOR_SLUGS = [
    "nong-nghiep", "khoa-hoc-cong-nghe", "cong-nghiep", "tieu-thu-cong-nghiep",
    "giao-duc", "y-te", "du-lich", "van-hoa",
]  # fmt: skip


def news_list(gql, arguments=""):
    arguments = f"({arguments})" if arguments else ""
    return gql(f"{{ newsPages{arguments} {{ items {{ slug title date }} {PAGINATION} }} }}")["newsPages"]


@pytest.mark.django_db
class TestDemoArticle:
    def test_news_pages_returns_the_demo_article(self, demo, gql):
        data = gql(f"{{ newsPages {{ items {{ {FRONTEND_FIELDS} }} {PAGINATION} }} }}")["newsPages"]
        [article] = data["items"]
        assert article["title"] == DEMO_TITLE
        assert article["author"] == "Nguyễn Nga"
        assert article["urlPath"] == DEMO_URL_PATH
        assert article["url"] == DEMO_URL_PATH
        assert article["slug"] == "tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong"
        assert article["intro"].startswith(
            "Thời gian qua, việc thực hiện các nội dung hợp tác với thành phố Hà Nội"
        )
        assert [sector["slug"] for sector in article["sectors"]] == SECTOR_SLUGS
        assert {tag["slug"] for tag in article["tags"]} == {"bac-kan", "ha-noi", "hop-tac"}
        assert data["pagination"] == {
            "total": 1, "count": 1, "perPage": 10, "currentPage": 1,
            "totalPages": 1, "nextPage": None, "prevPage": None,
        }  # fmt: skip

    def test_page_by_url_path_returns_the_typed_body(self, demo, gql):
        selection = f"__typename pageType ... on NewsPage {{ title {FRONTEND_BODY} }}"
        page = gql(f'{{ page(urlPath: "{DEMO_URL_PATH}") {{ {selection} }} }}')["page"]
        assert page["__typename"] == page["pageType"] == "NewsPage"
        assert page["title"] == DEMO_TITLE
        fields = [block["field"] for block in page["body"]]
        assert {"heading", "paragraph", "image", "key_figures"} <= set(fields)
        types = {block["field"]: block["blockType"] for block in page["body"]}
        assert types == {
            "heading": "CharBlock",
            "paragraph": "RichTextBlock",
            "image": "ImageBlock",
            "key_figures": "KeyFiguresBlock",
        }
        headings = [block["value"] for block in page["body"] if block["field"] == "heading"]
        assert headings[:8] == [
            "Nông nghiệp", "Khoa học và công nghệ", "Công nghiệp", "Tiểu thủ công nghiệp",
            "Giáo dục", "Y tế", "Du lịch", "Văn hóa",
        ]  # fmt: skip

    def test_structured_blocks_are_typed(self, demo, gql):
        body = gql(f'{{ newsPage(slug: "{DEMO_URL_PATH.split("/")[2]}") {{ {FRONTEND_BODY} }} }}')[
            "newsPage"
        ]["body"]
        [image] = [block for block in body if block["field"] == "image"]
        assert (
            image["caption"]
            == "Tuần lễ cam, quýt và các sản phẩm tỉnh Bắc Kạn được tổ chức tại Hà Nội năm 2018"
        )
        assert image["credit"] == "Ảnh st"
        assert image["image"]["title"].startswith("Ảnh minh họa tạm: ")
        assert image["image"]["rendition"]["width"] == 800
        assert image["image"]["srcSet"].count("w,") == 1 and ".webp 800w" in image["image"]["srcSet"]
        figures = [figure for block in body if block["field"] == "key_figures" for figure in block["figures"]]
        values = [figure["value"] for figure in figures]
        assert {"300 triệu đồng", "3 tỷ đồng", "5,2 tỷ đồng"} <= set(values)
        assert {
            "value": "3 tỷ đồng",
            "label": "hỗ trợ tỉnh xây dựng nhà nội trú trường THPT Yên Hân, Chợ Mới",
        } in figures

    def test_raw_value_works_on_every_block_including_structs(self, demo, gql):
        body = gql(f'{{ page(urlPath: "{DEMO_URL_PATH}") {{ ... on NewsPage {{ {FRONTEND_BODY} }} }} }}')[
            "page"
        ]["body"]
        by_field = {block["field"]: block["rawValue"] for block in body}
        assert by_field["heading"] == "Định hướng hợp tác thời gian tới"
        assert by_field["paragraph"].startswith("<p>")
        image = json.loads(by_field["image"])
        assert image["caption"].startswith("Tuần lễ cam") and isinstance(image["image"], int)
        figures = json.loads(by_field["key_figures"])
        assert figures["figures"][0]["type"] == "item"
        assert figures["figures"][0]["value"]["value"] == "5,2 tỷ đồng"

    def test_sectors_come_in_editorial_order_with_news_counts(self, demo, gql):
        sectors = gql("{ sectors { id name slug description newsCount } }")["sectors"]
        assert [sector["slug"] for sector in sectors] == SECTOR_SLUGS
        assert sectors[0]["name"] == "Nông nghiệp"
        assert sectors[-1]["name"] == "Văn hóa"
        assert all(sector["newsCount"] == 1 for sector in sectors)
        assert all(sector["description"] for sector in sectors)

    def test_sector_by_slug(self, demo, gql):
        sector = gql('{ sector(slug: "giao-duc") { name newsCount } }')["sector"]
        assert sector == {"name": "Giáo dục", "newsCount": 1}
        assert gql('{ sector(slug: "khong-co") { name } }')["sector"] is None

    def test_page_by_id_and_home_and_section(self, demo, gql):
        article = NewsPage.objects.get(locale__language_code="vi")
        page = gql(f'{{ page(id: "{article.pk}") {{ title urlPath parent {{ title urlPath }} }} }}')["page"]
        assert page["title"] == DEMO_TITLE
        assert page["parent"] == {"title": "Tin tức", "urlPath": "/tin-tuc/"}
        home = gql('{ page(urlPath: "/") { __typename urlPath children { title urlPath } } }')["page"]
        assert home == {
            "__typename": "HomePage",
            "urlPath": "/",
            "children": [{"title": "Tin tức", "urlPath": "/tin-tuc/"}],
        }
        section = gql('{ page(urlPath: "tin-tuc") { __typename ... on NewsIndexPage { intro } } }')["page"]
        assert section["__typename"] == "NewsIndexPage" and section["intro"]

    def test_ancestors_are_for_breadcrumbs(self, demo, gql):
        page = gql(f'{{ page(urlPath: "{DEMO_URL_PATH}") {{ ancestors {{ title urlPath }} }} }}')["page"]
        assert page["ancestors"] == [
            {"title": "Trang chủ", "urlPath": "/"},
            {"title": "Tin tức", "urlPath": "/tin-tuc/"},
        ]

    def test_unknown_paths_and_ids_return_null(self, demo, gql):
        assert gql('{ page(urlPath: "/tin-tuc/khong-co/") { title } }')["page"] is None
        assert gql('{ page(id: "999999") { title } }')["page"] is None
        assert gql('{ page(id: "abc") { title } }')["page"] is None
        assert gql('{ newsPage(slug: "khong-co") { title } }')["newsPage"] is None

    def test_page_needs_exactly_one_argument(self, demo, gql):
        message = "Give exactly one of `id`, `urlPath` or `token`."
        assert gql.errors("{ page { title } }") == [message]
        assert gql.errors('{ page(id: "1", urlPath: "/") { title } }') == [message]
        assert gql.errors("{ newsPage { title } }") == ["Give exactly one of `slug` or `token`."]

    def test_responses_are_compact_utf8(self, demo, client):
        response = client.post(
            "/graphql/", {"query": "{ newsPages { items { author } } }"}, content_type="application/json"
        )
        assert (
            response.content.decode("utf-8") == '{"data":{"newsPages":{"items":[{"author":"Nguyễn Nga"}]}}}'
        )


@pytest.fixture
def sectors(db):
    return {
        slug: CooperationSectorFactory(slug=slug, name=slug) for slug in ("nong-nghiep", "y-te", "du-lich")
    }


@pytest.fixture
def many_news(news_index, sectors):
    """25 live news: dates 2024-01-01 + n; every 5th in y-te, every 2nd tagged "Ba Bể"."""
    pages = []
    for n in range(25):
        pages.append(
            NewsPageFactory(
                parent=news_index,
                title=f"Tin số {n:02d}",
                date=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
                sectors=[sectors["y-te"] if n % 5 == 0 else sectors["nong-nghiep"]],
                tags=["Ba Bể"] if n % 2 == 0 else ["Hà Nội"],
            )
        )
    return pages


@pytest.mark.django_db
class TestNewsList:
    def test_default_order_is_newest_first_ten_per_page(self, many_news, gql):
        data = news_list(gql)
        assert [item["title"] for item in data["items"]] == [f"Tin số {n:02d}" for n in range(24, 14, -1)]
        assert data["pagination"] == {
            "total": 25, "count": 10, "perPage": 10, "currentPage": 1,
            "totalPages": 3, "nextPage": 2, "prevPage": None,
        }  # fmt: skip

    def test_last_page_and_beyond(self, many_news, gql):
        last = news_list(gql, "page: 3")
        assert [item["title"] for item in last["items"]] == [f"Tin số {n:02d}" for n in range(4, -1, -1)]
        assert last["pagination"]["count"] == 5
        assert (last["pagination"]["nextPage"], last["pagination"]["prevPage"]) == (None, 2)
        beyond = news_list(gql, "page: 9")
        assert beyond["items"] == []
        assert beyond["pagination"]["total"] == 25 and beyond["pagination"]["prevPage"] == 3

    def test_per_page(self, many_news, gql):
        data = news_list(gql, "perPage: 7, page: 2")
        assert data["pagination"]["totalPages"] == 4 and data["pagination"]["count"] == 7
        assert data["items"][0]["title"] == "Tin số 17"

    @pytest.mark.parametrize(
        ("order", "first", "last"),
        [("date", "Tin số 00", "Tin số 24"), ("-date", "Tin số 24", "Tin số 00"),
         ("title", "Tin số 00", "Tin số 24"), ("-title", "Tin số 24", "Tin số 00")],
    )  # fmt: skip
    def test_orders(self, many_news, gql, order, first, last):
        items = news_list(gql, f'order: "{order}", perPage: 25')["items"]
        assert (items[0]["title"], items[-1]["title"]) == (first, last)

    @pytest.mark.parametrize("order", ["owner__password", "-pk", "DATE", "date,title", ""])
    def test_other_orders_are_a_clear_error(self, many_news, gql, order):
        """A validation error: 400, like documents that do not validate, with the GraphQL error body."""
        response, body = gql.post(f'{{ newsPages(order: "{order}") {{ items {{ id }} }} }}')
        assert response.status_code == 400
        assert [error["message"] for error in body["errors"]] == [
            "`order` must be one of: date, -date, title, -title."
        ]
        assert body["errors"][0]["path"] == ["newsPages"] and "data" not in body

    def test_sector_filter(self, many_news, gql):
        data = news_list(gql, 'sector: "y-te", perPage: 100')
        assert [item["title"] for item in data["items"]] == [
            "Tin số 20",
            "Tin số 15",
            "Tin số 10",
            "Tin số 05",
            "Tin số 00",
        ]
        assert data["pagination"]["total"] == 5

    def test_tag_filter_takes_the_ascii_slug(self, many_news, gql):
        assert news_list(gql, 'tag: "ba-be"')["pagination"]["total"] == 13
        assert news_list(gql, 'tag: "ha-noi", sector: "y-te"')["pagination"]["total"] == 2

    @pytest.mark.parametrize("arguments", ['sector: "khong-co"', 'tag: "khong-co"', 'sector: ""'])
    def test_unknown_slugs_give_an_empty_list(self, many_news, gql, arguments):
        data = news_list(gql, arguments)
        assert data["items"] == []
        assert data["pagination"]["total"] == 0 and data["pagination"]["totalPages"] == 1

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [("page: 0", "`page` must be 1 or more."), ("page: -3", "`page` must be 1 or more."),
         ("perPage: 0", "`perPage` must be between 1 and 100."),
         ("perPage: 101", "`perPage` must be between 1 and 100.")],
    )  # fmt: skip
    def test_bad_pagination_is_a_clear_error(self, many_news, gql, arguments, message):
        assert gql.errors(f"{{ newsPages({arguments}) {{ items {{ id }} }} }}") == [message]

    def test_sector_news_counts_follow_the_filters(self, many_news, gql):
        counts = {
            sector["slug"]: sector["newsCount"] for sector in gql("{ sectors { slug newsCount } }")["sectors"]
        }
        assert counts == {"nong-nghiep": 20, "y-te": 5, "du-lich": 0}


@pytest.mark.django_db
class TestOnlyLivePublicPages:
    """The foundation's promise; the full leak matrix lives with the access-control work."""

    @pytest.fixture
    def hidden(self, news_index, sectors):
        visible = NewsPageFactory(parent=news_index, title="Tin công khai", sectors=[sectors["y-te"]])
        draft = NewsPageFactory(parent=news_index, title="Bản nháp", live=False, sectors=[sectors["y-te"]])
        expired = NewsPageFactory(
            parent=news_index,
            title="Tin hết hạn",
            expire_at=timezone.now() - datetime.timedelta(minutes=1),
            sectors=[sectors["y-te"]],
        )
        private = NewsPageFactory(parent=news_index, title="Tin nội bộ", sectors=[sectors["y-te"]])
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="mat-khau")
        return {"visible": visible, "draft": draft, "expired": expired, "private": private}

    def test_lists_and_counts_show_only_the_visible_page(self, hidden, gql):
        assert [item["title"] for item in news_list(gql)["items"]] == ["Tin công khai"]
        assert gql('{ sector(slug: "y-te") { newsCount } }')["sector"]["newsCount"] == 1

    @pytest.mark.parametrize("kind", ["draft", "expired", "private"])
    def test_hidden_pages_cannot_be_fetched_one_by_one(self, hidden, gql, kind):
        page = hidden[kind]
        assert gql(f'{{ page(id: "{page.pk}") {{ title }} }}')["page"] is None
        assert gql(f'{{ page(urlPath: "/tin-tuc/{page.slug}/") {{ title }} }}')["page"] is None
        assert gql(f'{{ newsPage(slug: "{page.slug}") {{ title }} }}')["newsPage"] is None

    def test_relations_skip_hidden_pages(self, hidden, gql, news_index):
        section = gql(f'{{ page(id: "{news_index.pk}") {{ children(limit: 100) {{ title }} }} }}')["page"]
        assert section["children"] == [{"title": "Tin công khai"}]

    def test_a_page_under_an_unpublished_section_has_no_parent(self, hidden, gql, news_index):
        news_index.unpublish()
        page = gql(
            f'{{ page(id: "{hidden["visible"].pk}") {{ parent {{ title }} ancestors {{ title }} }} }}'
        )["page"]
        assert page == {"parent": None, "ancestors": [{"title": "Trang chủ"}]}

    def test_draft_changes_of_a_live_page_stay_private(self, hidden, gql):
        page = hidden["visible"]
        page.title = "Tiêu đề nháp chưa xuất bản"
        page.save_revision()
        assert [item["title"] for item in news_list(gql)["items"]] == ["Tin công khai"]


def test_sector_admin_listing_counts_live_news(db, admin_client, news_index):
    sector = CooperationSectorFactory(name="Y tế", slug="y-te")
    NewsPageFactory(parent=news_index, sectors=[sector])
    NewsPageFactory(parent=news_index, sectors=[sector], live=False)
    response = admin_client.get("/admin/snippets/news/cooperationsector/")
    assert response.status_code == 200
    assert CooperationSector.objects.count() == 1
    content = response.content.decode()
    assert "Y tế" in content and "y-te" in content
