"""Media on S3-compatible storage, against a local S3 server (moto) on 127.0.0.1, and which media
are plain files anywhere: images yes, documents never (they go through Wagtail's view)."""

import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.test import override_settings
from PIL import Image as PILImage
from wagtail.models import Collection, CollectionViewRestriction
from wagtail_factories import DocumentFactory, ImageFactory

from cms.settings.base import s3_storage
from news.factories import NewsPageFactory
from testing.services import free_port

BUCKET = "newsroom-media"  # the name the policy in ops/ is written for
PUBLIC_MEDIA_POLICY = (Path(django_settings.BASE_DIR) / "ops" / "s3-media-policy.json").read_text()


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_media(s3_server, settings, monkeypatch):
    for name, value in {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": "ap-southeast-1",
        "AWS_ACCESS_KEY_ID": "newsroom-test",
        "AWS_SECRET_ACCESS_KEY": "newsroom-test-secret",
        "AWS_S3_ADDRESSING_STYLE": "path",
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="ap-southeast-1")
    try:
        client.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-1"}
        )
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    # As docs/deployment.md asks of operators: readers may fetch images, nothing else.
    client.put_bucket_policy(Bucket=BUCKET, Policy=PUBLIC_MEDIA_POLICY)
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage()}
    return client


def test_uploads_and_renditions_live_in_the_bucket(s3_media, news_index, gql, s3_server):
    image = ImageFactory(title="Trường Tiểu học Đồng Phúc", file__filename="dong-phuc.jpg", file__width=1600)
    page = NewsPageFactory(parent=news_index, hero_image=image)
    page.save_revision().publish()

    assert default_storage.__class__.__name__ == "S3Storage"
    keys = [item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert image.file.name in {key.removeprefix("media/") for key in keys}

    data = gql("{ newsPages { items { heroImage { url srcSet(sizes: [320, 640]) } } } }")
    hero = data["newsPages"]["items"][0]["heroImage"]
    assert hero["url"].startswith(f"{s3_server}/{BUCKET}/media/")
    rendition_url = hero["srcSet"].split(",")[0].split()[0]
    assert rendition_url.startswith(f"{s3_server}/{BUCKET}/media/images/")
    assert "X-Amz-Signature" not in rendition_url  # cacheable: never expires
    with urllib.request.urlopen(rendition_url, timeout=10) as response:  # noqa: S310 (local moto)
        rendered = PILImage.open(response)
        assert rendered.width == 320


def test_two_uploads_with_the_same_name_keep_both_files(s3_media, db):
    first = ImageFactory(file__filename="anh.jpg", file__color="red")
    second = ImageFactory(file__filename="anh.jpg", file__color="blue")
    assert first.file.name != second.file.name
    assert default_storage.exists(first.file.name) and default_storage.exists(second.file.name)


def anonymous_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local moto)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def private_collection():
    collection = Collection.get_first_root_node().add_child(name="Nội bộ")
    CollectionViewRestriction.objects.create(collection=collection, restriction_type="login")
    return collection


def test_private_documents_are_never_public_files_in_the_bucket(s3_media, news_index, gql, s3_server, client):
    private = DocumentFactory(
        title="Báo cáo nội bộ", collection=private_collection(), file__filename="bao-cao-noi-bo.txt"
    )
    public = DocumentFactory(title="Kế hoạch hợp tác", file__filename="ke-hoach.txt", file__data=b"Ke hoach")
    page = NewsPageFactory(parent=news_index, body=[("document", private), ("document", public)])
    page.save_revision().publish()

    for document in (private, public):
        key = f"media/{document.file.name}"
        assert key in {item["Key"] for item in s3_media.list_objects_v2(Bucket=BUCKET)["Contents"]}
        assert anonymous_status(f"{s3_server}/{BUCKET}/{key}") == 403

    body = gql(f'{{ page(id: "{page.pk}") {{ ... on NewsPage {{ body {{ ... on DocumentChooserBlock '
               "{ document { title url } } } } } }")["page"]["body"]  # fmt: skip
    assert body[0]["document"] is None
    assert body[1]["document"]["url"] == f"http://testserver/documents/{public.pk}/ke-hoach.txt"
    served = client.get(f"/documents/{public.pk}/ke-hoach.txt")
    assert served.status_code == 200 and b"".join(served.streaming_content) == b"Ke hoach"
    refused = client.get(f"/documents/{private.pk}/bao-cao-noi-bo.txt")
    assert refused.status_code == 302 and "/login/" in refused["Location"]


def test_images_stay_public_files_in_the_bucket(s3_media, db, s3_server):
    image = ImageFactory(file__filename="cong-khai.jpg", file__width=800)
    rendition = image.get_rendition("width-320")
    assert anonymous_status(f"{s3_server}/{BUCKET}/media/{image.file.name}") == 200
    assert anonymous_status(f"{s3_server}/{BUCKET}/media/{rendition.file.name}") == 200


@override_settings(ROOT_URLCONF="cms.tests.media_urls")
def test_development_serves_images_as_files_but_never_documents(db, client):
    private = DocumentFactory(collection=private_collection(), file__filename="bi-mat.txt")
    image = ImageFactory(file__filename="anh.jpg")
    assert client.get(f"/media/{image.file.name}").status_code == 200
    assert client.get(f"/media/{private.file.name}").status_code == 404
    assert client.get(f"/media/documents/../{private.file.name}").status_code == 404
