from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from . import two_factor_views
from .models import AuthenticatorApp, Lockout
from .views import SeeAndClearPolicy, lockout_viewset, two_factor_viewset

register_permission_policy(Lockout, SeeAndClearPolicy(Lockout))
register_permission_policy(AuthenticatorApp, SeeAndClearPolicy(AuthenticatorApp))


@hooks.register("register_admin_viewset")
def register_lockouts():
    return lockout_viewset


@hooks.register("register_admin_viewset")
def register_two_factor_devices():
    return two_factor_viewset


@hooks.register("register_permissions")
def sign_in_permissions():
    """
    Administrators may let a group see and lift lockouts (Settings → Groups). Resetting someone's
    two-factor sign-in stays with administrators: it is a way into their account.
    """
    return Permission.objects.filter(
        content_type__app_label="signin", codename__in=["view_lockout", "delete_lockout"]
    )


@hooks.register("register_admin_urls")
def two_factor_urls():
    return [
        path("two-factor/", two_factor_views.overview, name="signin_two_factor"),
        path("two-factor/verify/", two_factor_views.verify, name="signin_two_factor_verify"),
        path("two-factor/setup/", two_factor_views.setup, name="signin_two_factor_setup"),
        path(
            "two-factor/recovery-codes/",
            two_factor_views.new_recovery_codes,
            name="signin_two_factor_recovery_codes",
        ),
        path("two-factor/turn-off/", two_factor_views.disable, name="signin_two_factor_disable"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("signin_two_factor"),
        "label": _("Two-factor sign-in"),
        "help_text": _("A code from an app on your phone after your password."),
    }
