import time

from django.core.management.base import BaseCommand

from webhooks.delivery import deliver_due
from webhooks.models import CachePurge, WebhookDelivery
from webhooks.purging import purges

BUDGET_SECONDS = 50  # cron runs it every minute: one run ends before the next starts


class Command(BaseCommand):
    help = "Send the CDN purges and webhook deliveries that are due (run it every minute, e.g. from cron)."

    def handle(self, *args, **options):
        started = time.monotonic()
        # Purges first: a reader may be shown a stale page until they go out.
        attempted = purges.deliver_due(budget_seconds=BUDGET_SECONDS / 2)
        purged = sum(1 for purge in attempted if purge.status == CachePurge.Status.PURGED)
        pending = CachePurge.objects.filter(status=CachePurge.Status.PENDING).count()
        self.stdout.write(f"{len(attempted)} purges attempted, {purged} done, {pending} still pending.")
        attempted = deliver_due(budget_seconds=BUDGET_SECONDS - (time.monotonic() - started))
        delivered = sum(1 for delivery in attempted if delivery.status == WebhookDelivery.Status.DELIVERED)
        pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).count()
        self.stdout.write(f"{len(attempted)} attempted, {delivered} delivered, {pending} still pending.")
