from django.http import Http404
from wagtail import hooks

from .rich_text import VisibleDocumentLinkHandler, VisibleImageEmbedHandler, VisiblePageLinkHandler
from .visibility import is_visible_now


@hooks.register("register_rich_text_features", order=100)
def hide_links_to_hidden_content(features):
    # order=100: after Wagtail's own handlers for the same link and embed types, which these replace.
    features.register_link_type(VisiblePageLinkHandler)
    features.register_link_type(VisibleDocumentLinkHandler)
    features.register_embed_type(VisibleImageEmbedHandler)


@hooks.register("before_serve_page")
def hide_expired_pages(page, request, serve_args, serve_kwargs):
    """
    The CMS's own page routes follow the same rule as GraphQL: a page is gone the second it
    expires. (Wagtail itself waits for `publish_scheduled` to mark it expired.)
    """
    if not is_visible_now(page):
        raise Http404
