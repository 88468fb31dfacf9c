"""
Stored answers (answers/stored.py): a list or a page answered from them is exactly what the
database path answers — on a corpus of queries (testing/queries.py) and on random selections within the stored
fields, with aliases, fragments and directives — and a change to what an answer shows drops it.
"""

import random

import graphene
import pytest
from django.test.utils import CaptureQueriesContext
from graphene.types.generic import GenericScalar
from graphene_django.settings import graphene_settings
from grapple.registry import registry
from grapple.types.documents import DocumentObjectType
from wagtail_factories import DocumentFactory, ImageFactory

from answers.models import StoredAnswer
from answers.stored import check_shapes
from news.factories import NewsIndexPageFactory, NewsPageFactory
from news.graphql import NEWS_PAGE_SHAPE
from news.models import NewsPage, NewsTag
from testing.graphql import answer, data_queries
from testing.queries import STORED_ANSWERS_CORPUS


@pytest.fixture
def content(demo):
    index = NewsPage.objects.first().get_parent()
    image = ImageFactory(title="Ảnh Bắc Kạn", file__filename="bac-kan.jpg")
    sectors = list(NewsPage.objects.first().sectors.all()[:3])
    blocks = [
        ("heading", "Hợp tác giáo dục"),
        ("paragraph", '<p>Hà Nội <a href="https://example.org">hỗ trợ</a> <b>Bắc Kạn</b> ơn ư đ.</p>'),
        ("image", {"image": image, "caption": "Ảnh", "credit": "TTXVN"}),
        ("quote", {"text": "Chúng tôi cảm ơn.", "attribution": "Hiệu trưởng"}),
        ("key_figures", {"title": "Con số", "figures": [{"value": "1 tỷ đồng", "label": "hỗ trợ"}]}),
    ]
    pages = [
        NewsPageFactory(
            parent=index, title="Đồng Phúc: Trường được hỗ trợ", slug="dong-phuc", hero_image=image,
            body=blocks, sectors=sectors, tags=["giáo dục", "Bắc Kạn"],
        ),
        # Answered from the database every time: a link to another page, a document block.
        NewsPageFactory(
            parent=index, title="Liên kết", slug="lien-ket",
            body=[("paragraph", f'<p><a linktype="page" id="{index.pk}">Tin tức</a></p>')],
            sectors=sectors[:1],
        ),
        NewsPageFactory(
            parent=index, title="Tài liệu", slug="tai-lieu", body=[("document", DocumentFactory())],
            tags=["Bắc Kạn"],
        ),
    ]  # fmt: skip
    return pages


def compare(client, settings, query, variables=None, errors=False):
    """The answer with stored answers (building them, then reading them) equals the database path's."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    settings.GRAPHQL_MAX_DEPTH = 20  # key figures' blocks are 8 deep
    settings.GRAPHQL_STORED_ANSWERS = True
    building = answer(client, query, variables)
    reading = answer(client, query, variables)
    settings.GRAPHQL_STORED_ANSWERS = False
    database = answer(client, query, variables)
    assert ("errors" in database) == errors, database
    assert building == database
    assert reading == database
    return reading


@pytest.mark.django_db
@pytest.mark.parametrize("query", STORED_ANSWERS_CORPUS)
def test_stored_answers_answer_what_the_database_answers(content, client, settings, query):
    data = compare(client, settings, query, {"full": True, "lean": False})["data"]
    assert any(value for value in data.values())
    stored = StoredAnswer.objects.filter(data__isnull=False)
    assert stored.exists()
    # The pages whose bodies link a page, or hold a block the shape does not store, are known to
    # be answered from the database.
    assert not stored.filter(page__slug__in=["lien-ket", "tai-lieu"]).exists()


@pytest.mark.django_db
def test_an_error_on_a_live_object_is_graphql_core_s(content, client, settings):
    """A rendition refused on an image of a stored answer: the same error at the same path."""
    query = "{ newsPages { items { slug heroImage { rendition(width: 3) { url } } } } }"
    body = compare(client, settings, query, errors=True)
    paths = [error["path"] for error in body["errors"]]
    assert paths and all(path[:2] == ["newsPages", "items"] for path in paths)
    assert all(path[3:] == ["heroImage", "rendition"] for path in paths)
    assert StoredAnswer.objects.filter(data__isnull=False).exists()


def random_selection(rng, shape, schema, type_name, depth=0):
    """A random selection of `type_name`'s stored fields: aliases, repeats, fragments."""
    object_type = schema.get_type(type_name)
    names = sorted(shape.fields(schema)[type_name])
    parts = []
    for name in rng.sample(names, rng.randint(1, len(names))) + ["__typename"] * rng.randint(0, 1):
        alias = f"a{rng.randint(0, 3)}_{name}: " if rng.random() < 0.2 else ""
        if name == "__typename":
            parts.append(f"{alias}__typename")
            continue
        kinds = shape.stored_types(schema, type_name, name, _named(object_type.fields[name].type))
        if not kinds:
            parts.append(alias + name)
            continue
        inner = [
            f"... on {kind.name} {{ {random_selection(rng, shape, schema, kind.name, depth + 1)} }}"
            for kind in kinds
            if rng.random() < 0.7
        ] or ["__typename"]
        parts.append(f"{alias}{name} {{ {' '.join(inner)} }}")
    return " ".join(parts)


def _named(graphql_type):
    while hasattr(graphql_type, "of_type"):
        graphql_type = graphql_type.of_type
    return graphql_type


@pytest.mark.django_db
def test_random_selections_answer_what_the_database_answers(content, client, settings):
    schema = graphene_settings.SCHEMA.graphql_schema
    rng = random.Random(20261130)
    settings.GRAPHQL_MAX_COST = 10_000_000
    settings.GRAPHQL_MAX_ALIASES = 1000
    settings.GRAPHQL_MAX_DEPTH = 20
    settings.GRAPHQL_MAX_TOKENS = 100_000
    for _ in range(25):
        selection = random_selection(rng, NEWS_PAGE_SHAPE, schema, "NewsPage")
        if rng.random() < 0.5:
            query = "{ newsPages(perPage: 20) { items { ...P } } } "
            query += f"fragment P on NewsPage {{ {selection} }}"
        else:
            query = f'{{ newsPage(slug: "dong-phuc") {{ {selection} }} }}'
        compare(client, settings, query)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "selection",
    [
        "title url",  # depends on the request
        "title related { title }",
        "title sectors { newsCount }",
        "title seo { title }",
    ],
)
def test_a_selection_outside_the_stored_fields_reads_the_database(content, client, settings, selection):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    compare(client, settings, f"{{ newsPages {{ items {{ {selection} }} }} }}")
    assert not StoredAnswer.objects.exists()


@pytest.mark.django_db
def test_graphql_core_s_own_execution_never_gets_stored_items(content, client, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    query = "{ newsPages { items { title slug } } }"
    stored = answer(client, query)
    assert StoredAnswer.objects.filter(data__isnull=False).exists()
    result = graphene_settings.SCHEMA.execute(query, context_value=client.get("/").wsgi_request)
    assert not result.errors and result.data == stored["data"]


LIST = "{ newsPages(perPage: 50) { items { slug title urlPath sectors { name } tags { name } } } }"


def titles(client):
    return {item["slug"]: item for item in answer(client, LIST)["data"]["newsPages"]["items"]}


@pytest.fixture
def stored(content, client, settings):
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    titles(client)
    assert StoredAnswer.objects.filter(data__isnull=False).count() > 1
    return content


@pytest.mark.django_db
def test_publishing_a_page_drops_its_answer_only(stored, client, committed):
    page = NewsPage.objects.get(slug="dong-phuc")
    others = StoredAnswer.objects.exclude(page=page).count()
    page.title = "Đồng Phúc: đã sửa tiêu đề"
    with committed():
        page.save_revision().publish()
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert StoredAnswer.objects.count() == others
    assert titles(client)["dong-phuc"]["title"] == "Đồng Phúc: đã sửa tiêu đề"
    assert StoredAnswer.objects.filter(page=page, data__title="Đồng Phúc: đã sửa tiêu đề").exists()


@pytest.mark.django_db
def test_unpublishing_a_page_drops_its_answer(stored, client, committed):
    page = NewsPage.objects.get(slug="dong-phuc")
    with committed():
        page.unpublish()
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert "dong-phuc" not in titles(client)


@pytest.mark.django_db
def test_renaming_a_sector_drops_every_answer(stored, client, committed):
    page = NewsPage.objects.get(slug="dong-phuc")
    sector = page.sectors.first()
    with committed():
        sector.name = "Giáo dục và đào tạo"
        sector.save()
    assert not StoredAnswer.objects.exists()
    assert {"name": "Giáo dục và đào tạo"} in titles(client)["dong-phuc"]["sectors"]


@pytest.mark.django_db
def test_a_new_image_or_tag_keeps_the_answers(stored, committed):
    before = StoredAnswer.objects.count()
    with committed():
        ImageFactory(title="Ảnh mới")
        DocumentFactory(title="Tài liệu mới")
        NewsTag.objects.create(name="Thẻ mới", slug="the-moi")
    assert StoredAnswer.objects.count() == before


@pytest.mark.django_db
def test_moving_a_section_drops_the_answers_below_it(stored, client, committed):
    page = NewsPage.objects.get(slug="dong-phuc")
    index = page.get_parent()
    other = NewsIndexPageFactory(parent=index.get_parent(), title="Thời sự", slug="thoi-su")
    with committed():
        page.move(other, pos="last-child")
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert titles(client)["dong-phuc"]["urlPath"] == "/thoi-su/dong-phuc/"


@pytest.mark.django_db
def test_an_answer_read_before_a_change_is_not_kept(stored, client, settings, committed, monkeypatch):
    """A request stores what it read; a change committed meanwhile moves the content version."""
    StoredAnswer.objects.all().delete()
    from answers import stored as module

    reads = []

    def moving_version():
        reads.append(1)
        return "before" if len(reads) == 1 else "after"

    monkeypatch.setattr(module, "content_version", moving_version)
    with committed():
        titles(client)
    assert not StoredAnswer.objects.exists()
    monkeypatch.undo()
    with committed():
        titles(client)
    assert StoredAnswer.objects.filter(data__isnull=False).exists()


@pytest.mark.django_db
def test_a_row_of_another_shape_is_written_again(stored, client):
    StoredAnswer.objects.update(shape="an older shape", data={"__typename": "NewsPage", "title": "cũ"})
    assert "cũ" not in {item["title"] for item in titles(client).values()}
    assert not StoredAnswer.objects.filter(shape="an older shape").exists()


def test_a_shape_stores_every_plain_field_and_none_marked_not_stored():
    schema = graphene_settings.SCHEMA.graphql_schema
    fields = NEWS_PAGE_SHAPE.fields(schema)
    assert {"title", "urlPath", "intro", "body", "sectors", "heroImage"} <= fields["NewsPage"]
    # Arguments (`children`, `related`), or marked `graphql_not_stored` beside their declarations.
    left_out = {"children", "related", "url", "seo", "parent", "previous", "translations", "searchExcerpt"}
    assert not left_out & fields["NewsPage"]
    assert "newsCount" not in fields["CooperationSector"]
    assert not {"rendition", "srcSet"} & fields["ImageObjectType"]
    assert NEWS_PAGE_SHAPE.refusals(schema) == []
    assert check_shapes() == []


@pytest.fixture
def schema_with(monkeypatch):
    """
    `schema_with(name=graphene field, ...)`: the served schema, built again with these fields on
    NewsPage's type, as if declared in its `graphql_fields` (no migration: they read what the
    page already has). The endpoint serves it until the test ends.
    """
    from api.document import _prepare

    def rebuild(**fields):
        served = graphene_settings.SCHEMA
        for name, field in fields.items():
            monkeypatch.setitem(registry.pages[NewsPage]._meta.fields, name, field)
        types = [
            kind.graphene_type
            for kind in served.graphql_schema.type_map.values()
            if hasattr(kind, "graphene_type") and kind is not served.graphql_schema.query_type
        ]
        schema = graphene.Schema(query=served.query, types=types, auto_camelcase=True)
        monkeypatch.setattr(graphene_settings, "SCHEMA", schema)
        _prepare.cache_clear()  # documents validated against the served schema
        return schema.graphql_schema

    yield rebuild
    _prepare.cache_clear()


@pytest.fixture
def five_pages(news_index):
    """Five news pages whose answers are stored: no links to other pages, blocks the shape holds."""
    image = ImageFactory()
    for n in range(5):
        NewsPageFactory(
            parent=news_index, title=f"Bài {n}", slug=f"bai-{n}", hero_image=image, tags=["Bắc Kạn"],
            body=[("heading", "Giáo dục"), ("paragraph", "<p>Hà Nội hỗ trợ <b>Bắc Kạn</b></p>")],
        )  # fmt: skip


def read_twice(client, query):
    """The answer, and the data queries of a repeat (the first request stores what it can)."""
    from django.db import connection

    first = answer(client, query)
    assert "errors" not in first, first
    with CaptureQueriesContext(connection) as captured:
        assert answer(client, query) == first
    return first, data_queries(captured.captured_queries)


def reads_stored_answers(queries):
    return len(queries) == 1 and "answers_storedanswer" in queries[0]


@pytest.mark.django_db
def test_a_new_plain_field_is_stored_without_being_listed(five_pages, client, settings, schema_with):
    """
    A field added to NewsPage's `graphql_fields`, declared nowhere else: lists asking for it
    still read stored answers, at the same SQL count, and answer what the database path answers.
    """
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    before = "{ newsPages(perPage: 5) { items { title urlPath } } }"
    assert reads_stored_answers(read_twice(client, before)[1])
    schema = schema_with(show_in_menus=graphene.Field(graphene.NonNull(graphene.Boolean)))
    assert "showInMenus" in NEWS_PAGE_SHAPE.fields(schema)["NewsPage"]
    assert check_shapes() == []
    query = "{ newsPages(perPage: 5) { items { title urlPath showInMenus } } }"
    body, queries = read_twice(client, query)
    assert reads_stored_answers(queries)
    assert [item["showInMenus"] for item in body["data"]["newsPages"]["items"]] == [False] * 5
    assert all("showInMenus" in data for data in StoredAnswer.objects.values_list("data", flat=True))
    assert compare(client, settings, query) == body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "selection", "reason"),
    [
        (
            lambda: graphene.Field(DocumentObjectType),
            "{ title }",
            "no type of its values (DocumentObjectType) is stored",
        ),
        (lambda: graphene.Field(GenericScalar), "", "its GenericScalar values are JSON objects"),
        (lambda: graphene.Field(registry.pages[NewsPage]), "{ title }", "it leads back to NewsPage"),
    ],
)
def test_a_field_that_cannot_be_stored_must_be_marked(
    five_pages, client, settings, schema_with, monkeypatch, field, selection, reason
):
    """
    `manage.py check` refuses a field of a stored type that can be neither stored nor left out
    by a `graphql_not_stored` declaration, naming it; lists asking for it are answered from the
    database meanwhile, and the declaration (with why) is all it takes.
    """
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    schema_with(featured=field())
    with pytest.raises(SystemCheckError) as refused:
        call_command("check")
    assert f"NewsPage.featured cannot be stored: {reason}" in str(refused.value)
    assert "newsroom.E001" in str(refused.value)
    assert "graphql_not_stored` of news.models.NewsPage" in str(refused.value)
    assert reads_stored_answers(read_twice(client, "{ newsPages(perPage: 5) { items { title } } }")[1])
    query = f"{{ newsPages(perPage: 5) {{ items {{ title featured {selection} }} }} }}"
    assert not any("answers_storedanswer" in sql for sql in read_twice(client, query)[1])

    monkeypatch.setattr(NewsPage, "graphql_not_stored", {**NewsPage.graphql_not_stored, "featured": "a test"})
    schema_with()
    call_command("check")


@pytest.mark.django_db
def test_a_mark_naming_no_field_is_refused(monkeypatch, schema_with):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    monkeypatch.setattr(NewsPage, "graphql_not_stored", {**NewsPage.graphql_not_stored, "byline": "renamed"})
    schema_with()
    with pytest.raises(SystemCheckError, match=r"newsroom.E002.*NewsPage.byline is marked not stored"):
        call_command("check")


@pytest.mark.django_db
def test_reading_stored_answers_is_one_query_for_any_number_of_items(stored, client, settings):
    from django.db import connection

    titles(client)
    with CaptureQueriesContext(connection) as captured:
        titles(client)
    reads = [query for query in captured.captured_queries if "answers_storedanswer" in query["sql"]]
    assert len(reads) == 1


@pytest.mark.django_db
def test_store_answers_fills_every_missing_answer(content, settings):
    from io import StringIO

    from django.core.management import call_command

    # Each site is asked at its own host name, whichever names this process serves.
    settings.ALLOWED_HOSTS = ["cms.example.org"]
    live = NewsPage.objects.live()
    out = StringIO()
    call_command("warm_stored_answers", stdout=out)
    stored = set(StoredAnswer.objects.values_list("page_id", flat=True))
    assert stored == set(live.values_list("pk", flat=True))
    assert StoredAnswer.objects.filter(data__isnull=False).count() == live.count() - 2  # link, document
    assert StoredAnswer.objects.filter(page__locale__language_code="en").exists()  # every language
    assert out.getvalue().strip() == f"Stored {live.count()} answers."
    call_command("warm_stored_answers", stdout=out)
    assert out.getvalue().strip().endswith("Stored 0 answers.")


@pytest.mark.django_db
def test_a_new_slug_of_a_section_reaches_the_paths_below_it(stored, client, committed):
    index = NewsPage.objects.get(slug="dong-phuc").get_parent().specific
    index.slug = "thoi-su-hop-tac"
    with committed():
        index.save_revision().publish()
    assert titles(client)["dong-phuc"]["urlPath"] == "/thoi-su-hop-tac/dong-phuc/"


@pytest.mark.django_db
def test_an_answer_with_an_error_is_not_stored(content, client, settings, monkeypatch):
    """An error may pass (a database hiccup): the page is tried again, not marked as unstorable."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    page = NewsPage.objects.get(slug="dong-phuc")
    original = NewsPage.author

    def failing(self):
        if self.pk == page.pk:
            raise RuntimeError("mất kết nối")
        return self.__dict__["author"]

    monkeypatch.setattr(
        NewsPage, "author", property(failing, lambda self, value: self.__dict__.update(author=value))
    )
    answer(client, "{ newsPages { items { slug author } } }")
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert StoredAnswer.objects.exclude(page=page).exists()
    monkeypatch.setattr(NewsPage, "author", original)
    answer(client, "{ newsPages { items { slug author } } }")
    assert StoredAnswer.objects.get(page=page).data["author"] == page.author


@pytest.mark.django_db
def test_an_answer_with_an_error_on_a_nullable_field_is_not_stored(content, client, settings, monkeypatch):
    """graphql-core collects an error where the type allows a null, rather than raising it."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    page = NewsPage.objects.get(slug="dong-phuc")

    def failing(self):
        if self.pk == page.pk:
            raise RuntimeError("mất kết nối")
        return self.__dict__["first_published_at"]

    monkeypatch.setattr(
        NewsPage,
        "first_published_at",
        property(failing, lambda self, value: self.__dict__.update(first_published_at=value)),
    )
    body = answer(client, "{ newsPages { items { slug firstPublishedAt } } }")
    [error] = body["errors"]
    assert error["path"][-1] == "firstPublishedAt"
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert StoredAnswer.objects.exclude(page=page).filter(data__isnull=False).exists()


@pytest.mark.django_db
def test_editing_an_image_drops_only_the_answers_showing_it(stored, client, committed):
    page = NewsPage.objects.get(slug="dong-phuc")
    showing = StoredAnswer.objects.get(page=page)
    assert f" image:{page.hero_image_id} " in showing.media
    others = set(StoredAnswer.objects.exclude(page=page).values_list("page_id", flat=True))
    image = page.hero_image
    image.title = "Ảnh trường Đồng Phúc"
    with committed():
        image.save()
    assert set(StoredAnswer.objects.values_list("page_id", flat=True)) == others
    query = '{ newsPage(slug: "dong-phuc") { heroImage { title } '
    query += "body { ... on ImageBlock { image { title } } } } }"
    data = answer(client, query)["data"]["newsPage"]
    assert data["heroImage"]["title"] == "Ảnh trường Đồng Phúc"
    assert {"image": {"title": "Ảnh trường Đồng Phúc"}} in data["body"]
    with committed():
        image.delete()
    assert not StoredAnswer.objects.filter(page=page).exists()
    assert answer(client, query)["data"]["newsPage"]["heroImage"] is None


@pytest.mark.django_db
def test_expiring_media_urls_are_never_stored(content, client, settings):
    """Signed S3 URLs (AWS_QUERYSTRING_AUTH) expire: an answer holding one must not be kept."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"querystring_auth": True}},
    }
    assert answer(client, "{ newsPages { items { title heroImage { url } } } }")["data"]["newsPages"]["items"]
    assert not StoredAnswer.objects.exists()
