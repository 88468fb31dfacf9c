"""Local development: DEBUG, GraphiQL, console e-mail, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"  # noqa: F405  # nosec
GRAPHIQL_ENABLED = env_bool("GRAPHIQL_ENABLED", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
ALLOWED_HOSTS = ["*"]
GRAPHQL_MASK_ERRORS = env_bool("GRAPHQL_MASK_ERRORS", False)
