"""The next expiry is found through an index, not by reading every page (publishing migration 0001)."""

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Page

pytestmark = pytest.mark.django_db

INDEX = "publishing_page_live_expiry"


def next_expiry_query():
    query = Page.objects.filter(live=True, expire_at__gt=timezone.now()).order_by("expire_at")
    return query.values_list("expire_at", flat=True)[:1]


def test_the_index_exists():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "wagtailcore_page")
    assert constraints[INDEX]["columns"] == ["expire_at"] and constraints[INDEX]["index"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan; PostgreSQL's depends on table size")
def test_the_next_expiry_is_read_through_it():
    sql, params = next_expiry_query().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert INDEX in plan, plan
