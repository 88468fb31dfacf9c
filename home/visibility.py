"""
What anonymous readers may see. Every public surface (GraphQL root fields, relations,
counts) filters pages through here, so there is one definition of "visible".
"""

from django.utils import timezone


def visible(queryset):
    """Pages that are live, not expired, and not under any view restriction."""
    return queryset.live().public().exclude(expire_at__lte=timezone.now())


def is_visible(page):
    """The same rule for one page already in memory (one query for its restrictions)."""
    if not page.live or (page.expire_at and page.expire_at <= timezone.now()):
        return False
    return not page.get_view_restrictions().exists()
