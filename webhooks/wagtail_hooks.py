from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import CachePurge, WebhookDelivery
from .signals import media_moved
from .views import DeliveryLogPermissionPolicy, cache_purge_viewset, webhook_delivery_viewset

register_permission_policy(WebhookDelivery, DeliveryLogPermissionPolicy(WebhookDelivery))
register_permission_policy(CachePurge, DeliveryLogPermissionPolicy(CachePurge))


@hooks.register("register_admin_viewset")
def register_webhook_deliveries():
    return webhook_delivery_viewset


@hooks.register("register_admin_viewset")
def register_cache_purges():
    return cache_purge_viewset


@hooks.register("before_bulk_action")
def remember_collections_before_a_bulk_move(request, action_type, objects, action):
    if action_type == "add_to_collection":
        action.webhooks_collections_before = {obj.pk: obj.collection_id for obj in objects}


@hooks.register("after_bulk_action")
def report_pages_after_a_bulk_move(request, action_type, objects, action):
    """The admin's "Add to collection" moves images or documents with one UPDATE, no signals."""
    before = getattr(action, "webhooks_collections_before", None)
    if action_type == "add_to_collection" and before:
        media_moved(action.model, before)
