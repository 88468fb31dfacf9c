from wagtail import hooks

from .rich_text import VisibleDocumentLinkHandler, VisiblePageLinkHandler


@hooks.register("register_rich_text_features", order=100)
def hide_links_to_hidden_content(features):
    # order=100: after Wagtail's own handlers for the same link types, which these replace.
    features.register_link_type(VisiblePageLinkHandler)
    features.register_link_type(VisibleDocumentLinkHandler)
