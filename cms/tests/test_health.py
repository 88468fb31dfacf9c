import pytest
from django.db import connection


def test_liveness_needs_nothing(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readiness_checks_database_and_cache(client):
    response = client.get("/readyz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_reports_a_failing_database(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "failing", "cache": "ok"}


@pytest.mark.django_db
def test_readiness_reports_a_failing_cache_but_stays_ready(client, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    response = client.get("/readyz")
    assert response.status_code == 200  # served uncached: still ready
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "failing"}


def test_production_answers_health_checks_over_plain_http(settings, client):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["cms.example.org"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7").status_code == 200
