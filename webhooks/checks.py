from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from . import app_settings


@register()
def webhook_settings(app_configs, **kwargs):
    problems = []
    if app_settings.WEBHOOK_URLS and not app_settings.WEBHOOK_SECRET:
        problems.append(
            Error(
                "WEBHOOK_URLS is set but WEBHOOK_SECRET is empty: receivers could not verify deliveries.",
                hint="Set WEBHOOK_SECRET to a long random string shared with the receivers.",
                id="webhooks.E001",
            )
        )
    elif app_settings.WEBHOOK_SECRET and len(app_settings.WEBHOOK_SECRET) < 32:
        problems.append(
            Warning(
                "WEBHOOK_SECRET is shorter than 32 characters.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="webhooks.W001",
            )
        )
    from .outbox import CLAIM_SECONDS

    if (timeout := app_settings.WEBHOOK_TIMEOUT) * 3 >= CLAIM_SECONDS:
        problems.append(
            Warning(
                f"WEBHOOK_TIMEOUT ({timeout:g} s) is too long: an attempt could outlive its "
                f"{CLAIM_SECONDS} s claim and a delivery be sent twice.",
                hint=f"Keep it under {CLAIM_SECONDS // 3} seconds (default 5).",
                id="webhooks.W002",
            )
        )
    for url in app_settings.WEBHOOK_URLS:
        if not url.startswith(("http://", "https://")):
            problems.append(Error(f"WEBHOOK_URLS: {url!r} is not an http(s) URL.", id="webhooks.E002"))
    return problems


@register()
def cache_purge_settings(app_configs, **kwargs):
    """Each CDN of CACHE_PURGE_BACKENDS can be made: its credentials and addresses (docs/purging.md)."""
    from .purging import get_backend

    backends = app_settings.CACHE_PURGE_BACKENDS
    if not isinstance(backends, dict):
        return [Error("CACHE_PURGE_BACKENDS must be a dict of {name: backend settings}.", id="webhooks.E003")]
    problems = []
    for name in backends:
        try:
            get_backend(name)
        except (ImproperlyConfigured, TypeError, ValueError) as error:
            problems.append(
                Error(
                    f"CACHE_PURGE_BACKENDS[{name!r}]: {error}",
                    hint="docs/purging.md says what each CDN needs; nothing is purged from it until fixed.",
                    id="webhooks.E003",
                )
            )
    return problems
