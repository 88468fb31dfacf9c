"""
Two-factor sign-in for the admin (django-otp): an authenticator app (TOTP) and recovery codes.

A user signs in with a password as before; an account with an authenticator app is then asked
for a code from it (or a recovery code) before any admin page opens (signin/middleware.py).
Optional per user (Account → More actions → Two-factor sign-in); with `TWO_FACTOR_REQUIRED`,
administrators and everyone who can publish pages must set it up before they can go on.

django-otp keeps the devices: a `TOTPDevice` ("authenticator app", confirmed once the user typed a
code from it) and a `StaticDevice` holding the single-use recovery codes. Both throttle guesses
(each wrong code doubles the wait before the next one is checked) and a TOTP code cannot be used
twice.
"""

import math
import re
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.permission_policies.pages import PagePermissionPolicy

RECOVERY_CODE_COUNT = 10
PENDING_DEVICE_SESSION_KEY = "signin_pending_app_device"

# Besides publishing, what makes an account worth taking over: managing users and groups (making
# oneself a superuser) and the sign-in records (removing someone's app, a lockout).
POWERFUL_PERMISSIONS = [
    "auth.add_user",
    "auth.change_user",
    "auth.delete_user",
    "auth.add_group",
    "auth.change_group",
    "auth.delete_group",
    "signin.delete_authenticatorapp",
    "signin.delete_lockout",
]
APP_DEVICE_NAME = _("Authenticator app")
RECOVERY_DEVICE_NAME = _("Recovery codes")


def is_required_for(user):
    """
    Whether this user may not use the admin without a second factor (`TWO_FACTOR_REQUIRED`):
    administrators, whoever can publish, and whoever can manage users, groups or sign-ins.
    """
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return (
        user.is_superuser
        or PagePermissionPolicy().user_has_permission(user, "publish")
        or any(user.has_perm(permission) for permission in POWERFUL_PERMISSIONS)
    )


def app_device(user):
    """The user's confirmed authenticator app, or None."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_app_device(request):
    """
    The authenticator app this browser session is setting up. Its secret is shown to this session
    only: another session (someone else with the password) gets a new secret, which replaces
    this one, so a secret seen elsewhere can never be the one the user confirms.
    """
    user = request.user
    device = TOTPDevice.objects.filter(
        pk=request.session.get(PENDING_DEVICE_SESSION_KEY), user=user, confirmed=False
    ).first()
    if device is None:
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=user, name=str(APP_DEVICE_NAME), confirmed=False)
        request.session[PENDING_DEVICE_SESSION_KEY] = device.pk
    return device


def mark_verified(request, device):
    """This session passed the second step (with a new session id: an old cookie is worth nothing)."""
    otp_login(request, device)
    request.session.cycle_key()
    request.signin_remember_device = request.user  # the whole sign-in is done (signin/devices.py)


def normalise_code(code):
    """What a user typed, as the devices compare it: no spaces or dashes, lower case."""
    return re.sub(r"[\s-]+", "", code or "").casefold()


@transaction.atomic
def confirm_app_device(request, device, code):
    """
    Confirms the app being set up when `code` comes from it: the account then has two factors,
    this session counts as verified and fresh recovery codes are returned (shown once).
    Returns None when the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().filter(pk=device.pk, confirmed=False).first()
    if device is None or not device.verify_token(normalise_code(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    request.session.pop(PENDING_DEVICE_SESSION_KEY, None)
    codes = replace_recovery_codes(device.user)
    mark_verified(request, device)
    return codes


@transaction.atomic
def replace_recovery_codes(user):
    """
    New single-use recovery codes for the user; the old ones stop working. The device stays (a
    session verified by a recovery code stays verified).
    """
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=str(RECOVERY_DEVICE_NAME), confirmed=True)
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def verify(request, code):
    """
    Checks a code from the user's app or one of their recovery codes (used up by this). On success
    the session counts as verified and the device is returned; otherwise None, with the time the
    user must wait when wrong codes have been throttled (`retry_at`, or None).
    """
    code = normalise_code(code)
    # A six-digit code is the app's, anything else a recovery code: a code is never tried on a
    # device it cannot be for (each wrong try lengthens that device's throttling).
    kind = TOTPDevice if re.fullmatch(r"\d{6}", code) else StaticDevice
    retry_at = None
    with transaction.atomic():
        for device in kind.objects.devices_for_user(request.user, confirmed=True).select_for_update():
            allowed, details = device.verify_is_allowed()
            if not allowed:
                retry_at = max(filter(None, [retry_at, (details or {}).get("locked_until")]), default=None)
                continue
            if device.verify_token(code):
                mark_verified(request, device)
                return device, None
    return None, retry_at


def throttled_message(retry_at):
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds()))
    return ngettext(
        "Too many wrong codes: wait %(seconds)d second before trying again.",
        "Too many wrong codes: wait %(seconds)d seconds before trying again.",
        seconds,
    ) % {"seconds": seconds}


@transaction.atomic
def remove_second_factor(user):
    """Removes the user's authenticator app and recovery codes (turning two-factor sign-in off)."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def reset_lost_second_factor(user):
    """
    For someone who lost their phone: removes the app and recovery codes, and the password too
    (unusable: a new one is set through "Forgotten password?" or by an administrator). Whoever
    knew the old password must not be the one to set up the next app.
    """
    remove_second_factor(user)
    user.set_unusable_password()
    user.save(update_fields=["password"])


def secret_for_typing(device):
    """The app's secret as an app asks for it when typed by hand: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device):
    """The setup QR code as inline SVG (no image file, no third-party service sees the secret)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")
