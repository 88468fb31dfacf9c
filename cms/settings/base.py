"""
Settings shared by every environment. Environment-specific files (dev, test, production)
import everything from here and override what differs.

Everything an operator may change comes from the environment; the README's configuration table
lists every variable. The apps' own settings (GRAPHQL_*, SEARCH_*, WEBHOOK_*, ...) have their
defaults beside their code, in each app's app_settings.py: here they are set only when the
environment gives them (the table at the end, docs/development.md#settings-and-environment).
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def parse_bool(value):
    return value.strip().lower() in {"1", "true", "yes", "on"}


def parse_list(value):
    """Comma-separated items, each stripped; empty ones left out."""
    return [item.strip() for item in value.split(",") if item.strip()]


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return parse_bool(value)


def env_list(name, default=""):
    return parse_list(os.environ.get(name, default))


def from_environment(parsers, older_names):
    """
    {setting: parsed value} for each setting of `parsers` ({name: parser of the variable's text})
    whose environment variable is set, or else its older name (`older_names`: {name: older name});
    the others are left out, for their app's default (app_settings.py) to apply.
    """
    found = {}
    for name, parse in parsers.items():
        for variable in (name, older_names.get(name)):
            if variable is not None and variable in os.environ:
                found[name] = parse(os.environ[variable])
                break
    return found


INSTALLED_APPS = [
    "publishing",
    "home",
    "news",
    "search",
    "webhooks",
    "signin",
    "editorial",
    "feeds",
    "cooperation",
    "wagtail.contrib.redirects",
    # Translations: the Locales screen, and "Dịch" (Translate) on pages and sectors.
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # grapple must come after wagtail.snippets, or the schema fails to build.
    "graphene_django",
    "grapple",
    # After grapple: api.apps installs our changes to the types grapple has built.
    "api",
    "answers",
    "backups",
    "cms",
    "wagtail_headless_preview",
    "corsheaders",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Only for its Vietnamese catalog: Wagtail's admin uses humanize's naturaltime ("2 giây trước").
    "django.contrib.humanize",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "cms.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "cms.middleware.GraphQLResponseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After the password, the admin waits for the second factor (signin/two_factor.py).
    "signin.middleware.SecondFactorMiddleware",
    "cms.middleware.ScheduledPublishingMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A successful sign-in makes the browser known for that account (signin/devices.py).
    "signin.devices.DeviceCookieMiddleware",
    # Last, as django-axes requires: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "cms.wsgi.application"

# SQLite file next to the project by default; PostgreSQL (psycopg2) in production, e.g.
# DATABASE_URL=postgres://user:password@host:5432/newsroom
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# Every view's writes commit together or not at all: an editor's publish and the webhook deliveries
# it records (webhooks/) cannot come apart. The GraphQL endpoint only reads and opts out.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The page editor sends several requests at once (autosave, the preview panel, the editing
    # session's ping). SQLite's default deferred transactions fail at once with "database is
    # locked" when two of them turn from reading to writing; immediate ones wait their turn.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the newsroom works in Vietnamese; English stays selectable per user.
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# Dates as Vietnamese write them (28/11/2026 09:30), in the admin's pickers and everywhere else
# (cms/formats/ makes every language read them back day first).
FORMAT_MODULE_PATH = ["cms.formats"]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_TIME_FORMAT = "%H:%M"
WAGTAILADMIN_USER_LOGIN_FORM = "cms.admin_forms.LoginForm"
# No request leaves the machine from the admin: no release check, no Gravatar avatars.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Sign-in throttling (signin/lockout.py, OWASP's device cookies on django-axes' plumbing): within
# LOGIN_LOCKOUT_MINUTES, LOGIN_FAILURE_LIMIT failures for one username lock it for browsers it has
# never signed in on (its owner's known browsers still sign in), the same on one known browser lock
# that browser, and one address (an IPv6 /64) trying LOGIN_ADDRESS_USERNAME_LIMIT usernames is
# refused for unknown browsers. Page and collection passwords: LOGIN_FAILURE_LIMIT per address.
# State in the database: every app server sees the same failures.
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out sign-in before any check. (AxesBackend, not the standalone one:
    # it can also load a user, which a session signed in without a password — tests — refers to.)
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))
LOGIN_ADDRESS_USERNAME_LIMIT = int(os.environ.get("LOGIN_ADDRESS_USERNAME_LIMIT", "20"))
LOGIN_DEVICE_COOKIE_DAYS = int(os.environ.get("LOGIN_DEVICE_COOKIE_DAYS", "365"))
AXES_HANDLER = "signin.lockout.DeviceCookieHandler"
AXES_USERNAME_CALLABLE = "signin.lockout.username_key"
AXES_CLIENT_IP_CALLABLE = "signin.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "signin.lockout.lockout_response"
AXES_ENABLE_ADMIN = False  # no django.contrib.admin here: lockouts are in Wagtail's admin (signin/)
# E-mail: the review workflow's notifications (submitted, sent back, approved) and password
# resets. Development prints them in the terminal (dev.py); production sends through SMTP.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# Two-factor sign-in (signin/two_factor.py): optional per user; when TWO_FACTOR_REQUIRED is true,
# administrators and everyone who can publish pages must set it up before using the admin.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", False)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Newsroom CMS")
# The proxies whose X-Forwarded-For names the client (the same variable gunicorn reads for the scheme).
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Our own labels first, then our Vietnamese catalogs completing Wagtail's and Django's
# (docs/translation.md); Django prefers the first entry that has a message, and all of these to the
# packages' own catalogs.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    *sorted((BASE_DIR / "locale" / "wagtail").iterdir()),
    *sorted((BASE_DIR / "locale" / "django").iterdir()),
    *sorted((BASE_DIR / "locale" / "taggit").iterdir()),
]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "cms" / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]

MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# In-process caches by default (one per process); with REDIS_URL, shared by every app server
# (the GraphQL response cache and its invalidation must be shared when there are several).
# Renditions get their own cache, so thousands of cached image sizes never evict anything else.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            # Redis down means uncached, never an error (cms/cache_backends.py).
            "BACKEND": "cms.cache_backends.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"newsroom:{alias}",
            "TIMEOUT": 300,
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "0.5")),
            },
        }
        for alias in ("default", "renditions")
    }
else:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": alias,
            "OPTIONS": {"MAX_ENTRIES": 10_000},
        }
        for alias in ("default", "renditions")
    }

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def s3_storage():
    """Media on S3-compatible storage (AWS, MinIO, Ceph, ...), from the environment."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            # Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself.
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "location": os.environ.get("AWS_LOCATION", "media"),
            # Two uploads named photo.jpg must not overwrite each other's original.
            "file_overwrite": False,
            # Image URLs end up in cached GraphQL answers: they must not expire.
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "default_acl": None,
        },
    }


# Media on the local disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME is set.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = s3_storage()
# Documents are served only through Wagtail's view, which checks their collection's view
# restrictions, never as plain files (cms/media.py says which media are public files).
WAGTAILDOCS_SERVE_METHOD = "serve_view"

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Wagtail
WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "Tin hợp tác địa phương")
# Absolute base URL of the CMS, used in admin e-mails and for absolute image and media URLs.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The public address of the frontend readers use, e.g. "https://tinhoptac.example.vn": the RSS
# feeds (feeds/, docs/feeds.md) link each article there, at its path within the site.
FRONTEND_BASE_URL = os.environ.get("FRONTEND_BASE_URL", "http://127.0.0.1:3000")
# Slugs are ASCII; Vietnamese titles are transliterated (see publishing.slugs).
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Content in Vietnamese (the default) and English: each page and sector may have a translation
# in the other language (docs/localisation.md). Vietnamese addresses have no prefix, English ones
# start with /en/.
WAGTAIL_I18N_ENABLED = True
# Named in the admin's language ("Tiếng Anh" in the Vietnamese admin), from Django's catalog.
WAGTAIL_CONTENT_LANGUAGES = [("vi", gettext_lazy("Vietnamese")), ("en", gettext_lazy("English"))]
# Search: Wagtail's database backend (SQLite FTS5 or PostgreSQL full-text search) by default;
# SEARCH_BACKEND=elasticsearch8 (or elasticsearch7/9, opensearch2/3) with SEARCH_URLS selects a
# cluster (install the matching client package first; see docs/search.md).
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "database")
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}"}
    if SEARCH_BACKEND == "database"
    else {
        "BACKEND": f"wagtail.search.backends.{SEARCH_BACKEND}",
        "URLS": env_list("SEARCH_URLS", "http://127.0.0.1:9200"),
        "INDEX": os.environ.get("SEARCH_INDEX", "newsroom"),
        "TIMEOUT": int(os.environ.get("SEARCH_TIMEOUT", "5")),
    }
}

SILENCED_SYSTEM_CHECKS = [
    # NewsPage indexes `title` through publishing.text.AccentInsensitiveSearchField (the title plus
    # its unaccented form) instead of Page's plain SearchField("title"); the check only sees that
    # the plain field is gone.
    "wagtailsearch.W001",
]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
TAGGIT_CASE_INSENSITIVE = True

# GraphQL (wagtail-grapple on graphene-django). The endpoint is wired in api.
GRAPHENE = {"SCHEMA": "cms.schema.schema"}

# Responsive image renditions that GraphQL clients may ask for. Anything else is refused,
# so a client cannot make the server render (and store) arbitrary image sizes.
IMAGE_RENDITION_WIDTHS = [320, 480, 640, 800, 960, 1200, 1600]
ALLOWED_IMAGE_FILTERS = [
    *(f"width-{w}" for w in IMAGE_RENDITION_WIDTHS),
    *(f"width-{w}|format-webp" for w in IMAGE_RENDITION_WIDTHS),
    *(f"fill-{w}x{w * 9 // 16}" for w in IMAGE_RENDITION_WIDTHS),
    *(f"fill-{w}x{w * 9 // 16}|format-webp" for w in IMAGE_RENDITION_WIDTHS),
    "original",
]

GRAPPLE = {
    "APPS": {"home": "", "news": ""},
    "PAGE_INTERFACE": "api.interfaces.PageInterface",
    "ALLOWED_IMAGE_FILTERS": ALLOWED_IMAGE_FILTERS,
    "EXPOSE_GRAPHIQL": False,
    "AUTO_CAMELCASE": True,
    "RICHTEXT_FORMAT": "html",
}

# Preview. With no frontend configured, Wagtail's preview panel shows the draft rendered by the
# CMS's own templates. With PREVIEW_FRONTEND_URL (and, for other sites, PREVIEW_FRONTEND_URLS
# as "hostname=url,hostname=url"), it opens the frontend with ?token=..., and the frontend reads
# the draft with `page(token:)`. Tokens expire after PREVIEW_TOKEN_MAX_AGE seconds
# (publishing/app_settings.py).
WAGTAIL_HEADLESS_PREVIEW = {
    "CLIENT_URLS": {
        **({"default": os.environ["PREVIEW_FRONTEND_URL"]} if os.environ.get("PREVIEW_FRONTEND_URL") else {}),
        **dict(item.split("=", 1) for item in env_list("PREVIEW_FRONTEND_URLS") if "=" in item),
    },
    "REDIRECT_ON_PREVIEW": False,
    "ENFORCE_TRAILING_SLASH": False,
}

# Browsers may call /graphql/ from these origins only (e.g. "https://www.example.org").
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/graphql/$"
CORS_ALLOW_METHODS = ["GET", "POST", "OPTIONS"]
CORS_PREFLIGHT_MAX_AGE = 86400

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Background task runs (search index, reference index) are logged per object: too chatty.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": os.environ.get("WAGTAIL_LOG_LEVEL", "WARNING")},
        # Each failed sign-in and each lockout is a warning (username and address, no password).
        "signin": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
# The key `manage.py backup` signs manifests with and `restore` checks them with
# (docs/backups.md#the-signing-key); unset: a key derived from SECRET_KEY.
BACKUP_SIGNING_KEY = os.environ.get("BACKUP_SIGNING_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# The apps' own settings (each with its default in its app's app_settings.py), set here only when
# the environment gives them, each variable parsed as shown; an empty variable counts as given
# (int("") fails start-up, as it always has). docs/development.md#settings-and-environment.
# (Lowercase names: these tables are not settings themselves.)
app_settings_from_environment = {
    # api/app_settings.py: the GraphQL endpoint (its limits: docs/graphql.md#limits).
    "GRAPHIQL_ENABLED": parse_bool,
    "GRAPHQL_MAX_BODY_BYTES": int,
    "GRAPHQL_MAX_TOKENS": int,
    "GRAPHQL_MAX_DEPTH": int,
    "GRAPHQL_MAX_INTROSPECTION_DEPTH": int,
    "GRAPHQL_MAX_ALIASES": int,
    "GRAPHQL_MAX_DIRECTIVES": int,
    "GRAPHQL_MAX_COST": int,
    "GRAPHQL_MAX_OPERATIONS": int,
    "GRAPHQL_MAX_BATCH": int,
    "GRAPHQL_STATEMENT_TIMEOUT_MS": int,
    "GRAPHQL_MAX_RESPONSE_BYTES": int,
    "GRAPHQL_EXECUTION_BUDGET_SECONDS": float,
    "GRAPHQL_INTROSPECTION": parse_bool,
    "GRAPHQL_FIELD_SUGGESTIONS": parse_bool,
    "GRAPHQL_MASK_ERRORS": parse_bool,
    "GRAPHQL_PAGE_SIZE": int,
    "GRAPHQL_MAX_PAGE_SIZE": int,
    "GRAPHQL_LEAN_EXECUTION": parse_bool,
    "GRAPHQL_RESPONSE_CACHE_SECONDS": int,
    "GRAPHQL_RESPONSE_CACHE_LOCK_WAIT": float,
    "GRAPHQL_RESPONSE_CACHE_MAX_BYTES": int,
    "GRAPHQL_PERSISTED_QUERY_MAX_BYTES": int,
    "GRAPHQL_PERSISTED_QUERY_SECONDS": int,
    # answers/app_settings.py
    "GRAPHQL_STORED_ANSWERS": parse_bool,
    # news/app_settings.py
    "RELATED_NEWS_CANDIDATES": int,
    # search/app_settings.py
    "SEARCH_MAX_QUERY_LENGTH": int,
    "SEARCH_MAX_TERMS": int,
    "SEARCH_EXACT_TOTAL": int,
    "SEARCH_MAX_RESULTS": int,
    # webhooks/app_settings.py
    "WEBHOOK_URLS": parse_list,
    "WEBHOOK_SECRET": str,
    "WEBHOOK_TIMEOUT": float,
    "CACHE_PURGE_REPEAT_SECONDS": float,
    "CACHE_PURGE_TIMEOUT": float,
    # publishing/app_settings.py
    "PREVIEW_TOKEN_MAX_AGE": int,
    # publishing/app_settings.py: cache tags and shared caches
    "CACHE_TAG_HEADER": str,
    "CACHE_TAG_HEADER_MAX_BYTES": int,
    "CDN_MAX_AGE": int,
    "CDN_STALE_WHILE_REVALIDATE": int,
    "CACHE_TAG_CLOCK_SKEW": float,
}
# Older names of those variables, read when the new name is unset.
older_variable_names = {"GRAPHQL_PAGE_SIZE": "NEWS_PAGE_SIZE", "GRAPHQL_MAX_PAGE_SIZE": "NEWS_MAX_PAGE_SIZE"}
globals().update(from_environment(app_settings_from_environment, older_variable_names))


def cache_purge_backends(environ):
    """
    webhooks/app_settings.py's CACHE_PURGE_BACKENDS (docs/purging.md), from the CDNs' variables:
    VARNISH_PURGE_URLS (comma-separated), CLOUDFLARE_ZONE_ID + CLOUDFLARE_API_TOKEN,
    FASTLY_SERVICE_ID + FASTLY_API_TOKEN (+ FASTLY_SOFT_PURGE). A CDN one of whose variables is
    set is configured, so that `check` reports the other one missing (webhooks.E003).
    """
    backends = {}
    if "VARNISH_PURGE_URLS" in environ:
        backends["varnish"] = {
            "BACKEND": "webhooks.purging.VarnishBackend",
            "LOCATIONS": parse_list(environ["VARNISH_PURGE_URLS"]),
        }
    if "CLOUDFLARE_ZONE_ID" in environ or "CLOUDFLARE_API_TOKEN" in environ:
        backends["cloudflare"] = {
            "BACKEND": "webhooks.purging.CloudflareBackend",
            "ZONEID": environ.get("CLOUDFLARE_ZONE_ID", "").strip(),
            "BEARER_TOKEN": environ.get("CLOUDFLARE_API_TOKEN", "").strip(),
        }
    if "FASTLY_SERVICE_ID" in environ or "FASTLY_API_TOKEN" in environ:
        backends["fastly"] = {
            "BACKEND": "webhooks.purging.FastlyBackend",
            "SERVICE_ID": environ.get("FASTLY_SERVICE_ID", "").strip(),
            "API_TOKEN": environ.get("FASTLY_API_TOKEN", "").strip(),
            "SOFT_PURGE": parse_bool(environ.get("FASTLY_SOFT_PURGE", "")),
        }
    return backends


if _cache_purge_backends := cache_purge_backends(os.environ):
    CACHE_PURGE_BACKENDS = _cache_purge_backends
