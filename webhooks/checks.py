from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def webhook_settings(app_configs, **kwargs):
    problems = []
    if settings.WEBHOOK_URLS and not settings.WEBHOOK_SECRET:
        problems.append(
            Error(
                "WEBHOOK_URLS is set but WEBHOOK_SECRET is empty: receivers could not verify deliveries.",
                hint="Set WEBHOOK_SECRET to a long random string shared with the receivers.",
                id="webhooks.E001",
            )
        )
    elif settings.WEBHOOK_SECRET and len(settings.WEBHOOK_SECRET) < 32:
        problems.append(
            Warning(
                "WEBHOOK_SECRET is shorter than 32 characters.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(48))'",
                id="webhooks.W001",
            )
        )
    from .delivery import CLAIM_SECONDS

    if settings.WEBHOOK_TIMEOUT * 3 >= CLAIM_SECONDS:
        problems.append(
            Warning(
                f"WEBHOOK_TIMEOUT ({settings.WEBHOOK_TIMEOUT:g} s) is too long: an attempt could outlive its "
                f"{CLAIM_SECONDS} s claim and a delivery be sent twice.",
                hint=f"Keep it under {CLAIM_SECONDS // 3} seconds (default 5).",
                id="webhooks.W002",
            )
        )
    for url in settings.WEBHOOK_URLS:
        if not url.startswith(("http://", "https://")):
            problems.append(Error(f"WEBHOOK_URLS: {url!r} is not an http(s) URL.", id="webhooks.E002"))
    return problems
