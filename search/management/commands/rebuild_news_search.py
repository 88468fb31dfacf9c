from django.core.management.base import BaseCommand

from search.index import rebuild


class Command(BaseCommand):
    help = "Index every live news page again in the news search index (search/index.py)."

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild()} live news pages.")
