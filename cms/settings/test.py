"""Tests: fast hashing, in-memory cache and media, plain static storage."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
WAGTAILADMIN_BASE_URL = "http://testserver"
GRAPHIQL_ENABLED = True
# Webhooks are sent in the test's own thread, once its transaction commits (tests that exercise
# the background threads turn this back on).
WEBHOOK_ASYNC = False
WEBHOOK_URLS = []
WEBHOOK_SECRET = ""
CACHE_PURGE_BACKENDS = {}  # whatever VARNISH_PURGE_URLS, CLOUDFLARE_* or FASTLY_* say
# One process, one clock: a purge stamped before an answer started is one it has seen.
CACHE_TAG_CLOCK_SKEW = 0
