import pytest

from testing.services import WEBHOOK_SECRET, WebhookListener
from testing.users import superuser


@pytest.fixture
def listener(settings):
    listener = WebhookListener()
    settings.WEBHOOK_URLS = [listener.url]
    settings.WEBHOOK_SECRET = WEBHOOK_SECRET
    yield listener
    listener.stop()


@pytest.fixture
def admin_client_vi(client, db):
    client.force_login(superuser("quan-tri"))
    return client
