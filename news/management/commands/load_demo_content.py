from django.core.management.base import BaseCommand

from news.demo import load_demo_content


class Command(BaseCommand):
    help = (
        "Create the home page, the news section, the eight cooperation sectors and the demo "
        "article. Safe to run again: existing content is left as it is."
    )

    def handle(self, *args, **options):
        messages = []
        load_demo_content(log=messages.append)
        for message in messages:
            self.stdout.write(message)
        if not messages:
            self.stdout.write("Demo content is already loaded; nothing changed.")
