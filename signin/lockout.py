"""
Sign-in throttling for the admin, with django-axes (settings: `AXES_*`, from `LOGIN_*`).

After `LOGIN_FAILURE_LIMIT` failed sign-ins for one username, or from one address, further
attempts are refused for `LOGIN_LOCKOUT_MINUTES` — with the right password too — and a successful
sign-in starts the count again. Attempts are kept in the database (axes' `AccessAttempt`), so
every app server counts the same ones; administrators see and clear lockouts in the admin
(Settings → Sign-in lockouts, signin/views.py).

What makes two attempts "the same":
- the username as typed, trimmed and case-folded: " Editor" and "EDITOR" count with "editor";
- the address the request came from: the connection's, or — when the connection comes from one
  of the proxies in `FORWARDED_ALLOW_IPS` (nginx) — the address that proxy saw, the last one of
  `X-Forwarded-For`. Nobody else can name an address for themselves, to escape a lockout or to
  lock someone else out.
"""

import ipaddress
import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.utils.translation import ngettext
from wagtail.admin.views.account import LoginView


def username_key(request, credentials=None):
    """The username an attempt counts against: trimmed, case-folded; None when there is none."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return username.strip().casefold() or None


def client_address(request):
    """The address a sign-in attempt comes from (the proxies believed only when they are ours)."""
    connection = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and is_trusted_proxy(connection):
        seen = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(seen))
        except ValueError:
            pass
    return connection


def is_trusted_proxy(address):
    trusted = settings.FORWARDED_ALLOW_IPS
    if "*" in trusted:
        return True
    try:
        address = ipaddress.ip_address(address)
    except ValueError:
        return False
    # A server listening on [::] sees IPv4 proxies as ::ffff:127.0.0.1.
    address = getattr(address, "ipv4_mapped", None) or address
    for entry in trusted:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def lockout_message():
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return ngettext(
        "Too many failed sign-ins: signing in is refused for %(minutes)d minute. "
        "Try again later, or ask an administrator to clear the lockout.",
        "Too many failed sign-ins: signing in is refused for %(minutes)d minutes. "
        "Try again later, or ask an administrator to clear the lockout.",
        minutes,
    ) % {"minutes": minutes}


class LockedOutView(LoginView):
    """Wagtail's sign-in page, with the lockout said above the form."""

    template_name = "signin/locked_out.html"


def lockout_response(request, original_response=None, credentials=None):
    """The answer to a refused sign-in: the sign-in page with the reason, status 429."""
    view = LockedOutView()
    view.setup(request)
    form = view.get_form_class()(request, initial={"username": (credentials or {}).get("username", "")})
    response = view.render_to_response(
        view.get_context_data(form=form, lockout_message=lockout_message()),
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    return response.render()  # returned by a middleware, past the point where Django renders


class UsernameResetHandler(AxesDatabaseHandler):
    """
    django-axes' database handler, except that a successful sign-in forgives the failures of that
    username only. Axes' own would also forget every failure from the same address, so anyone
    with one working account could guess another's password without end: four guesses, sign in
    as themselves, four more.
    """

    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
