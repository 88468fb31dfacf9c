from django.core.management.base import BaseCommand

from publishing.preview import delete_expired_previews


class Command(BaseCommand):
    help = (
        "Delete stored page previews whose token has expired (PREVIEW_TOKEN_MAX_AGE). Previews "
        "also clean up after themselves now and then; run this from cron to keep the table small."
    )

    def handle(self, *args, **options):
        deleted = delete_expired_previews()
        self.stdout.write(f"Deleted {deleted} expired preview(s).")
