"""Sign-in lockouts in the admin (Settings → Sign-in lockouts): seen, and cleared by deleting them."""

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy


class LockoutPermissionPolicy(ModelPermissionPolicy):
    """Attempts are recorded by the sign-in, never written by hand: they can be seen and deleted."""

    def user_has_permission(self, user, action):
        return action in ("view", "delete") and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


def is_locked_out(attempt):
    """Whether this attempt's failures keep its username or address out now."""
    ends = attempt.attempt_time + settings.AXES_COOLOFF_TIME
    return attempt.failures_since_start >= settings.AXES_FAILURE_LIMIT and ends > timezone.now()


def lockout_state(attempt):
    return _("Locked out") if is_locked_out(attempt) else _("Counting")


class LockoutViewSet(ModelViewSet):
    model = AccessAttempt
    icon = "lock"
    menu_label = _("Sign-in lockouts")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        Column("username", label=_("Username")),
        Column("ip_address", label=_("Address")),
        Column("failures_since_start", label=_("Failed sign-ins")),
        Column("state", label=_("State"), accessor=lockout_state),
        DateColumn("attempt_time", label=_("Last failure")),
    ]
    search_fields = ["username", "ip_address"]
    ordering = ["-attempt_time"]
    inspect_view_fields = [
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
        "attempt_time",
    ]
    # Adding or editing is never offered; ModelViewSet still wants a form definition.
    form_fields = ["username"]


lockout_viewset = LockoutViewSet("signin_lockouts")
