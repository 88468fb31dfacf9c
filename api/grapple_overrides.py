"""
Every change we make to what wagtail-grapple builds, in one place, installed once
(`install()`, from ApiConfig.ready, after grapple has built its types).

grapple builds a GraphQL type for each page model, snippet and StreamField block from their
`graphql_fields`. We keep that, and change what follows:

- Page and snippet types keep only the fields their model declares: grapple's page types also
  carry every `Page` column (`draftTitle`, `live`, `owner`, ...).
- Image, rendition and document types keep what frontends need: not the collection tree, every
  stored rendition, file hashes.
- Every image or document field answers null for a restricted collection, on every type, now and
  in the future (publishing.visibility).
- `rawValue` of any block is its stored form with nothing hidden in it, JSON for structures:
  grapple's fails on StructBlocks ("String cannot represent value") and hands out the ids of
  hidden pages.
- A rich-text block's `value` is expanded without rendering a template per paragraph.
- A block's type is resolved once per block class, not looked up for every block.
- `rendition` refuses filters outside ALLOWED_IMAGE_FILTERS with a GraphQL error (grapple raises
  a TypeError, which reads as an internal error); making a rendition is outside the execution
  budget (api.execution).
- `srcSet` lists each width once, every allowed width without `sizes` (grapple renders each size
  asked, repeats included, and fails without `sizes`).
- Plain model and block fields are read directly, not through grapple's generic resolver, which
  inspects the field's kind on every call.
- Wagtail's own `ImageBlock` type is not registered: our news.blocks.ImageBlock takes the name.

Each change names the grapple function it replaces and a fingerprint of that function's source:
should an upgrade of grapple change it, start-up fails with the name of the change to review,
instead of our version silently replacing code we have not read.
"""

import hashlib
import inspect
import json
from functools import partial

import wagtail.images.blocks
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from graphene.types.resolver import get_default_resolver
from graphene_django import DjangoObjectType
from graphql import GraphQLError
from grapple import actions
from grapple.registry import registry
from grapple.types.documents import DocumentObjectType
from grapple.types.images import ImageObjectType, ImageRenditionObjectType
from grapple.types.interfaces import StreamFieldInterface
from grapple.types.streamfield import RichTextBlock
from grapple.utils import get_media_item_url
from wagtail import blocks
from wagtail.blocks import StructValue
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import expand_db_html

from publishing.freshness import once_per_request
from publishing.rich_text import public_prep_value
from publishing.visibility import media_is_visible

from .execution import OBJECT_ONLY_RESOLVERS, outside_the_budget, reads_only_its_object

# Fields of grapple's image, rendition and document types that frontends need.
IMAGE_FIELDS = {
    "id", "title", "description", "url", "width", "height", "aspect_ratio", "is_svg",
    "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height", "rendition",
    "src_set",
}  # fmt: skip
RENDITION_FIELDS = {"id", "filter_spec", "url", "width", "height", "alt"}
DOCUMENT_FIELDS = {"id", "title", "url", "file_size"}

# grapple's (and graphene-django's) functions we replace or rely on, with the first 12 hex digits
# of the sha256 of their source in wagtail-grapple 0.31.0 and graphene-django 3.2.3.
EXPECTED = {
    "StreamFieldInterface.resolve_raw_value": (StreamFieldInterface.resolve_raw_value, "25a4e7be0bd6"),
    "StreamFieldInterface.resolve_type": (StreamFieldInterface.resolve_type, "00fa5ba802dd"),
    "RichTextBlock.resolve_value": (RichTextBlock.resolve_value, "aad133008910"),
    "ImageObjectType.resolve_rendition": (ImageObjectType.resolve_rendition, "1e2dc266b712"),
    "ImageObjectType.resolve_src_set": (ImageObjectType.resolve_src_set, "8e7d67b47b95"),
    "actions.model_resolver": (actions.model_resolver, "796934558979"),
    # Read only their object: resolved as plain fields (api.execution).
    "StreamFieldInterface.resolve_id": (StreamFieldInterface.resolve_id, "2253035e68a6"),
    "StreamFieldInterface.resolve_block_type": (StreamFieldInterface.resolve_block_type, "e02e01e77817"),
    "StreamFieldInterface.resolve_field": (StreamFieldInterface.resolve_field, "a02d090ac14c"),
    "DjangoObjectType.resolve_id": (DjangoObjectType.resolve_id, "f83bed55a3f5"),
}
READ_ONLY_THEIR_OBJECT = [
    StreamFieldInterface.resolve_id,
    StreamFieldInterface.resolve_block_type,
    StreamFieldInterface.resolve_field,
    DjangoObjectType.resolve_id,
]


def fingerprint(function):
    function = getattr(function, "__func__", function)
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:12]


def check_expected():
    changed = {
        name: fingerprint(function)
        for name, (function, expected) in EXPECTED.items()
        if fingerprint(function) != expected
    }
    if changed:
        listed = ", ".join(f"{name} (now {now})" for name, now in changed.items())
        raise ImproperlyConfigured(
            f"wagtail-grapple changed what api/grapple_overrides.py replaces: {listed}. "
            "Read the new code, adapt the override, then update its fingerprint in EXPECTED."
        )


# Blocks


@reads_only_its_object
def resolve_raw_value(block_value, info, **kwargs):
    """
    `rawValue` of any block: the block's stored form, with nothing hidden in it
    (publishing.rich_text.public_prep_value). Strings stay as they are; structures (StructBlock,
    ListBlock, ...) are JSON text.
    """
    if isinstance(block_value, StructValue):
        block, value = block_value.block, block_value.block.get_prep_value(block_value)
    else:
        block, value = block_value.block, block_value.block.get_prep_value(block_value.value)
    value = public_prep_value(block, value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)


@reads_only_its_object
def resolve_rich_text(block_value, info, **kwargs):
    """The front-end HTML of a rich-text block: what RichText.__html__ gives, minus rendering a
    template per paragraph (its template is `{{ html|safe }}`). Wagtail's expansion rewrites only
    `<a ...>` and `<embed .../>` tags: text with neither is its own front-end HTML."""
    source = block_value.value.source
    if "<a" not in source and "<embed" not in source:
        return source
    return expand_db_html(source)


_block_types = {}


def memoised_block_type(grapple_resolve_type):
    def resolve_type(cls, instance, info):
        """grapple's StreamFieldInterface.resolve_type, remembered per block class."""
        block_class = type(instance.block) if hasattr(instance, "block") else None
        if block_class not in _block_types:
            _block_types[block_class] = grapple_resolve_type(instance, info)
        return _block_types[block_class]

    return classmethod(resolve_type)


def struct_block_resolvers(block_class, graphene_type):
    """The fields of StructBlock types read the child value, nothing else."""
    for declared in getattr(block_class, "graphql_fields", ()):
        declared = declared() if callable(declared) else declared
        field = graphene_type._meta.fields.get(declared.field_name)
        if field is not None and declared.field_name in block_class.base_blocks:
            field.resolver = reads_only_its_object(
                lambda block, info, name=declared.field_name, **kwargs: (
                    block[name] if isinstance(block, StructValue) else block.value[name]
                )
            )


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
    while pending:
        block = pending.pop()
        graphene_type = block_type_for(block)
        if graphene_type._meta.name in found:
            continue
        found[graphene_type._meta.name] = graphene_type
        # Every StructBlock type also lists its children in `blocks`: their types are needed
        # too, whether the block has a type of its own or is a generic container.
        if isinstance(block, blocks.ListBlock):
            pending.append(block.child_block)
        elif isinstance(block, blocks.StructBlock | blocks.StreamBlock):
            pending.extend(block.child_blocks.values())
    return list(found.values())


# Images and documents


def resolve_rendition(image, info, **kwargs):
    """
    grapple's rendition, for the filters of ALLOWED_IMAGE_FILTERS only (a clear error otherwise),
    once per image and filter in a request: a list whose items share an image asks Wagtail for
    the same rendition once, not once per item (finding it among the image's renditions is not
    free).
    """
    options = {key: value for key, value in kwargs.items() if key != "preserve_svg"}
    spec = "|".join(f"{key}-{value}" for key, value in options.items())
    if spec not in settings.ALLOWED_IMAGE_FILTERS:
        raise GraphQLError(
            "This image filter is not allowed. Use one of the sizes listed in the API "
            "documentation (ALLOWED_IMAGE_FILTERS)."
        )

    def rendition():
        with outside_the_budget():
            return ImageObjectType.resolve_rendition(image, info, **kwargs)

    return once_per_request(("rendition", image.pk, spec, kwargs.get("preserve_svg", True)), rendition)


def resolve_src_set(image, info, sizes=None, format=None, preserve_svg=True, **kwargs):
    """
    The image's renditions at each width, once per width: repeated sizes (and sizes that render
    the same width, as `width-1600` of an 800-pixel image does) appear once. Without `sizes`,
    every allowed width; the cost meter has already refused more than that many, or widths not
    allowed.
    """
    widths = dict.fromkeys(width for width in (sizes or settings.IMAGE_RENDITION_WIDTHS) if width is not None)
    options = {"format": format} if format else {}
    entries = {}
    for width in widths:
        rendition = resolve_rendition(image, info, width=width, preserve_svg=preserve_svg, **options)
        entries.setdefault(rendition.width, f"{get_media_item_url(rendition)} {rendition.width}w")
    return ", ".join(entries.values())


def hide_restricted_media(resolver):
    def resolve(root, info, **kwargs):
        item = resolver(root, info, **kwargs)
        return item if media_is_visible(item) else None

    return resolve


def unwrap(graphene_type):
    while hasattr(graphene_type, "of_type"):
        graphene_type = graphene_type.of_type
    return graphene_type


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


# Page and snippet types


def keep_fields(graphene_type, names):
    """Drop every field of a generated type except `names` (and its interfaces' fields)."""
    missing = set(names) - set(graphene_type._meta.fields)
    if missing:
        raise ImproperlyConfigured(
            f"{graphene_type._meta.name} has no field {', '.join(sorted(missing))} to keep."
        )
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


def direct_resolvers(model, graphene_type):
    """
    Resolve the plain model fields and methods named in `graphql_fields` directly, instead of
    through grapple's generic resolver (actions.model_resolver), which inspects the field's kind on
    every call (thousands per list). Methods are called with no arguments: models know nothing of
    GraphQL.
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
                field.resolver = reads_only_its_object(
                    lambda instance, info, source=source, **kwargs: getattr(instance, source)
                )
        elif callable(getattr(model, source, None)):
            field.resolver = reads_only_its_object(
                lambda instance, info, source=source, **kwargs: getattr(instance, source)()
            )


def stable_interfaces(graphene_type):
    """
    grapple gathers a page type's interfaces in a set (`graphql_interfaces`), so their order, and
    the order of the fields they bring, changed from one process to the next: the interfaces by
    name, their fields in that order, then the type's own.
    """
    interfaces = sorted(graphene_type._meta.interfaces, key=lambda interface: interface._meta.name)
    # graphene freezes a type's options once built; this is the one attribute we set on them.
    object.__setattr__(graphene_type._meta, "interfaces", tuple(interfaces))
    fields = graphene_type._meta.fields
    ordered = [name for interface in interfaces for name in interface._meta.fields if name in fields]
    ordered += [name for name in fields if name not in ordered]
    reordered = {name: fields[name] for name in ordered}
    fields.clear()
    fields.update(reordered)


def schema_types():
    """The generated types the served schema is built from (cms/schema.py)."""
    return [*registry.pages.values(), *registry.snippets.values(), *streamfield_block_types()]


_installed = False


def install():
    global _installed
    if _installed:
        return
    check_expected()
    OBJECT_ONLY_RESOLVERS.update(READ_ONLY_THEIR_OBJECT)
    StreamFieldInterface.resolve_raw_value = resolve_raw_value
    StreamFieldInterface.resolve_type = memoised_block_type(StreamFieldInterface.resolve_type)
    RichTextBlock.resolve_value = resolve_rich_text
    replaced = registry.streamfield_blocks.pop(wagtail.images.blocks.ImageBlock, None)
    if replaced is not None and replaced._meta.name != "ImageBlock":
        raise ImproperlyConfigured(f"grapple registered {replaced._meta.name} for Wagtail's ImageBlock.")

    for model, graphene_type in [*registry.pages.items(), *registry.snippets.items()]:
        stable_interfaces(graphene_type)
        keep_fields(graphene_type, declared_field_names(model))
        direct_resolvers(model, graphene_type)
    for block_class, graphene_type in registry.streamfield_blocks.items():
        if isinstance(block_class, type) and issubclass(block_class, blocks.StructBlock):
            struct_block_resolvers(block_class, graphene_type)
    keep_fields(ImageObjectType, IMAGE_FIELDS)
    ImageObjectType._meta.fields["rendition"].resolver = resolve_rendition
    ImageObjectType._meta.fields["src_set"].resolver = resolve_src_set
    keep_fields(ImageRenditionObjectType, RENDITION_FIELDS)
    keep_fields(DocumentObjectType, DOCUMENT_FIELDS)
    guard_media_fields(schema_types())
    _installed = True
