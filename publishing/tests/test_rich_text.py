"""
Rich-text images (publishing.rich_text.VisibleImageEmbedHandler): a visible one renders as Wagtail
renders it, a hidden or deleted one as nothing, with no rendition made; a list costs no query per
image; the admin's editor still shows an editor their own images.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.models import Collection, CollectionViewRestriction
from wagtail.rich_text import expand_db_html
from wagtail_factories import ImageFactory

from news.factories import NewsPageFactory
from testing.graphql import data_queries, post_query


def embed(image_id, alt, format="fullwidth"):
    return f'<embed embedtype="image" id="{image_id}" format="{format}" alt="{alt}"/>'


@pytest.fixture
def private_collection(db):
    collection = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


@pytest.mark.django_db
@pytest.mark.parametrize("format", ["fullwidth", "left", "right"])
def test_a_visible_image_renders_as_wagtail_renders_it(format):
    image = ImageFactory(title="Ảnh công khai", file__filename="cong-khai.jpg")
    html = expand_db_html(f"<p>Trước</p>{embed(image.pk, 'Cầu Bắc Kạn', format)}<p>Sau</p>")
    attributes = {"id": image.pk, "format": format, "alt": "Cầu Bắc Kạn"}
    expected = ImageEmbedHandler.expand_db_attributes(attributes)  # Wagtail's own handler
    assert html == f"<p>Trước</p>{expected}<p>Sau</p>"
    assert 'alt="Cầu Bắc Kạn"' in html and "cong-khai" in html


@pytest.mark.django_db
def test_a_hidden_or_deleted_image_renders_as_nothing(private_collection):
    below = private_collection.add_child(name="Nội bộ con")
    images = [
        ImageFactory(title="Ảnh nội bộ", collection=private_collection, file__filename="noi-bo.jpg"),
        ImageFactory(title="Ảnh nội bộ con", collection=below, file__filename="noi-bo-con.jpg"),
    ]
    embeds = "".join(embed(pk, "bí mật") for pk in [image.pk for image in images] + [999999, "x"])
    assert expand_db_html(f"<p>Trước</p>{embeds}<p>Sau</p>") == "<p>Trước</p><p>Sau</p>"
    assert not any(image.renditions.exists() for image in images)


@pytest.mark.django_db
def test_the_editor_still_shows_an_editor_their_private_image(private_collection):
    """The admin's editor reads rich text through its own converter, not the front-end handlers."""
    image = ImageFactory(title="Ảnh nội bộ", collection=private_collection, file__filename="noi-bo.jpg")
    editor = ContentstateConverter(features=["image"]).from_database_format(embed(image.pk, "bí mật"))
    [entity] = json.loads(editor)["entityMap"].values()
    assert entity["type"] == "IMAGE"
    assert entity["data"]["id"] == str(image.pk) and entity["data"]["alt"] == "bí mật"
    assert "noi-bo" in entity["data"]["src"]


def list_queries(client, query):
    """Data queries of the second of two identical requests (the first makes the renditions)."""
    warm = post_query(client, query)
    assert "errors" not in warm.json(), warm.content[:500]
    with CaptureQueriesContext(connection) as captured:
        response = post_query(client, query)
    assert response.json() == warm.json()
    return response.json(), len(data_queries(captured.captured_queries))


@pytest.mark.django_db
@pytest.mark.parametrize("stored", [True, False])
def test_a_list_costs_no_query_per_image(news_index, private_collection, client, settings, stored):
    """Every page embeds an image of its own and a private one: 2 pages cost what 12 cost."""
    settings.GRAPHQL_RESPONSE_CACHE_SECONDS = 0
    settings.GRAPHQL_STORED_ANSWERS = stored
    query = "{ newsPages(perPage: 100) { items { title body { ... on RichTextBlock { value } } } } }"
    counts = []
    for total in (2, 12):
        while news_index.get_children().count() < total:
            n = news_index.get_children().count()
            public = ImageFactory(title=f"Ảnh {n}", file__filename=f"anh-{n}.jpg")
            private = ImageFactory(title=f"Ảnh nội bộ {n}", collection=private_collection)
            body = f"<p>Bài {n}</p>{embed(public.pk, f'Ảnh {n}')}{embed(private.pk, 'bí mật')}"
            NewsPageFactory(parent=news_index, title=f"Bài {n}", body=[("paragraph", body)])
        data, count = list_queries(client, query)
        values = [item["body"][0]["value"] for item in data["data"]["newsPages"]["items"]]
        assert len(values) == total
        assert all(value.count("<img") == 1 and "bí mật" not in value for value in values)
        counts.append(count)
    assert counts[0] == counts[1]
