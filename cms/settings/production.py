"""
Production: secrets and hosts come from the environment, with no fallback.
A missing DJANGO_SECRET_KEY or DJANGO_ALLOWED_HOSTS stops the process at start-up.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the host names this CMS answers on.")

# Static files with hashed names, compressed, served by WhiteNoise (collectstatic writes them).
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1  # noqa: F405
MIDDLEWARE = [  # right after SecurityMiddleware, as WhiteNoise asks
    *MIDDLEWARE[:_after_security],  # noqa: F405
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[_after_security:],  # noqa: F405
]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Without Redis, every worker (and every app server) shares one cache through the database:
# per-process caches would each keep their own content version, so after an editor unpublishes a
# page, other workers would go on serving it from their cache for minutes.
if not REDIS_URL:  # noqa: F405
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "newsroom_cache",  # created by migrate (cms.models.SharedCacheEntry)
            "KEY_PREFIX": f"newsroom:{alias}",
            "TIMEOUT": 300,
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
        for alias in ("default", "renditions")
    }

GRAPHIQL_ENABLED = False
GRAPHQL_INTROSPECTION = env_bool("GRAPHQL_INTROSPECTION", False)
GRAPHQL_FIELD_SUGGESTIONS = False
GRAPHQL_MASK_ERRORS = True

# HTTPS behind a proxy: gunicorn sets the request's scheme from X-Forwarded-Proto only when the
# connection comes from FORWARDED_ALLOW_IPS (cms/gunicorn.conf.py), and Django reads that scheme.
# (Django's SECURE_PROXY_SSL_HEADER would trust the header from any client.)
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
# Allows submitting the domain to browsers' preload list; submitting it stays a manual step.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The admin's preview panel shows the page in a same-origin iframe, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W019"]  # noqa: F405
