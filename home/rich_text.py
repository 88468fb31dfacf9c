"""
Rich-text links that never point at hidden content.

Wagtail renders a link to a page from the stored page id at display time. A link to a page that
readers may not see (a draft, an expired or private page) keeps its text but loses its address,
exactly as Wagtail does for a deleted page; the same goes for documents in restricted
collections.
"""

from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.models import Page
from wagtail.rich_text.pages import PageLinkHandler

from .visibility import restricted_collection_ids, visible


class VisiblePageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        ids = [attrs.get("id") for attrs in attrs_list]
        pages = visible(Page.objects.filter(id__in=[i for i in ids if str(i).isdigit()]))
        pages_by_id = {str(page.pk): page for page in pages.defer_streamfields().specific()}
        return [pages_by_id.get(str(id_)) for id_ in ids]


class VisibleDocumentLinkHandler(DocumentLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        documents = super().get_many(attrs_list)
        restricted = restricted_collection_ids() if any(documents) else set()
        return [
            document if document and document.collection_id not in restricted else None
            for document in documents
        ]
