"""Pins the public names of the GraphQL contract (docs/contract.md#graphql) through introspection."""

import pytest

INTROSPECT_TYPE = """
query ($name: String!) {
  __type(name: $name) {
    kind
    fields { name args { name } }
    possibleTypes { name }
  }
}
"""


@pytest.fixture
def type_fields(gql):
    def fields(name):
        described = gql(INTROSPECT_TYPE, {"name": name})["__type"]
        assert described is not None, f"type {name} is missing"
        return {field["name"]: {arg["name"] for arg in field["args"]} for field in described["fields"]}

    return fields


@pytest.mark.django_db
def test_root_fields(type_fields):
    assert type_fields("Query") == {
        "newsPages": {"page", "perPage", "sector", "tag", "order", "locale"},
        "newsPage": {"slug", "token", "locale"},
        "page": {"id", "urlPath", "token", "locale"},
        "sectors": {"locale"},
        "sector": {"slug", "locale"},
        "search": {"query", "page", "perPage", "sector", "locale"},
        "redirect": {"path", "locale"},
        "sitemap": {"page", "perPage", "locale"},
    }


@pytest.mark.django_db
def test_news_page_type(type_fields):
    assert {
        "id", "title", "slug", "url", "urlPath", "date", "author", "intro",
        "heroImage", "heroCaption", "body", "sectors", "tags", "locale", "translations",
    } <= set(type_fields("NewsPage"))  # fmt: skip


@pytest.mark.django_db
def test_page_types_expose_nothing_editors_keep_private(type_fields):
    for name in ("NewsPage", "NewsIndexPage", "HomePage"):
        fields = set(type_fields(name))
        assert not fields & {"draftTitle", "live", "hasUnpublishedChanges", "goLiveAt", "expireAt",
                             "locked", "lockedAt", "aliasOf", "aliases", "sitesRootedHere",
                             "latestRevisionCreatedAt", "owner", "path"}  # fmt: skip


@pytest.mark.django_db
def test_pagination_and_sector_types(type_fields):
    assert set(type_fields("NewsPageList")) == {"items", "pagination"}
    assert set(type_fields("Pagination")) == {
        "total", "count", "perPage", "currentPage", "totalPages", "nextPage", "prevPage", "totalIsEstimate",
    }  # fmt: skip
    assert {"id", "name", "slug", "description", "newsCount"} <= set(type_fields("CooperationSector"))
    assert set(type_fields("Tag")) == {"id", "name", "slug"}


@pytest.mark.django_db
def test_body_block_types(type_fields, gql):
    assert {"id", "blockType", "field", "rawValue"} <= set(type_fields("StreamFieldInterface"))
    assert {"image", "caption", "credit"} <= set(type_fields("ImageBlock"))
    assert {"text", "attribution"} <= set(type_fields("QuoteBlock"))
    assert {"title", "figures"} <= set(type_fields("KeyFiguresBlock"))
    assert set(type_fields("KeyFigure")) == {"value", "label"}
    assert "value" in type_fields("RichTextBlock") and "value" in type_fields("CharBlock")
    assert "document" in type_fields("DocumentChooserBlock")
    assert "url" in type_fields("EmbedBlock")
    implementations = gql(INTROSPECT_TYPE, {"name": "StreamFieldInterface"})["__type"]["possibleTypes"]
    assert {"CharBlock", "RichTextBlock", "ImageBlock", "QuoteBlock", "KeyFiguresBlock",
            "DocumentChooserBlock", "EmbedBlock"} <= {t["name"] for t in implementations}  # fmt: skip


@pytest.mark.django_db
def test_images_offer_renditions(type_fields):
    image = type_fields("ImageObjectType")
    assert {"url", "width", "height", "rendition", "srcSet"} <= set(image)
    assert not set(image) & {"collection", "renditions", "tags", "file", "fileHash"}


def test_interfaces_and_their_fields_come_in_a_stable_order():
    """grapple gathers a type's interfaces in a set: schema.graphql must not change from run to run."""
    from grapple.registry import registry

    from news.models import NewsPage

    news_type = registry.pages[NewsPage]
    names = [interface._meta.name for interface in news_type._meta.interfaces]
    assert names == sorted(names) == ["NewsArticleInterface", "PageInterface"]
    fields = list(news_type._meta.fields)
    first_interface_fields = list(news_type._meta.interfaces[0]._meta.fields)
    assert fields[: len(first_interface_fields)] == first_interface_fields
