"""
The delivery log in the admin (Settings → Webhooks): read-only, filterable, with a retry button;
beside it, the CDN purges (Settings → CDN purges): read-only, filterable.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem
from wagtail.permission_policies import ModelPermissionPolicy

from .delivery import retry
from .models import CachePurge, WebhookDelivery


class DeliveryLogPermissionPolicy(ModelPermissionPolicy):
    """Deliveries are a log: they can be looked at (and retried), never added, edited or deleted."""

    def user_has_permission(self, user, action):
        if action != "view":
            return False
        return any(
            super(DeliveryLogPermissionPolicy, self).user_has_permission(user, a) for a in ("view", "change")
        )

    def user_has_any_permission(self, user, actions):
        return "view" in actions and self.user_has_permission(user, "view")


def can_retry(user):
    return user.has_perm("webhooks.change_webhookdelivery")


class DeliveryIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != WebhookDelivery.Status.DELIVERED and can_retry(self.request.user):
            buttons.append(
                MenuItem(
                    _("Retry now"),
                    url=reverse("webhook_deliveries:retry", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        return buttons


class RetryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "webhooks/confirm_retry.html"
    page_title = _("Retry webhook delivery")
    header_icon = "resubmit"

    def dispatch(self, request, pk):
        if not can_retry(request.user):
            raise PermissionDenied
        self.delivery = get_object_or_404(WebhookDelivery, pk=pk)
        if self.delivery.status == WebhookDelivery.Status.DELIVERED:
            return self.already_delivered(request)
        return super().dispatch(request)

    def already_delivered(self, request):
        messages.error(request, _("This event was delivered already: it is not sent again."))
        return redirect("webhook_deliveries:index")

    def get_page_subtitle(self):
        return str(self.delivery)

    def get_context_data(self, **kwargs):
        return super().get_context_data(delivery=self.delivery, **kwargs)

    def post(self, request):
        if not retry(self.delivery):  # delivered while the operator was deciding
            return self.already_delivered(request)
        messages.success(request, _("The delivery will be attempted again now."))
        return redirect("webhook_deliveries:index")


class WebhookDeliveryViewSet(ModelViewSet):
    model = WebhookDelivery
    icon = "resubmit"
    menu_label = _("Webhooks")
    add_to_settings_menu = True
    index_view_class = DeliveryIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["event", "object_type", "object_id", "target_url", "status", "attempts",
                    "response_status", "created_at", "delivered_at"]  # fmt: skip
    list_filter = ["status", "event", "object_type"]
    search_fields = ["target_url", "body", "last_error"]
    inspect_view_fields = ["uuid", "event", "object_type", "object_id", "target_url", "status", "attempts",
                           "next_attempt_at", "response_status", "last_error", "created_at", "delivered_at",
                           "body"]  # fmt: skip
    # Editing is never offered; ModelViewSet still wants a form definition.
    form_fields = ["event"]

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("retry/<int:pk>/", RetryView.as_view(), name="retry")]


webhook_delivery_viewset = WebhookDeliveryViewSet("webhook_deliveries")


class CachePurgeViewSet(ModelViewSet):
    """Each change's tags purged from each CDN (webhooks.purging): a log, like the deliveries."""

    model = CachePurge
    icon = "rotate"
    menu_label = _("CDN purges")
    add_to_settings_menu = True
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["backend", "summary", "status", "attempts", "created_at", "purged_at"]
    list_filter = ["status", "backend"]
    search_fields = ["tags", "last_error"]
    inspect_view_fields = ["backend", "status", "attempts", "failures", "repeat_due", "next_attempt_at",
                           "last_error", "created_at", "purged_at", "tags", "remaining"]  # fmt: skip
    form_fields = ["backend"]


cache_purge_viewset = CachePurgeViewSet("cache_purges")
