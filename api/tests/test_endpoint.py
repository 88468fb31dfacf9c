import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_graphiql_is_served_from_our_own_static_files(client):
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("graphiql.min.js" in source for source in sources)
    assert all(source.startswith(settings.STATIC_URL) for source in sources), sources
    assert "cdn" not in html.lower() and "https://" not in html


@pytest.mark.django_db
def test_graphiql_can_be_switched_off(client, settings):
    settings.GRAPHIQL_ENABLED = False
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert b"graphiql.min.js" not in response.content


@pytest.mark.django_db
def test_queries_over_get(client, demo):
    response = client.get("/graphql/", {"query": "{ sectors { slug } }"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["data"]["sectors"][0]["slug"] == "nong-nghiep"


def run_with_settings(module, environment, code=None):
    code = code or "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": module, **environment},
        capture_output=True,
        text=True,
        check=False,
        cwd=settings.BASE_DIR,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with_settings("cms.settings.production", {"DJANGO_ALLOWED_HOSTS": "cms.example.org"})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_starts_with_its_environment():
    result = run_with_settings(
        "cms.settings.production",
        {"DJANGO_SECRET_KEY": "x" * 60, "DJANGO_ALLOWED_HOSTS": "cms.example.org"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [("", "django.core.cache.backends.db.DatabaseCache newsroom_cache"),
     ("redis://127.0.0.1:6379/0", "cms.cache_backends.TolerantRedisCache redis://127.0.0.1:6379/0")],
)  # fmt: skip
def test_production_caches_are_shared_by_every_worker(redis_url, backend):
    """Never one cache per process: each would keep its own content version and serve stale pages."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(*{(c['BACKEND'], c['LOCATION']) for c in settings.CACHES.values()})"
    )
    environment = {
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "cms.example.org",
        "REDIS_URL": redis_url,
    }
    result = run_with_settings("cms.settings.production", environment, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str((backend.split()[0], backend.split()[1]))


def test_the_frontends_port_is_the_one_development_lets_call_graphql():
    code = "import django; django.setup(); from django.conf import settings; print(*settings.CORS_ALLOWED_ORIGINS)"  # noqa: E501
    result = run_with_settings("cms.settings.dev", {"FRONTEND_PORT": "3456"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://127.0.0.1:3456", "http://localhost:3456"]


def test_the_frontends_port_is_the_one_development_links_to():
    """Canonical URLs and the feeds' links follow FRONTEND_PORT, as CORS does (or FRONTEND_BASE_URL)."""
    code = "import django; django.setup(); from django.conf import settings as s; print(s.FRONTEND_BASE_URL)"
    result = run_with_settings("cms.settings.dev", {"FRONTEND_PORT": "3456"}, code)
    assert (result.returncode, result.stdout.strip()) == (0, "http://127.0.0.1:3456"), result.stderr
    environment = {"FRONTEND_PORT": "3456", "FRONTEND_BASE_URL": "https://www.example.org"}
    result = run_with_settings("cms.settings.dev", environment, code)
    assert (result.returncode, result.stdout.strip()) == (0, "https://www.example.org"), result.stderr


PORT_VARIABLES = (
    "WAGTAILADMIN_BASE_URL",
    "FRONTEND_PORT",
    "PREVIEW_FRONTEND_URL",
    "CMS_GRAPHQL_URL",
    "FRONTEND_BASE_URL",
)


@pytest.mark.parametrize(
    ("target", "environment", "expected"),
    [
        ("run", {}, "WAGTAILADMIN_BASE_URL=http://127.0.0.1:8123 FRONTEND_PORT=3456 PREVIEW_FRONTEND_URL= "),
        ("run FRONTEND=1", {}, "PREVIEW_FRONTEND_URL=http://127.0.0.1:3456/preview "),
        ("run", {"WAGTAILADMIN_BASE_URL": "https://cms.example.org"}, "URL=https://cms.example.org "),
        ("run", {}, "FRONTEND_BASE_URL=http://127.0.0.1:3456\n"),
        (
            "run",
            {"FRONTEND_BASE_URL": "https://www.example.org"},
            "FRONTEND_BASE_URL=https://www.example.org\n",
        ),
        (
            "frontend",
            {},
            "FRONTEND_PORT=3456 PREVIEW_FRONTEND_URL= CMS_GRAPHQL_URL=http://127.0.0.1:8123/graphql/",
        ),
    ],
)
def test_make_run_and_frontend_agree_on_the_ports(tmp_path, target, environment, expected):
    """The real Makefile, with a stand-in python that prints what it was given instead of running."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    python = bin_dir / "python"
    python.write_text("#!/bin/sh\necho " + " ".join(f"{name}=${name}" for name in PORT_VARIABLES) + "\n")
    python.chmod(0o755)
    (tmp_path / ".installed").touch()
    env = {key: value for key, value in os.environ.items() if key not in PORT_VARIABLES}
    command = [
        "make",
        "-s",
        *target.split(),
        "PORT=8123",
        "FRONTEND_PORT=3456",
        f"VENV={tmp_path}",
        f"BIN={bin_dir}",
    ]
    result = subprocess.run(  # noqa: S603 (a fixed command line)
        command, capture_output=True, text=True, cwd=settings.BASE_DIR, env={**env, **environment}, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout


@pytest.mark.django_db
def test_the_admin_never_calls_out(client, django_user_model):
    """No release check, no Gravatar: no request leaves the machine from the admin."""
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@baobackan.vn", "x"))
    page = client.get("/admin/").content.decode()
    assert "w-upgrade" not in page and "gravatar" not in page


@pytest.mark.django_db
def test_migrate_creates_the_shared_cache_table():
    from django.db import connection

    assert "newsroom_cache" in connection.introspection.table_names()


@pytest.mark.django_db
def test_local_admin_is_never_created_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to create users"):
        call_command("create_demo_users")


@pytest.mark.django_db
def test_make_run_creates_one_demo_user_per_role_once(settings, tmp_path, monkeypatch):
    from io import StringIO

    from cms.management.commands import create_demo_users

    monkeypatch.setattr(create_demo_users, "LOGINS_FILE", tmp_path / ".local-logins")
    monkeypatch.setattr(create_demo_users, "LEGACY_ADMIN_FILE", tmp_path / ".local-admin")
    settings.DEBUG = True
    first, second = StringIO(), StringIO()
    call_command("create_demo_users", stdout=first)
    call_command("create_demo_users", stdout=second)
    logins = dict(re.findall(r"login: (\w+) / (\S+)", first.getvalue()))
    assert set(logins) == {"admin", "phongvien", "bientapvien"}
    assert dict(re.findall(r"login: (\w+) / (\S+)", second.getvalue())) == logins
    assert "Created" not in second.getvalue()
    users = {user.username: user for user in get_user_model().objects.all()}
    assert users["admin"].is_superuser
    assert [g.name for g in users["phongvien"].groups.all()] == ["Phóng viên"]
    assert [g.name for g in users["bientapvien"].groups.all()] == ["Biên tập viên"]
    assert all(users[name].check_password(password) for name, password in logins.items())


@pytest.mark.django_db
def test_slow_queries_are_stopped_on_postgresql(demo, client, settings, monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement_timeout is a PostgreSQL setting")
    from news.models import NewsPage

    def slow_url(page, *args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    settings.GRAPHQL_STATEMENT_TIMEOUT_MS = 50
    monkeypatch.setattr(NewsPage, "get_url", slow_url)
    response = client.post(
        "/graphql/", {"query": "{ newsPages { items { url } } }"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["errors"][0]["message"] == "The query took too long and was stopped."
