"""
Request-wide prefetching of what page bodies refer to, so a list of pages costs the same number
of SQL queries whether it holds 1 page or 100.

Wagtail resolves the images and documents of a StreamField one page at a time (one query per
body), and the links inside rich text one text at a time (one query per paragraph). Within a
request scope (publishing.scope) `prefetch_bodies(pages)` reads the raw bodies of a whole list at
once, collects every image, document and linked page they refer to, and fetches each kind in one
query; the chooser blocks below and the rich-text link handlers (publishing/rich_text.py) then
take their objects from here instead of querying.
"""

import copy
import re

from wagtail import blocks
from wagtail.documents import blocks as document_blocks
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.images import blocks as image_blocks
from wagtail.images import get_image_model
from wagtail.models import Page

from .scope import prefetched
from .visibility import media_is_visible, visible

# Rich text refers to pages and documents with <a linktype="page" id="6">, to images with
# <embed embedtype="image" id="3"/>.
REFERENCE_TAG = re.compile(r"<(a|embed)\b[^>]*>", re.IGNORECASE)
REFERENCE_ATTRIBUTE = re.compile(r'\s(linktype|embedtype|id)="([^"]*)"')


def fetch_images(ids):
    return get_image_model().objects.filter(pk__in=ids).prefetch_renditions()


def fetch_documents(ids):
    return get_document_model().objects.filter(pk__in=ids)


def fetch_visible_pages(ids):
    return visible(Page.objects.filter(pk__in=ids)).defer_streamfields()


FETCHERS = {"image": fetch_images, "document": fetch_documents, "page": fetch_visible_pages}
# The blocks that store the id of an image, a document or a page.
CHOOSER_KINDS = {
    image_blocks.ImageChooserBlock: "image",
    document_blocks.DocumentChooserBlock: "document",
    blocks.PageChooserBlock: "page",
}


def chooser_kind(block):
    """ "image", "document" or "page" for a chooser block, else None."""
    return next((kind for block_class, kind in CHOOSER_KINDS.items() if isinstance(block, block_class)), None)


ID = re.compile(r"[0-9]{1,18}")


def database_id(value):
    """`value` as a primary key (an int), or None when it is not one: ASCII digits only, as
    "²".isdigit() is true but int("²") fails, and small enough for a database integer."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 10**18 else None
    return int(value) if isinstance(value, str) and ID.fullmatch(value) else None


def ensure(kind, ids):
    """Fetch, in one query, the objects of `kind` among `ids` that this scope has not seen yet."""
    store = prefetched(kind)
    ids = {database_id(pk) for pk in ids} - {None}
    missing = ids - store.keys() if store is not None else ids
    found = {obj.pk: obj for obj in FETCHERS[kind](missing)} if missing else {}
    if store is None:
        return found
    for pk in missing:
        store[pk] = found.get(pk)
    return store


def references_in(block, value, found):
    """Collect (kind, pk) references from a block's raw (JSON) value."""
    if value is None:
        return
    kind = chooser_kind(block)
    if kind is not None:
        found[kind].add(value)
    elif isinstance(block, blocks.RichTextBlock):
        for tag in REFERENCE_TAG.finditer(value if isinstance(value, str) else ""):
            attributes = dict(REFERENCE_ATTRIBUTE.findall(tag.group()))
            kind = attributes.get("linktype") or attributes.get("embedtype")
            if kind in found and "id" in attributes:
                found[kind].add(attributes["id"])
    elif isinstance(block, blocks.StructBlock) and isinstance(value, dict):
        for name, child in block.child_blocks.items():
            references_in(child, value.get(name), found)
    elif isinstance(block, blocks.ListBlock) and isinstance(value, list):
        for item in value:
            item_value = item.get("value") if isinstance(item, dict) and "type" in item else item
            references_in(block.child_block, item_value, found)
    elif isinstance(block, blocks.StreamBlock) and isinstance(value, list):
        for item in value:
            child = block.child_blocks.get(item.get("type")) if isinstance(item, dict) else None
            if child is not None:
                references_in(child, item.get("value"), found)


def body_references(page, found=None):
    """{kind: ids} of the images, documents and pages the loaded StreamFields of `page` refer to."""
    found = {"image": set(), "document": set(), "page": set()} if found is None else found
    for field in page._meta.get_fields():
        if isinstance(field, StreamField) and field.attname in page.__dict__:
            references_in(field.stream_block, list(getattr(page, field.attname).raw_data), found)
    return found


def prefetch_bodies(pages):
    """Fetch everything the StreamFields of `pages` refer to, one query per kind."""
    if prefetched("page") is None:  # outside a request scope: nothing to fill
        return
    found = {"image": set(), "document": set(), "page": set()}
    for page in pages:
        body_references(page, found)
    for kind, ids in found.items():
        if ids:
            ensure(kind, ids)


class PrefetchedChooserMixin:
    kind = None

    def bulk_to_python(self, values):
        if prefetched(self.kind) is None:
            return super().bulk_to_python(values)
        store = ensure(self.kind, values)
        result, seen = [], set()
        for pk in values:
            obj = store.get(database_id(pk))
            result.append(copy.copy(obj) if obj is not None and pk in seen else obj)
            seen.add(pk)
        return result

    def render_basic(self, value, context=None):
        """Nothing for an image or document readers may not see, where a page route renders the
        block without a template of its own (a body's document block)."""
        return super().render_basic(value, context=context) if media_is_visible(value) else ""


# Named like Wagtail's own blocks: GraphQL's `blockType` is the block's class name.
class ImageChooserBlock(PrefetchedChooserMixin, image_blocks.ImageChooserBlock):
    kind = "image"


class DocumentChooserBlock(PrefetchedChooserMixin, document_blocks.DocumentChooserBlock):
    kind = "document"
