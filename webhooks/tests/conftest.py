import pytest
from django.contrib.auth import get_user_model

from cms.testing import WebhookListener

SECRET = "một-bí-mật-đủ-dài-cho-chữ-ký-hmac-0123456789"


@pytest.fixture
def listener(settings):
    listener = WebhookListener()
    settings.WEBHOOK_URLS = [listener.url]
    settings.WEBHOOK_SECRET = SECRET
    yield listener
    listener.stop()


@pytest.fixture
def admin_client_vi(client, db):
    user = get_user_model().objects.create_superuser("quan-tri", password="mat-khau-dai-123")
    client.force_login(user)
    return client
