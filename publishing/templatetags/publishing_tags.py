from django import template

from ..visibility import media_is_visible

register = template.Library()


@register.filter
def visible_media(item):
    """
    The image or document if readers may see it, else None: the CMS's own page routes follow the
    same rule as GraphQL, and a template that tests the result makes no rendition of a hidden
    image (renditions are public files).
    """
    return item if media_is_visible(item) else None
