"""
The fixtures every test may use, a pytest plugin registered by the root conftest.py, and the
`requires_service` mark (testing/services.py) checked before a test's fixtures are set up.
"""

from contextlib import contextmanager
from functools import partial

import pytest
from django.conf import settings
from django.core.cache import caches
from wagtail.models import Page, Site

from news.demo import load_demo_content
from news.factories import HomePageFactory, NewsIndexPageFactory

from .graphql import GraphQLClient, data_queries
from .services import need_service
from .users import superuser


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "requires_service(*names): the test needs these local services (testing.services.SERVICES); "
        "skipped where one is missing, failed instead with NEWSROOM_REQUIRE_SERVICES=1",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    for mark in item.iter_markers("requires_service"):
        for name in mark.args:
            need_service(name)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with empty caches: Wagtail caches site root paths and renditions there."""
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture
def assert_data_queries():
    """`with assert_data_queries(n): ...` — exactly n data queries (control statements aside)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    @contextmanager
    def expect(count):
        with CaptureQueriesContext(connection) as captured:
            yield
        data = data_queries(captured.captured_queries)
        assert len(data) == count, f"{len(data)} data queries, not {count}:\n" + "\n".join(data)

    return expect


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed(): ...` runs what waits for the transaction to commit, as production would."""
    return partial(django_capture_on_commit_callbacks, execute=True)


@pytest.fixture
def gql(client):
    """`gql(query, variables)`: the data of a query posted to /graphql/ (no errors allowed)."""
    return GraphQLClient(client)


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


@pytest.fixture
def editor(db):
    """
    A superuser, "bien-tap" (password testing.users.PASSWORD, in `raw_password`), whose admin is
    in the site's default language. A module whose tests need another editor overrides it.
    """
    return superuser("bien-tap")
