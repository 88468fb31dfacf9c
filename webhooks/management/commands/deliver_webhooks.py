from django.core.management.base import BaseCommand

from webhooks.delivery import deliver_due
from webhooks.models import WebhookDelivery


class Command(BaseCommand):
    help = "Send the webhook deliveries that are due (run it every minute, e.g. from cron)."

    def handle(self, *args, **options):
        attempted = deliver_due()
        delivered = sum(1 for delivery in attempted if delivery.status == WebhookDelivery.Status.DELIVERED)
        pending = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).count()
        self.stdout.write(f"{len(attempted)} attempted, {delivered} delivered, {pending} still pending.")
