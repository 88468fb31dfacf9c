import secrets
import subprocess
import sys

import pytest
from django.conf import settings


@pytest.fixture(scope="module")
def production_sqlite(tmp_path_factory):
    """(environment, folder): production settings on a migrated SQLite database of their own,
    for a real server (testing.services.GunicornServer) started by the test."""
    folder = tmp_path_factory.mktemp("production")
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "GUNICORN_WORKERS": "1",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        env=env,
        cwd=settings.BASE_DIR,
        check=True,
    )
    return env, folder
