"""
Sign-in records in the admin, under Settings: lockouts (seen, and lifted by deleting them) and
two-factor devices (seen, and reset by deleting them when someone has lost their phone).
"""

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import AuthenticatorApp, Lockout
from .two_factor import reset_lost_second_factor


class SeeAndClearPolicy(ModelPermissionPolicy):
    """Records the sign-in writes, never written by hand: they can be seen and deleted."""

    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def lockout_state(lockout):
    return _("Locked out") if lockout.until > timezone.now() else _("Ended")


class LiftLockoutView(DeleteView):
    """Deleting a lockout lifts it with the failures that made it (Lockout.lift)."""

    def delete_action(self):
        self.object.lift()


class LockoutViewSet(ModelViewSet):
    """Lockouts, current and recently ended; deleting a current one lifts it at once."""

    model = Lockout
    delete_view_class = LiftLockoutView
    icon = "lock"
    menu_label = _("Sign-in lockouts")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("username", label=_("Username")),
        Column("address", label=_("Address")),
        Column("failures", label=_("Failed attempts")),
        Column("state", label=_("State"), accessor=lockout_state),
        DateColumn("until", label=_("Until")),
    ]
    list_filter = ["kind"]
    search_fields = ["username", "address"]
    ordering = ["-until"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(page_title=_("Sign-in lockouts"), **kwargs)

    inspect_view_fields = ["kind", "username", "address", "failures", "locked_at", "until"]
    # Adding or editing is never offered; ModelViewSet still wants a form definition.
    form_fields = ["username"]


lockout_viewset = LockoutViewSet("signin_lockouts")


class ResetTwoFactorView(DeleteView):
    """
    Resets a lost phone: the app, the recovery codes and the password go (see
    two_factor.reset_lost_second_factor). Only an administrator resets an administrator's.
    """

    def get_object(self, queryset=None):
        device = super().get_object(queryset)
        if device.user.is_superuser and not self.request.user.is_superuser:
            raise PermissionDenied
        return device

    @property
    def confirmation_message(self):
        return _(
            "Turn off two-factor sign-in for %(user)s? Their authenticator app and recovery codes are "
            "removed, and their password too: they set a new one with “Forgotten password?” (or an "
            "administrator sets it), then a new app."
        ) % {"user": self.object.user}

    def get_success_message(self):
        return _("Two-factor sign-in turned off for %(user)s; they need a new password.") % {
            "user": self.object.user
        }

    def delete_action(self):
        reset_lost_second_factor(self.object.user)


def two_factor_state(device):
    return _("On") if device.confirmed else _("Being set up")


class TwoFactorDeviceViewSet(ModelViewSet):
    """Who has two-factor sign-in; deleting one turns it off for that user (recovery codes too)."""

    model = AuthenticatorApp
    icon = "key"
    menu_label = _("Two-factor sign-in")
    add_to_settings_menu = True
    inspect_view_enabled = False
    copy_view_enabled = False
    list_display = [
        Column("user", label=_("User")),
        Column("state", label=_("State"), accessor=two_factor_state),
        DateColumn("created_at", label=_("Set up on")),
        DateColumn("last_used_at", label=_("Last used")),
    ]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    ordering = ["user__username"]
    form_fields = ["name"]
    delete_view_class = ResetTwoFactorView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(page_title=_("Two-factor sign-in"), **kwargs)

    def get_permissions_to_register(self):
        return Permission.objects.none()  # administrators only: no group can be given a way in


two_factor_viewset = TwoFactorDeviceViewSet("signin_two_factor_devices")
