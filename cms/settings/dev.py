"""Local development: DEBUG, GraphiQL, console e-mail, a throwaway secret key, CORS for frontend/."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"  # noqa: F405  # nosec
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = ["*"]
GRAPHQL_MASK_ERRORS = env_bool("GRAPHQL_MASK_ERRORS", False)
# The reference frontend (frontend/, `make frontend`) calls /graphql/ from its own origin.
FRONTEND_PORT = int(os.environ.get("FRONTEND_PORT") or 3000)
# Canonical URLs and the feeds' links point at it, on that port (`make run FRONTEND_PORT=3001`).
FRONTEND_BASE_URL = os.environ.get("FRONTEND_BASE_URL") or f"http://127.0.0.1:{FRONTEND_PORT}"
CORS_ALLOWED_ORIGINS = env_list(
    "CORS_ALLOWED_ORIGINS", f"http://127.0.0.1:{FRONTEND_PORT},http://localhost:{FRONTEND_PORT}"
)
