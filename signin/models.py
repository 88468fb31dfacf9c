from django.db import models
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


class PasswordFailure(models.Model):
    """
    One wrong password: at the admin's sign-in (`target` "admin") or at a page's or a collection's
    password restriction. Kept for `LOGIN_LOCKOUT_MINUTES`, long enough to count what a lockout
    rule counts (signin/lockout.py); never the password itself.
    """

    target = models.CharField(max_length=64)
    username = models.TextField(blank=True)  # as counted: as the sign-in form cleans it
    address = models.CharField(max_length=64)  # the client's address; an IPv6 client's /64
    device = models.CharField(max_length=64, blank=True)  # a trusted browser's nonce, else ""
    attempted_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["target", "username", "attempted_at"], name="signin_failure_username"),
            models.Index(fields=["target", "address", "attempted_at"], name="signin_failure_address"),
            models.Index(fields=["device", "attempted_at"], name="signin_failure_device"),
        ]

    def __str__(self):
        return f"{self.target}: {self.username or '-'} @ {self.address}"


class Lockout(models.Model):
    """
    Attempts refused until `until`, whatever the password: for one username from browsers it has
    not signed in from, for one trusted browser, for one address (or IPv6 /64) that tried too many
    usernames, or for one address at one password-protected page or collection. Deleting it lifts
    it (Settings → Sign-in lockouts).
    """

    class Kind(models.TextChoices):
        USERNAME = "username", _("Account, from unknown browsers")
        DEVICE = "device", _("Account, on one known browser")
        ADDRESS = "address", _("Address that tried many accounts")
        RESTRICTION = "restriction", _("Address at a password-protected page or collection")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.TextField()
    username = models.TextField(_("username"), blank=True)
    address = models.CharField(_("address"), max_length=64, blank=True)
    failures = models.PositiveIntegerField(_("failed attempts"))
    locked_at = models.DateTimeField(_("locked at"))
    until = models.DateTimeField(_("until"))

    class Meta:
        verbose_name = _("sign-in lockout")
        verbose_name_plural = _("sign-in lockouts")
        indexes = [models.Index(fields=["kind", "key", "until"], name="signin_lockout_key")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.username or self.address}"

    def lift(self):
        """Ends this lockout now, with the failures that made it: the next typo does not lock again."""
        failures = PasswordFailure.objects.all()
        if self.kind == self.Kind.USERNAME:
            failures = failures.filter(target="admin", username=self.key, device="")
        elif self.kind == self.Kind.DEVICE:
            failures = failures.filter(device=self.key)
        elif self.kind == self.Kind.ADDRESS:
            failures = failures.filter(target="admin", address=self.key, device="")
        else:
            target, _, address = self.key.rpartition("@")
            failures = failures.filter(target=target, address=address)
        failures.delete()
        self.delete()
