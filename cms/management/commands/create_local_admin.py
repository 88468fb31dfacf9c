import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from wagtail.users.models import UserProfile

LOGIN_FILE = Path(settings.BASE_DIR) / ".local-admin"


class Command(BaseCommand):
    help = (
        "Development only: create a local superuser with a random password (once) and print "
        "its login. The password is kept in .local-admin (git-ignored) so it can be shown again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create users outside development settings (DEBUG is off).")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        saved = LOGIN_FILE.read_text(encoding="utf-8").strip() if LOGIN_FILE.exists() else ""
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_superuser(username=username, email="", password=password)
            LOGIN_FILE.write_text(password + "\n", encoding="utf-8")
            LOGIN_FILE.chmod(0o600)
            self.stdout.write(f"Created the local admin user “{username}”.")
        elif saved and user.check_password(saved):
            password = saved
        else:
            password = None
        profile = UserProfile.get_for_user(user)
        if not profile.preferred_language:
            profile.preferred_language = settings.LANGUAGE_CODE
            profile.save(update_fields=["preferred_language"])
        if password:
            self.stdout.write(f"Admin login: {username} / {password}")
        else:
            self.stdout.write(f"Admin login: {username} (password changed since it was created; not shown)")
