"""
What anonymous readers may see. Every public surface (GraphQL root fields, relations, counts,
images, documents, rich-text links) goes through here, so there is one definition of "visible".
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Site


def visible(queryset):
    """Pages that are live, not expired, and not under any view restriction (nor below one)."""
    return queryset.live().public().exclude(expire_at__lte=timezone.now())


def site_for(request):
    """The site a request is for (by host name), else the default site; None if there is none."""
    site = Site.find_for_request(request) if request is not None else None
    return site or Site.objects.filter(is_default_site=True).select_related("root_page").first()


def restricted_collection_ids(request=None):
    """Ids of collections under a view restriction, or below one (once per request)."""
    cached = getattr(request, "_restricted_collection_ids", None)
    if cached is not None:
        return cached
    paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    ids = set()
    if paths:
        under_a_restriction = Q()
        for path in paths:
            under_a_restriction |= Q(path__startswith=path)
        ids = set(Collection.objects.filter(under_a_restriction).values_list("pk", flat=True))
    if request is not None:
        request._restricted_collection_ids = ids
    return ids


def media_is_visible(item, request=None):
    """Whether an image or document may be shown: it is not in a restricted collection."""
    return item is not None and item.collection_id not in restricted_collection_ids(request)
