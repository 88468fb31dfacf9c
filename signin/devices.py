"""
Device cookies (OWASP's defence against online guessing without lock-out denial of service): a
browser where someone has signed in holds a signed cookie naming them and a random nonce, and is
counted apart from every other client. Guessing from elsewhere can lock an account for unknown
browsers, never for the browsers its owner already uses; failures on a known browser lock that
browser only (signin/lockout.py).

One cookie per browser holds the accounts that signed in on it (a newsroom's shared computers),
the most recent last, at most `MAX_ACCOUNTS`; it is sent to the admin only, HttpOnly, and signed
with the project's secret, so nobody can make one for an account they have not signed in to.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse

COOKIE_NAME = "newsroom_device"
SALT = "signin.devices"
MAX_ACCOUNTS = 10


def read(request):
    """{username: nonce} of the accounts that signed in on this browser (empty if forged or old)."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return {}
    try:
        entries = signing.loads(value, salt=SALT, max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400)
    except signing.BadSignature:
        return {}
    if not isinstance(entries, list):
        return {}
    return {entry[0]: entry[1] for entry in entries if isinstance(entry, list) and len(entry) == 2}


def nonce_for(request, username):
    """The nonce of this browser for `username` (as counted: case-folded), or "" if unknown."""
    return read(request).get(username, "") if username else ""


def remember(request, response, username):
    """After a successful sign-in: this browser is known for `username`, with a new nonce."""
    entries = [[name, nonce] for name, nonce in read(request).items() if name != username]
    entries = [*entries, [username, secrets.token_urlsafe(16)]][-MAX_ACCOUNTS:]
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(entries, salt=SALT, compress=True),
        max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400,
        path=reverse("wagtailadmin_home"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class DeviceCookieMiddleware:
    """Gives the browser its device cookie on the response to a successful sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        username = getattr(request, "signin_remember_device", None)
        if username:
            remember(request, response, username)
        return response
