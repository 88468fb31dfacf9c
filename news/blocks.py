"""
The blocks of a news body. Each StructBlock has its own GraphQL type (ImageBlock, QuoteBlock,
KeyFiguresBlock, ...) with typed fields, so frontends never parse raw JSON.
"""

import graphene
from django.utils.translation import gettext_lazy as _
from grapple.helpers import register_streamfield_block
from grapple.models import GraphQLField, GraphQLImage, GraphQLString
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from api.execution import reads_only_its_object
from publishing.prefetch import DocumentChooserBlock, ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


@register_streamfield_block
class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(
        label=_("Caption"), required=False, max_length=500, help_text=_("Shown under the image.")
    )
    credit = blocks.CharBlock(
        label=_("Credit"),
        required=False,
        max_length=255,
        help_text=_("Photographer or source, e.g. “Ảnh: TTXVN”."),
    )

    graphql_fields = [
        # Null when the image was deleted or is in a restricted collection.
        GraphQLImage("image"),
        GraphQLString("caption", required=True),
        GraphQLString("credit", required=True),
    ]

    class Meta:
        icon = "image"
        template = "news/blocks/image_block.html"
        label = _("Image")
        help_text = _("A photo inside the article, with its caption and credit.")


@register_streamfield_block
class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(
        label=_("Attribution"), required=False, max_length=255, help_text=_("Who said it.")
    )

    graphql_fields = [
        GraphQLString("text", required=True),
        GraphQLString("attribution", required=True),
    ]

    class Meta:
        icon = "openquote"
        template = "news/blocks/quote_block.html"
        label = _("Quote")
        help_text = _("A quotation set apart from the text.")


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("Figure"), max_length=100, help_text=_("The number with its unit, e.g. “3 tỷ đồng”.")
    )
    label = blocks.CharBlock(
        label=_("What it is"),
        max_length=255,
        help_text=_("What the figure counts, e.g. “hỗ trợ xây dựng nhà nội trú”."),
    )

    class Meta:
        icon = "decimal"
        label = _("Key figure")


class KeyFigureType(graphene.ObjectType):
    """
    One figure of a key_figures block. A plain type rather than a registered block type:
    grapple cannot build a block type with a field named `label`.
    """

    class Meta:
        name = "KeyFigure"

    value = graphene.String(required=True)
    label = graphene.String(required=True)

    @staticmethod
    @reads_only_its_object
    def resolve_value(figure, info):
        return figure["value"]

    @staticmethod
    @reads_only_its_object
    def resolve_label(figure, info):
        return figure["label"]


@register_streamfield_block
class KeyFiguresBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"), required=False, max_length=255, help_text=_("Optional, e.g. “Con số”.")
    )
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("Figures"), min_num=1)

    graphql_fields = [
        GraphQLString("title", required=True),
        GraphQLField("figures", graphene.List(graphene.NonNull(KeyFigureType)), required=True),
    ]

    class Meta:
        icon = "table"
        template = "news/blocks/key_figures_block.html"
        label = _("Key figures")
        help_text = _("Amounts and numbers the article gives, shown as a highlighted list.")


class NewsBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        form_classname="title",
        max_length=255,
        help_text=_("A section heading inside the article."),
        icon="title",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, help_text=_("Text of the article.")
    )
    image = ImageBlock()
    quote = QuoteBlock()
    key_figures = KeyFiguresBlock()
    document = DocumentChooserBlock(
        label=_("Document"), help_text=_("A file readers can download."), icon="doc-full"
    )
    embed = EmbedBlock(
        label=_("Embedded media"),
        help_text=_("The address of a video or post (YouTube, Facebook, ...)."),
        icon="media",
    )
