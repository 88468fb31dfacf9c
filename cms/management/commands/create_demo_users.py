import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from wagtail.users.models import UserProfile

from editorial.roles import EDITORS, REPORTERS

# DEMO_LOGINS_FILE: elsewhere, e.g. beside a throwaway database (`make run` started by a test must
# not replace the logins of the developer's own database).
LOGINS_FILE = Path(os.environ.get("DEMO_LOGINS_FILE") or Path(settings.BASE_DIR) / ".local-logins")
LEGACY_ADMIN_FILE = Path(settings.BASE_DIR) / ".local-admin"  # the admin's password, before the roles

# One user per role, so that a newcomer can try the review workflow at once.
DEMO_USERS = [
    ("admin", "Quản trị viên", None),
    ("phongvien", "Phóng viên", REPORTERS),
    ("bientapvien", "Biên tập viên", EDITORS),
]


class Command(BaseCommand):
    help = (
        "Development only: create, once, one user per role (administrator, reporter, editor) with "
        "random passwords and print their logins. The passwords are kept in .local-logins "
        "(git-ignored; DEMO_LOGINS_FILE to keep them elsewhere) so they can be shown again."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create users outside development settings (DEBUG is off).")
        saved = self.saved_passwords()
        for username, role, group in DEMO_USERS:
            user, password = self.user_for(username, group, saved)
            if password:
                saved[username] = password
                self.stdout.write(f"{role} login: {username} / {password}")
            else:
                self.stdout.write(
                    f"{role} login: {username} (password changed since it was created; not shown)"
                )
        LOGINS_FILE.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
        LOGINS_FILE.chmod(0o600)

    def saved_passwords(self):
        if LOGINS_FILE.exists():
            return json.loads(LOGINS_FILE.read_text(encoding="utf-8"))
        if LEGACY_ADMIN_FILE.exists():
            return {"admin": LEGACY_ADMIN_FILE.read_text(encoding="utf-8").strip()}
        return {}

    def user_for(self, username, group, saved):
        """The demo user, created when missing; with its password when it is still the saved one."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            if group is None:
                user = User.objects.create_superuser(username=username, email="", password=password)
            else:
                user = User.objects.create_user(
                    username=username, email=f"{username}@localhost", password=password
                )
                user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"Created the demo user “{username}”.")
        elif saved.get(username) and user.check_password(saved[username]):
            password = saved[username]
        else:
            password = None
        profile = UserProfile.get_for_user(user)
        if not profile.preferred_language:
            profile.preferred_language = settings.LANGUAGE_CODE
            profile.save(update_fields=["preferred_language"])
        return user, password
