from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import WebhookDelivery
from .views import DeliveryLogPermissionPolicy, webhook_delivery_viewset

register_permission_policy(WebhookDelivery, DeliveryLogPermissionPolicy(WebhookDelivery))


@hooks.register("register_admin_viewset")
def register_webhook_deliveries():
    return webhook_delivery_viewset
