"""
The GraphQL schema: our root fields only, over the types grapple builds from the models.

We do not use grapple's own schema: its root fields (`pages`, `search`, `redirects`,
`snippets`, `images`, ...) return drafts and private content and sort on any column.
Each app declares its own root fields; this module puts them together and trims the
types grapple generates to what the models declare in `graphql_fields`.
"""

import json
from functools import partial

import graphene
import wagtail.images.blocks
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from graphene.types.resolver import get_default_resolver
from graphql import GraphQLError
from grapple.registry import registry
from grapple.types.documents import DocumentObjectType
from grapple.types.images import ImageObjectType, ImageRenditionObjectType
from grapple.types.interfaces import StreamFieldInterface
from grapple.types.streamfield import RichTextBlock as GrappleRichTextBlock
from grapple.utils import get_media_item_url
from wagtail import blocks
from wagtail.blocks import StructValue
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import expand_db_html

from home.rich_text import public_prep_value
from home.visibility import media_is_visible
from news.graphql import NewsQuery, TagType
from search.graphql import SearchQuery

from .interfaces import PageInterface
from .pages import PageQuery

# Fields of grapple's image, rendition and document types that frontends need. The rest
# (collection tree, every stored rendition, tags, file hashes, upload dates) stays private.
IMAGE_FIELDS = {
    "id", "title", "description", "url", "width", "height", "aspect_ratio", "is_svg",
    "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height", "rendition",
    "src_set",
}  # fmt: skip
RENDITION_FIELDS = {"id", "filter_spec", "url", "width", "height", "alt"}
DOCUMENT_FIELDS = {"id", "title", "url", "file_size"}


def resolve_raw_value(block_value, info, **kwargs):
    """
    `rawValue` of any block: the block's stored form, with nothing hidden in it
    (home.rich_text.public_prep_value). Strings stay as they are; structures (StructBlock,
    ListBlock, ...) are JSON text, where grapple fails with "String cannot represent value".
    """
    if isinstance(block_value, StructValue):
        block, value = block_value.block, block_value.block.get_prep_value(block_value)
    else:
        block, value = block_value.block, block_value.block.get_prep_value(block_value.value)
    value = public_prep_value(block, value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


StreamFieldInterface.resolve_raw_value = resolve_raw_value


def resolve_rich_text(block_value, info, **kwargs):
    """The front-end HTML of a rich-text block: what RichText.__html__ gives, minus rendering a
    template per paragraph (its template is `{{ html|safe }}`)."""
    return expand_db_html(block_value.value.source)


GrappleRichTextBlock.resolve_value = resolve_rich_text

_block_types = {}


def resolve_block_type(cls, instance, info):
    """grapple's StreamFieldInterface.resolve_type, remembered per block class."""
    block_class = type(instance.block) if hasattr(instance, "block") else None
    if block_class not in _block_types:
        _block_types[block_class] = _grapple_resolve_block_type(instance, info)
    return _block_types[block_class]


_grapple_resolve_block_type = StreamFieldInterface.resolve_type
StreamFieldInterface.resolve_type = classmethod(resolve_block_type)

# grapple registers a type named "ImageBlock" for Wagtail's own ImageBlock, which we do not
# use; our news.blocks.ImageBlock (image, caption, credit) takes the name.
registry.streamfield_blocks.pop(wagtail.images.blocks.ImageBlock, None)


def keep_fields(graphene_type, names):
    """Drop every field of a generated type except `names` (and its interfaces' fields)."""
    for interface in graphene_type._meta.interfaces:
        names = set(names) | set(interface._meta.fields)
    for name in list(graphene_type._meta.fields):
        if name not in names:
            del graphene_type._meta.fields[name]


def declared_field_names(model):
    names = {"id"}
    for field in getattr(model, "graphql_fields", ()):
        names.add((field() if callable(field) else field).field_name)
    return names


def block_type_for(block):
    for block_class in type(block).__mro__:
        if block_class in registry.streamfield_blocks:
            return registry.streamfield_blocks[block_class]
    return registry.streamfield_blocks["generic-block"]


def streamfield_block_types():
    """The GraphQL types of every block our StreamFields can hold, nested ones included."""
    found, pending = {}, []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, StreamField):
                pending.extend(field.stream_block.child_blocks.values())
    generic_containers = {
        registry.streamfield_blocks[blocks.StructBlock],
        registry.streamfield_blocks[blocks.StreamBlock],
        registry.streamfield_blocks[blocks.ListBlock],
    }
    while pending:
        block = pending.pop()
        graphene_type = block_type_for(block)
        found.setdefault(graphene_type._meta.name, graphene_type)
        # A block with its own type exposes its children through its declared fields.
        if graphene_type in generic_containers:
            if isinstance(block, blocks.ListBlock):
                pending.append(block.child_block)
            else:
                pending.extend(block.child_blocks.values())
    return list(found.values())


def unwrap(graphene_type):
    while isinstance(graphene_type, graphene.NonNull | graphene.List):
        graphene_type = graphene_type.of_type
    return graphene_type


def hide_restricted_media(resolver):
    def resolve(root, info, **kwargs):
        item = resolver(root, info, **kwargs)
        return item if media_is_visible(item) else None

    return resolve


def guard_media_fields(graphene_types):
    """
    Every field that returns an image or a document returns null instead when the item is in a
    restricted collection — whichever type the field is on, now or in the future.
    """
    for graphene_type in graphene_types:
        for name, field in graphene_type._meta.fields.items():
            if unwrap(field.type) in (ImageObjectType, DocumentObjectType):
                resolver = (
                    field.resolver
                    or getattr(graphene_type, f"resolve_{name}", None)
                    or partial(get_default_resolver(), name, None)
                )
                field.resolver = hide_restricted_media(resolver)


def refuse_unlisted_filters(resolver):
    """grapple answers an unlisted rendition filter with a TypeError; make it a client error."""

    def resolve(image, info, **kwargs):
        try:
            return resolver(image, info, **kwargs)
        except TypeError as error:
            if "ALLOWED_IMAGE_FILTERS" not in str(error):
                raise
            raise GraphQLError(
                "This image filter is not allowed. Use one of the sizes listed in the API "
                "documentation (ALLOWED_IMAGE_FILTERS)."
            ) from error

    return resolve


def resolve_src_set(image, info, sizes=None, format=None, preserve_svg=True, **kwargs):
    """
    grapple's srcSet, once per width: repeated sizes (and sizes that render the same width, as
    `width-1600` of an 800-pixel image does) appear once. Without `sizes`, every allowed width;
    the cost meter has already refused more than that many, or widths not allowed.
    """
    widths = dict.fromkeys(width for width in (sizes or settings.IMAGE_RENDITION_WIDTHS) if width is not None)
    suffix = f"|format-{format}" if format else ""
    entries = {}
    for width in widths:
        if f"width-{width}{suffix}" not in settings.ALLOWED_IMAGE_FILTERS:
            continue
        options = {"format": format} if format else {}
        rendition = ImageObjectType.resolve_rendition(
            image, info, width=width, preserve_svg=preserve_svg, **options
        )
        entries.setdefault(rendition.width, f"{get_media_item_url(rendition)} {rendition.width}w")
    return ", ".join(entries.values())


def direct_resolvers(model, graphene_type):
    """
    Resolve plain model fields and methods named in `graphql_fields` directly, instead of through
    grapple's generic resolver, which inspects the field's kind on every call (thousands per list).
    """
    for declared in getattr(model, "graphql_fields", ()):
        declared = declared() if callable(declared) else declared
        field = graphene_type._meta.fields.get(declared.field_name)
        source = declared.field_source
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            model_field = None
        if field is None:
            continue
        if model_field is not None:
            if (
                model_field.concrete
                and not model_field.many_to_many
                and not isinstance(model_field, RichTextField)
            ):
                field.resolver = lambda instance, info, source=source, **kwargs: getattr(instance, source)
        elif callable(getattr(model, source, None)):
            field.resolver = lambda instance, info, source=source, **kwargs: getattr(instance, source)(info)


def struct_block_resolvers(block_class, graphene_type):
    """The same for the fields of StructBlock types: read the child value, nothing else."""
    for declared in getattr(block_class, "graphql_fields", ()):
        declared = declared() if callable(declared) else declared
        field = graphene_type._meta.fields.get(declared.field_name)
        if field is not None and declared.field_name in block_class.base_blocks:
            field.resolver = lambda block, info, name=declared.field_name, **kwargs: (
                block[name] if isinstance(block, StructValue) else block.value[name]
            )


def build_schema():
    for model, graphene_type in [*registry.pages.items(), *registry.snippets.items()]:
        keep_fields(graphene_type, declared_field_names(model))
        direct_resolvers(model, graphene_type)
    for block_class, graphene_type in registry.streamfield_blocks.items():
        if isinstance(block_class, type) and issubclass(block_class, blocks.StructBlock):
            struct_block_resolvers(block_class, graphene_type)
    keep_fields(ImageObjectType, IMAGE_FIELDS)
    ImageObjectType._meta.fields["rendition"].resolver = refuse_unlisted_filters(
        ImageObjectType.resolve_rendition
    )
    ImageObjectType._meta.fields["src_set"].resolver = refuse_unlisted_filters(resolve_src_set)
    keep_fields(ImageRenditionObjectType, RENDITION_FIELDS)
    keep_fields(DocumentObjectType, DOCUMENT_FIELDS)
    block_types = streamfield_block_types()
    guard_media_fields([*registry.pages.values(), *registry.snippets.values(), *block_types])

    class Query(NewsQuery, SearchQuery, PageQuery, graphene.ObjectType):
        pass

    return graphene.Schema(
        query=Query,
        types=[
            *registry.pages.values(),
            *registry.snippets.values(),
            *block_types,
            TagType,
            PageInterface,
        ],
        auto_camelcase=True,
    )


schema = build_schema()
