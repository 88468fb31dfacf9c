"""
Password guessing slowed to a stop without letting anyone lock the newsroom out (OWASP's "device
cookies", signin/devices.py). Failures are kept in the database (`PasswordFailure`), so every app
server counts the same ones; a rule that trips writes a `Lockout`, refused until it ends, with the
right password too. Within `LOGIN_LOCKOUT_MINUTES`:

- `LOGIN_FAILURE_LIMIT` failures for one username from browsers it never signed in on lock that
  username for such browsers only. Its owner, on a browser where they signed in before, is not
  locked out: guessing from anywhere else cannot stop them;
- the same number of failures on one known browser lock that browser's cookie: it then counts as
  unknown (a stolen cookie buys no more guesses);
- one address trying `LOGIN_ADDRESS_USERNAME_LIMIT` usernames from unknown browsers is refused for
  all of them (credential stuffing). One person's retries are one username: a newsroom behind one
  NAT address is not locked out by a colleague's typos;
- an address is the connection's, or the one our proxy saw (`FORWARDED_ALLOW_IPS`), and an IPv6
  client's whole /64 (a client gets a new address in its /64 at will);
- a successful sign-in forgives the failures of that username on that kind of browser (or of that
  browser), never another account's; guesses during a lockout are not counted and do not extend it.

Page and collection passwords (signin/passwords.py) count failures per address and restriction.
django-axes keeps the plumbing: its backend asks `is_allowed` before any password is checked, its
signals report failures and sign-ins, its middleware answers a refusal with `lockout_response`.
"""

import hashlib
import ipaddress
import logging
import math
import secrets
import unicodedata
from datetime import timedelta

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.views.account import LoginView

from . import devices
from .models import Lockout, PasswordFailure
from .two_factor import has_second_factor

logger = logging.getLogger(__name__)

ADMIN = "admin"  # PasswordFailure.target of the admin's sign-in
LOCKOUT_HISTORY_DAYS = 30


def username_key(request, credentials=None):
    """
    The username an attempt counts against, as the sign-in form cleans it (NFKC, trimmed); None
    when there is none. Not case-folded: accounts are matched exactly ("Editor" is not "editor"),
    so a guess at another spelling is a guess at another account.
    """
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return unicodedata.normalize("NFKC", str(username)).strip() or None


def client_address(request):
    """The address a sign-in attempt comes from (the proxies believed only when they are ours)."""
    connection = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    # No address: gunicorn on a unix socket, which only a local proxy can reach.
    if forwarded and (not connection or is_trusted_proxy(connection)):
        seen = forwarded.split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(seen))
        except ValueError:
            pass
    return connection


def address_key(request):
    """What counts as one client's address: the address, or for IPv6 its /64 ("" if unknown)."""
    return normalised_address(client_address(request))


def normalised_address(address):
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if parsed.version == 6:
        if parsed.ipv4_mapped:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


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


def window():
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def active_lockout(kind, key):
    """The lockout refusing `key` now, if any."""
    if not key:
        return None
    return Lockout.objects.filter(kind=kind, key=key, until__gt=timezone.now()).order_by("-until").first()


def serialise(*keys):
    """
    On PostgreSQL, one attempt at a time for each key until the request's transaction ends
    (ATOMIC_REQUESTS): otherwise attempts running side by side on several workers each see only
    their own uncommitted failure, and the limit becomes 5 plus the requests in flight. (SQLite
    runs one writing transaction at a time anyway.) Keys are taken in the order given: the
    username, then the address, in every caller, so two attempts never wait on each other.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in keys:
            if key:
                number = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [number])


def prune_now_and_then(now):
    """Failures older than the window count for nothing: forgotten on one failure in fifty."""
    if secrets.randbelow(50) == 0:
        PasswordFailure.objects.filter(attempted_at__lt=now - window()).delete()


def record_failure(target, address, username="", device=""):
    """Counts one wrong password and returns the lockout it starts, if any."""
    now = timezone.now()
    since = now - window()
    prune_now_and_then(now)
    PasswordFailure.objects.create(
        target=target, username=username, address=address, device=device, attempted_at=now
    )
    recent = PasswordFailure.objects.filter(target=target, attempted_at__gte=since)
    limit = settings.LOGIN_FAILURE_LIMIT
    if target != ADMIN:
        count = recent.filter(address=address).count() if address else 0
        if count >= limit:
            return lock(Lockout.Kind.RESTRICTION, f"{target}@{address}", count, address=address)
        return None
    if device:
        count = recent.filter(device=device).count()
        if count >= limit:
            return lock(Lockout.Kind.DEVICE, device, count, username=username, address=address)
        return None
    unknown = recent.filter(device="")
    count = unknown.filter(username=username).count() if username else 0
    if count >= limit:
        return lock(Lockout.Kind.USERNAME, username, count, username=username, address=address)
    usernames = unknown.filter(address=address).values("username").distinct().count() if address else 0
    if usernames >= settings.LOGIN_ADDRESS_USERNAME_LIMIT:
        return lock(Lockout.Kind.ADDRESS, address, usernames, address=address)
    return None


def lock(kind, key, failures, username="", address=""):
    now = timezone.now()
    # Ended lockouts stay listed for administrators for a while, then go.
    Lockout.objects.filter(until__lt=now - timedelta(days=LOCKOUT_HISTORY_DAYS)).delete()
    lockout = Lockout.objects.create(
        kind=kind,
        key=key,
        username=username,
        address=address,
        failures=failures,
        locked_at=now,
        until=now + window(),
    )
    logger.warning(
        "Locking out %s %r (from %r) after %d failures", kind, username or address, address, failures
    )
    return lockout


def forgive(target, username="", device=""):
    """A successful sign-in: the failures of that username on unknown browsers, or of that browser."""
    failures = PasswordFailure.objects.filter(target=target)
    if device:
        failures.filter(device=device).delete()
    elif username:
        failures.filter(username=username, device="").delete()


def lockout_message(lockout):
    minutes = max(1, math.ceil((lockout.until - timezone.now()).total_seconds() / 60))
    if lockout.kind == Lockout.Kind.ADDRESS:
        return ngettext(
            "Too many accounts were tried from your network: signing in from a browser that has not "
            "signed in here before is refused for %(minutes)d minute. On a browser where you signed "
            "in before you can still sign in; or ask an administrator to clear the lockout.",
            "Too many accounts were tried from your network: signing in from a browser that has not "
            "signed in here before is refused for %(minutes)d minutes. On a browser where you signed "
            "in before you can still sign in; or ask an administrator to clear the lockout.",
            minutes,
        ) % {"minutes": minutes}
    if lockout.kind == Lockout.Kind.RESTRICTION:
        return ngettext(
            "Too many wrong passwords: try again in %(minutes)d minute.",
            "Too many wrong passwords: try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
    return ngettext(
        "Too many failed sign-ins: signing in to this account from a browser it has not signed in "
        "from before is refused for %(minutes)d minute. On a browser where you signed in before you "
        "can still sign in; or ask an administrator to clear the lockout.",
        "Too many failed sign-ins: signing in to this account from a browser it has not signed in "
        "from before is refused for %(minutes)d minutes. On a browser where you signed in before you "
        "can still sign in; or ask an administrator to clear the lockout.",
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
    lockout = getattr(request, "signin_lockout", None)
    message = lockout_message(lockout) if lockout else _("Too many failed sign-ins: try again later.")
    response = view.render_to_response(
        view.get_context_data(form=form, lockout_message=message),
        status=429,
    )
    return response.render()  # returned by a middleware, past the point where Django renders


class DeviceCookieHandler(AbstractAxesHandler, AxesBaseHandler):
    """
    django-axes' handler interface over the rules above, in place of its own (which counts by
    username and address only, so one person's typos lock everyone behind their address, and
    anyone can keep an editor out by guessing at their username).
    """

    def refusal(self, request, credentials=None):
        """The lockout that refuses this sign-in attempt, if any; notes the browser's standing."""
        username = username_key(request, credentials) or ""
        serialise(f"signin:username:{username}", f"signin:address:{address_key(request)}")
        device = devices.nonce_for(request, username)
        if device and active_lockout(Lockout.Kind.DEVICE, device):
            device = ""  # a locked known browser is one more unknown browser
        request.signin_device = device
        if device:
            return None
        return active_lockout(Lockout.Kind.USERNAME, username) or active_lockout(
            Lockout.Kind.ADDRESS, address_key(request)
        )

    def is_allowed(self, request, credentials=None):
        request.signin_lockout = self.refusal(request, credentials)
        return request.signin_lockout is None

    def is_locked(self, request, credentials=None):
        return self.refusal(request, credentials) is not None

    def get_failures(self, request, credentials=None):
        since = timezone.now() - window()
        return PasswordFailure.objects.filter(
            target=ADMIN,
            username=username_key(request, credentials) or "",
            device="",
            attempted_at__gte=since,
        ).count()

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            return
        request.axes_credentials = credentials
        username = username_key(request, credentials) or ""
        address = address_key(request)
        if getattr(request, "signin_lockout", None) is not None:  # refused by is_allowed
            request.axes_locked_out = True  # AxesMiddleware answers with lockout_response
            logger.warning("Refused sign-in for %r from %r: locked out", username, address)
            return  # not counted: guessing during a lockout does not extend it
        if not hasattr(request, "signin_device"):
            self.refusal(request, credentials)
        logger.warning(
            "Failed sign-in for %r from %r (%s)",
            username,
            address,
            "known browser" if request.signin_device else "unknown browser",
        )
        lockout = record_failure(ADMIN, address, username=username, device=request.signin_device)
        if lockout is not None and lockout.kind != Lockout.Kind.DEVICE:
            request.axes_locked_out = True
            request.signin_lockout = lockout

    def user_logged_in(self, sender, request, user, **kwargs):
        if request is None:
            return
        forgive(ADMIN, username=user.get_username(), device=getattr(request, "signin_device", ""))
        if not has_second_factor(user):  # else once the code is right (two_factor.mark_verified)
            request.signin_remember_device = user

    def user_logged_out(self, sender, request, user, **kwargs):
        pass

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False):
        """
        What `manage.py axes_reset`, `axes_reset_ip` and `axes_reset_username` lift: an address's
        lockouts (as counted: an IPv6 address stands for its /64), a username's, or both.
        """
        by_username = Q(username=username_key(None, {"username": username})) if username else None
        by_address = None
        if ip_address:
            address = normalised_address(ip_address)
            by_address = Q(address=address, kind__in=[Lockout.Kind.ADDRESS, Lockout.Kind.RESTRICTION])
        conditions = [condition for condition in (by_username, by_address) if condition is not None]
        match = Q()
        for condition in conditions:
            match = (match | condition) if ip_or_username else (match & condition)
        count = 0
        for lockout in Lockout.objects.filter(match):
            lockout.lift()
            count += 1
        return count
