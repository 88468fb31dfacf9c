from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class AuthenticatorApp(TOTPDevice):
    """
    django-otp's TOTP device under the name people see in the admin (its own, "TOTP device", is a
    plain English string no catalog can translate). Same table: a proxy.
    """

    class Meta:
        proxy = True
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")
