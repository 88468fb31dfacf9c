"""
Browser tests (`make e2e`): the test settings, plus what a live server and a real browser need.

pytest-django's live server answers from its own threads. With SQLite, an in-memory test
database would be one connection shared by every thread at once; a file gives each its own.
"""

import os
import tempfile

from cms.settings.test import *  # noqa: F403
from cms.settings.test import DATABASES

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"newsroom-e2e-{os.getpid()}.sqlite3"),
    }
