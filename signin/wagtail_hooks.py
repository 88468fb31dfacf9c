from axes.models import AccessAttempt
from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .views import LockoutPermissionPolicy, lockout_viewset

register_permission_policy(AccessAttempt, LockoutPermissionPolicy(AccessAttempt))


@hooks.register("register_admin_viewset")
def register_lockouts():
    return lockout_viewset


@hooks.register("register_permissions")
def lockout_permissions():
    """Administrators may let a group see and clear lockouts (Settings → Groups)."""
    return Permission.objects.filter(
        content_type__app_label="axes", codename__in=["view_accessattempt", "delete_accessattempt"]
    )
