"""
Device cookies (OWASP's defence against online guessing without lock-out denial of service): a
browser where someone has signed in holds a signed cookie naming them and a random nonce, and is
counted apart from every other client. Guessing from elsewhere can lock an account for unknown
browsers, never for the browsers its owner already uses; failures on a known browser lock that
browser only (signin/lockout.py).

One cookie per browser holds the accounts that signed in on it (a newsroom's shared computers),
the most recent last, at most `MAX_ACCOUNTS`. Each entry names the account exactly as it signs in
(usernames differing only in case are different accounts) and carries a tag of its password hash:
a password change or reset makes every browser unknown again. The cookie is given once the whole
sign-in is done (the second factor too, for accounts that have one), sent to the admin only,
HttpOnly, and signed with the project's secret, so nobody can make one for an account they have
not signed in to.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE_NAME = "newsroom_device"
SALT = "signin.devices"
MAX_ACCOUNTS = 10


def password_tag(password_hash):
    return salted_hmac(SALT, password_hash or "").hexdigest()[:16]


def read(request):
    """[[username, nonce, password tag], ...] of this browser (empty if forged or too old)."""
    value = request.COOKIES.get(COOKIE_NAME)
    if not value:
        return []
    try:
        entries = signing.loads(value, salt=SALT, max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400)
    except signing.BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, list) and len(entry) == 3]


def nonce_for(request, username):
    """
    This browser's nonce for the account `username` (exactly as it signs in) while that account's
    password is the one it signed in with; "" otherwise.
    """
    found = [entry for entry in read(request) if entry[0] == username] if username else []
    if not found:
        return ""
    _username, nonce, tag = found[-1]
    user_model = get_user_model()
    password = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: username})
        .values_list("password", flat=True)
        .first()
    )
    return nonce if password is not None and constant_time_compare(tag, password_tag(password)) else ""


def remember(request, response, user):
    """After a whole sign-in: this browser is known for `user`, with a new nonce."""
    username = user.get_username()
    entries = [entry for entry in read(request) if entry[0] != username]
    entries = [*entries, [username, secrets.token_urlsafe(16), password_tag(user.password)]]
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps(entries[-MAX_ACCOUNTS:], salt=SALT, compress=True),
        max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400,
        path=reverse("wagtailadmin_home"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class DeviceCookieMiddleware:
    """Gives the browser its device cookie on the response that completes a sign-in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "signin_remember_device", None)
        if user is not None:
            remember(request, response, user)
        return response
