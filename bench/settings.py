"""
Benchmark settings: the test settings plus Wagtail's REST API v2, the peer GraphQL is compared
with. The REST API is not part of the product; it exists only in this process.
"""

import os

from cms.settings.test import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench", "wagtail.api.v2", "rest_framework"]  # noqa: F405
ROOT_URLCONF = "bench.urls"
DEBUG = False
WAGTAILAPI_LIMIT_MAX = 100
# The REST API only reads: like the GraphQL endpoint, it gets no request-wide transaction, so the
# comparison measures the two APIs and nothing else.
DATABASES["default"]["ATOMIC_REQUESTS"] = False  # noqa: F405
# The generated images stay beside the generated databases (bench/run.py sets MEDIA_ROOT), not in
# the test settings' temporary folder, which a later run would not have.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", MEDIA_ROOT)  # noqa: F405
