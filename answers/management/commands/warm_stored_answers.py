"""
`manage.py warm_stored_answers`: store the answer of every live news page that has none
(answers.stored), so that no reader's request pays for building them — after a deploy that
changed what is stored, after a change that dropped every answer (a sector renamed), or on a
freshly restored or generated database. Reading a list stores its pages' answers anyway; this
reads every list of every site and language, 100 pages at a time, as a frontend would.
"""

from django.core.management.base import BaseCommand
from graphene_django.settings import graphene_settings
from graphql import parse
from wagtail.models import Site

from answers.models import StoredAnswer
from api.execution import SiteRequest, run_operation
from publishing.locales import content_languages

DOCUMENT = parse(
    "query ($page: Int!, $locale: String!) { newsPages(page: $page, perPage: 100, locale: $locale) "
    "{ items { id } pagination { totalPages } } }"
)


class Command(BaseCommand):
    help = "Store the answers of every live news page that has none (docs/performance.md#stored-answers)."

    def handle(self, *args, **options):
        schema = graphene_settings.SCHEMA.graphql_schema
        before = StoredAnswer.objects.count()
        for site in Site.objects.order_by("pk"):
            for code in content_languages():
                pages = self.store(schema, site, code)
                if options["verbosity"] >= 2:
                    self.stdout.write(f"{site.hostname} ({code}): {pages} list pages read")
        self.stdout.write(f"Stored {StoredAnswer.objects.count() - before} answers.")

    def store(self, schema, site, code):
        page, total = 1, 1
        while page <= total:
            # A request for the site's own host name, as a frontend of that site would send.
            result = run_operation(schema, DOCUMENT, SiteRequest(site), {"page": page, "locale": code})
            if result.errors:
                raise result.errors[0]
            total = result.data["newsPages"]["pagination"]["totalPages"]
            page += 1
        return total
