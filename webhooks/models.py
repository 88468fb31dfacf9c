import json
import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WebhookDelivery(models.Model):
    """
    One event for one target URL, written in the same transaction as the change it reports
    (so a delivery exists exactly when the change was committed), then sent, retried with backoff
    until the target answers 2xx or the attempts run out. The admin lists them (Settings → Webhooks).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("event"), max_length=40)
    object_type = models.CharField(_("type"), max_length=60)
    object_id = models.PositiveBigIntegerField(_("object id"))
    target_url = models.URLField(_("target URL"), max_length=500)
    body = models.TextField(_("body"), help_text=_("The JSON sent, byte for byte (as UTF-8)."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]

    def __str__(self):
        return f"{self.event} {self.object_type} #{self.object_id} → {self.target_url}"

    @property
    def payload(self):
        return json.loads(self.body)


class CachePurge(models.Model):
    """
    The tags one change purges from one CDN (a backend of CACHE_PURGE_BACKENDS, webhooks.purging),
    written in the change's transaction like a webhook delivery, then sent in as few requests as
    the CDN allows, retried with the same backoff, and sent once more CACHE_PURGE_REPEAT_SECONDS
    after it first went through (for answers computed from the old content while it went out).
    The admin lists them beside the webhook deliveries (Settings → CDN purges).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        PURGED = "purged", _("Purged")
        FAILED = "failed", _("Failed")

    backend = models.CharField(_("CDN"), max_length=60, help_text=_("Its name in CACHE_PURGE_BACKENDS."))
    tags = models.TextField(_("tags"), help_text=_("The tags purged, separated by spaces."))
    remaining = models.TextField(
        _("tags not purged yet"),
        blank=True,
        help_text=_("After an attempt that purged only some of the tags: those left for the next one."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    failures = models.PositiveSmallIntegerField(_("failed attempts in a row"), default=0)
    repeat_due = models.BooleanField(_("repeat due"), default=False)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    purged_at = models.DateTimeField(
        _("purged at"), null=True, blank=True, help_text=_("When the CDN first accepted the purge.")
    )

    class Meta:
        verbose_name = _("CDN purge")
        verbose_name_plural = _("CDN purges")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="cache_purge_due")]

    def __str__(self):
        return f"{self.backend}: {self.summary()}"

    @property
    def tag_list(self):
        return self.tags.split()

    def summary(self, shown=5):
        """The first tags and how many more: a purge may carry thousands."""
        tags = self.tag_list
        more = len(tags) - shown
        return " ".join(tags[:shown]) + (f" (+{more})" if more > 0 else "")

    summary.short_description = _("tags")
