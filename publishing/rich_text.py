"""
Rich-text links that never point at hidden content, and stored values with nothing hidden in them.

Wagtail renders a link to a page from the stored page id at display time. A link to a page that
readers may not see (a draft, an expired or private page) keeps its text but loses its address,
exactly as Wagtail does for a deleted page; the same goes for documents in restricted
collections. An embedded image from a restricted collection renders as nothing at all: no
address, no alt text, and no rendition made (renditions are public files). The admin's editor
reads rich text through its own converters, not these handlers: editors still see their images.

A block's stored form (GraphQL's `rawValue`) follows the same rules: a rich-text link to hidden
content keeps its text and loses its reference (`<a linktype="page" id="6">` becomes `<a>`), an
embedded image from a restricted collection is dropped, and a chooser pointing at a hidden page,
image or document holds null — so no id of hidden content is ever handed out.
"""

from django.utils.html import escape
from wagtail import blocks
from wagtail.documents.rich_text import DocumentLinkHandler
from wagtail.images.formats import get_image_format
from wagtail.images.rich_text import ImageEmbedHandler
from wagtail.rich_text.pages import PageLinkHandler

from .prefetch import REFERENCE_ATTRIBUTE, REFERENCE_TAG, chooser_kind, database_id, ensure
from .visibility import media_is_visible


def lookup(kind, attrs_list):
    """The objects the links point at, from the request's prefetched ones or one query."""
    ids = [attrs.get("id") for attrs in attrs_list]
    found = ensure(kind, ids)
    return [found.get(database_id(pk)) for pk in ids]


class VisiblePageLinkHandler(PageLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return lookup("page", attrs_list)  # publishing.prefetch fetches visible pages only

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        """
        The linked page's own address. (Wagtail's handler links the page's translation in the
        request's active language, `page.localized`: a query per link, and a translation that
        may be expired or restricted.)
        """
        return [f'<a href="{escape(page.url)}">' if page else "<a>" for page in cls.get_many(attrs_list)]


class VisibleDocumentLinkHandler(DocumentLinkHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return [doc if media_is_visible(doc) else None for doc in lookup("document", attrs_list)]


class VisibleImageEmbedHandler(ImageEmbedHandler):
    @classmethod
    def get_many(cls, attrs_list):
        return [image if media_is_visible(image) else None for image in lookup("image", attrs_list)]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        """
        Wagtail's `<img>` for a visible image. A hidden or deleted one renders as nothing, as
        `rawValue` drops it (Wagtail leaves an empty `<img alt="">` for a deleted one), and is
        never rendered first: a rendition is a public file.
        """
        return [
            get_image_format(attrs["format"]).image_to_html(image, attrs.get("alt", "")) if image else ""
            for attrs, image in zip(attrs_list, cls.get_many(attrs_list), strict=True)
        ]


def is_visible_reference(kind, pk):
    """Whether the page, image or document `pk` may be shown to readers."""
    item = ensure(kind, [pk]).get(database_id(pk))
    return item is not None if kind == "page" else media_is_visible(item)


def public_rich_text(source):
    """Stored rich text with every reference to hidden content removed (its link text stays)."""

    def replace(match):
        attributes = dict(REFERENCE_ATTRIBUTE.findall(match.group()))
        kind = attributes.get("linktype") or attributes.get("embedtype")
        if kind not in ("page", "document", "image") or is_visible_reference(kind, attributes.get("id")):
            return match.group()
        return "<a>" if match.group(1).lower() == "a" else ""

    return REFERENCE_TAG.sub(replace, source) if "<" in source else source


def public_prep_value(block, value):
    """A block's stored (JSON-ready) value, as `public_rich_text` leaves rich text, choosers nulled."""
    if value is None:
        return None
    kind = chooser_kind(block)
    if kind is not None:
        return value if is_visible_reference(kind, value) else None
    if isinstance(block, blocks.RichTextBlock):
        return public_rich_text(value) if isinstance(value, str) else value
    if isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        return {
            name: public_prep_value(block.child_blocks[name], child) if name in block.child_blocks else child
            for name, child in value.items()
        }
    if isinstance(block, blocks.ListBlock) and isinstance(value, list):
        return [
            {**item, "value": public_prep_value(block.child_block, item.get("value"))}
            if isinstance(item, dict) and "type" in item
            else public_prep_value(block.child_block, item)
            for item in value
        ]
    if isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        return [
            {**item, "value": public_prep_value(block.child_blocks[item["type"]], item.get("value"))}
            if isinstance(item, dict) and item.get("type") in block.child_blocks
            else item
            for item in value
        ]
    return value
