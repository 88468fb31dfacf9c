"""
Rich-text links that never point at hidden content.

Wagtail renders a link to a page from the stored page id at display time. A link to a page that
readers may not see (a draft, an expired or private page) keeps its text but loses its address,
exactly as Wagtail does for a deleted page; the same goes for documents in restricted
collections.
"""

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.rich_text.pages import PageLinkHandler

from .prefetch import database_id, ensure
from .visibility import media_is_visible


def lookup(kind, attrs_list):
    """The objects the links point at, from the request's prefetched ones or one query."""
    ids = [attrs.get("id") for attrs in attrs_list]
    found = ensure(kind, ids)
    return [found.get(database_id(pk)) for pk in ids]


class VisiblePageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return lookup("page", attrs_list)  # home.prefetch fetches visible pages only


class VisibleDocumentLinkHandler(DocumentLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return [doc if media_is_visible(doc) else None for doc in lookup("document", attrs_list)]
