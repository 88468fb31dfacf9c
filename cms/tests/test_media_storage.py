"""Media on S3-compatible storage, against a local S3 server (moto) on 127.0.0.1."""

import json
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from wagtail_factories import ImageFactory

from cms.settings.base import s3_storage
from cms.testing import free_port
from news.factories import NewsPageFactory

BUCKET = "newsroom-media"
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/media/*",
        }
    ],
}


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
    # As docs/deployment.md asks of operators: readers may fetch media/ (not the rest of the bucket).
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
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
