from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class SigninConfig(AppConfig):
    name = "signin"
    label = "signin"
    verbose_name = _("Sign-in")

    def ready(self):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from .two_factor import forget_recovery_codes

        post_delete.connect(
            forget_recovery_codes, sender=TOTPDevice, dispatch_uid="signin_forget_recovery_codes"
        )
