import json
from functools import partial

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from wagtail.models import Page, Site

from news.demo import load_demo_content
from news.factories import HomePageFactory, NewsIndexPageFactory

DEMO_URL_PATH = "/tin-tuc/tang-cuong-hop-tac-phat-trien-cac-linh-vuc-phu-hop-the-manh-dia-phuong/"


class GraphQLClient:
    """Posts a query to the real endpoint, as a frontend would, and returns the decoded body."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None):
        response = self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
        )
        assert response["Content-Type"].startswith("application/json")
        return response, response.json()

    def __call__(self, query, variables=None):
        response, body = self.post(query, variables)
        assert response.status_code == 200, body
        assert "errors" not in body, body["errors"]
        return body["data"]

    def errors(self, query, variables=None):
        response, body = self.post(query, variables)
        assert "errors" in body, body
        return [error["message"] for error in body["errors"]]


# What PostgreSQL adds to each GraphQL request inside a test's transaction: the statement timeout
# is set in a savepoint. Not data queries: pinned counts leave them out, on either database.
CONTROL_STATEMENTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "SET LOCAL", "ROLLBACK TO SAVEPOINT")


@pytest.fixture
def assert_data_queries():
    """`with assert_data_queries(n): ...` — exactly n data queries (control statements aside)."""
    from contextlib import contextmanager

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def expect(count):
        with CaptureQueriesContext(connection) as captured:
            yield
        data = [
            query["sql"]
            for query in captured.captured_queries
            if not query["sql"].startswith(CONTROL_STATEMENTS)
        ]
        assert len(data) == count, f"{len(data)} data queries, not {count}:\n" + "\n".join(data)

    return expect


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches: Wagtail caches site root paths and renditions there."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the transaction to commit, as production would."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def gql(client):
    return GraphQLClient(client)


@pytest.fixture
def anonymous_client():
    return Client()


@pytest.fixture
def demo(db):
    """The demo content exactly as `manage.py load_demo_content` creates it."""
    load_demo_content()


@pytest.fixture
def news_index(db):
    """A fresh site: home page at the site root and an empty "Tin tức" section."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root)
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    return NewsIndexPageFactory(parent=home)
