"""Turns two-factor sign-in off for a user who lost their phone and recovery codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from signin.two_factor import has_second_factor, reset_lost_second_factor


class Command(BaseCommand):
    help = (
        "For a user who lost their phone and recovery codes: remove their authenticator app, "
        "recovery codes and password (then set a new password with `manage.py changepassword`; "
        "they set up a new app when they sign in). For the administrator who cannot reach "
        "Settings → Two-factor sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        if not has_second_factor(user):
            raise CommandError(f"{username!r} has no two-factor sign-in: nothing to reset.")
        reset_lost_second_factor(user)
        self.stdout.write(
            f"Two-factor sign-in and the password removed for {username!r}: "
            f"set a new password with `manage.py changepassword {username}`."
        )
