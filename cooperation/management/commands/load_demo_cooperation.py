from django.core.management.base import BaseCommand

from cooperation.demo import load_demo_cooperation


class Command(BaseCommand):
    help = (
        "Create the demo cooperation records (the agreements, partners and activities the demo "
        "article reports), in Vietnamese and English, linked to the article. Run after "
        "load_demo_content; safe to run again."
    )

    def handle(self, *args, **options):
        messages = []
        load_demo_cooperation(log=messages.append)
        for message in messages:
            self.stdout.write(message)
        if not messages:
            self.stdout.write("The demo cooperation records are already loaded; nothing changed.")
