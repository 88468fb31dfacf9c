"""
How many items each list field of the schema may return, and how long each list-valued argument
may be — keyed by type and field, as the schema names them. The cost meter (api.limits)
reads this map with the arguments graphql-core has coerced, so it measures the query that runs.

`api/tests/test_costs.py` walks the whole schema and fails when a list field or a list-valued
argument has no entry here, so a new field cannot slip past the meter.
"""

from dataclasses import dataclass

from django.conf import settings

from . import app_settings


def _clamp(value, low, high):
    return max(low, min(value, high))


@dataclass(frozen=True)
class PageOfItems:
    """
    A paginated field (`newsPages`, `search`, `sitemap`): its whole selection counts `perPage`
    times. When `perPage` is absent it is the default page size (setting `default`); above the
    maximum (setting `maximum`) the field is an error and resolves nothing, but it is measured at
    the maximum anyway. Both settings are api/app_settings.py's.
    """

    argument: str = "perPage"
    default: str = "GRAPHQL_PAGE_SIZE"
    maximum: str = "GRAPHQL_MAX_PAGE_SIZE"

    def size(self, arguments):
        value = arguments.get(self.argument)
        if value is None:
            return getattr(app_settings, self.default)
        return _clamp(value, 1, getattr(app_settings, self.maximum))


@dataclass(frozen=True)
class ItemsOfThePage:
    """The list inside a paginated field's answer: already counted by that field (PageOfItems)."""

    def size(self, arguments):
        return 1


@dataclass(frozen=True)
class Limit:
    """
    A list cut at an argument (`children(limit:)`, `related(limit:)`), at most `maximum` (a setting
    of api/app_settings.py).
    """

    argument: str = "limit"
    default: int = 10
    maximum: str = "GRAPHQL_MAX_PAGE_SIZE"

    def size(self, arguments):
        value = arguments.get(self.argument)
        return _clamp(self.default if value is None else value, 0, getattr(app_settings, self.maximum))


@dataclass(frozen=True)
class Typical:
    """
    A list whose length editors decide, not clients (a body's blocks, a page's sectors): measured
    at a generous typical length. A longer one costs more time than metered; the execution budget
    (GRAPHQL_EXECUTION_BUDGET_SECONDS) bounds what that can cost.
    """

    items: int

    def size(self, arguments):
        return self.items


# Pages sit at most three levels below the root: home page, news index, news page.
PAGE_FIELDS = {"children": Limit(), "ancestors": Typical(3), "translations": Typical(2)}
RELATED = Limit(default=4, maximum="RELATED_NEWS_MAX_LIMIT")

LIST_FIELDS = {
    "Query": {
        "newsPages": PageOfItems(),
        "search": PageOfItems(),
        "sitemap": PageOfItems(default="SITEMAP_PAGE_SIZE", maximum="SITEMAP_MAX_PAGE_SIZE"),
        "sectors": Typical(20),
    },
    "NewsPageList": {"items": ItemsOfThePage()},
    "Sitemap": {"items": ItemsOfThePage()},
    "PageInterface": PAGE_FIELDS,
    "HomePage": PAGE_FIELDS,
    "NewsIndexPage": PAGE_FIELDS,
    "NewsArticleInterface": {"related": RELATED},
    "NewsPage": {
        **PAGE_FIELDS,
        "body": Typical(40),
        "sectors": Typical(20),
        "tags": Typical(10),
        "related": RELATED,
    },  # fmt: skip
    # `blocks` of a StructBlock type: its child blocks, as declared in news/blocks.py.
    "ImageBlock": {"blocks": Typical(3)},
    "QuoteBlock": {"blocks": Typical(2)},
    "KeyFiguresBlock": {"blocks": Typical(2), "figures": Typical(10)},
    # grapple's generic types, for children of our blocks without a type of their own
    # (KeyFiguresBlock's list of figures).
    "StructBlock": {"blocks": Typical(3)},
    "ListBlock": {"items": Typical(10)},
}


# Related news are ranked, previous and next found by an index walk, for each page asking.
READ_NEXT_WEIGHTS = {"related": 5, "previous": 2, "next": 2}

# Fields that cost more than one unit each, by type and field: what they resolve is large or slow
# (rich text expanded link by link, a block's stored form as JSON, renditions looked up or made).
# A list of 100 bodies is measured by what it weighs, not by its number of fields.
FIELD_WEIGHTS = {
    "StreamFieldInterface": {"rawValue": 5},
    "RichTextBlock": {"value": 5},
    "NewsPage": {"searchExcerpt": 10, **READ_NEXT_WEIGHTS},
    "NewsArticleInterface": READ_NEXT_WEIGHTS,
    "ImageObjectType": {"srcSet": 10, "rendition": 3},
    "Seo": {"image": 3},
}


@dataclass(frozen=True)
class ListArgument:
    """A list-valued argument: at most `max_items` items, each one of `allowed()` when given."""

    max_items: object  # an int, or a callable giving one from the settings
    allowed: object = None  # a callable giving the allowed values

    def problem(self, name, value):
        """A message when `value` (coerced) breaks the bound, else None."""
        if value is None:
            return None
        max_items = self.max_items() if callable(self.max_items) else self.max_items
        allowed = self.allowed() if self.allowed else None
        if len(value) <= max_items and (allowed is None or all(item in allowed for item in value)):
            return None
        if allowed is None:
            return f"`{name}` takes at most {max_items} values."
        listed = ", ".join(str(item) for item in allowed)
        return f"`{name}` takes at most {max_items} values, each one of: {listed}."


def image_widths():
    return list(settings.IMAGE_RENDITION_WIDTHS)


LIST_ARGUMENTS = {
    "ImageObjectType": {
        "srcSet": {
            "sizes": ListArgument(
                max_items=lambda: len(settings.IMAGE_RENDITION_WIDTHS), allowed=image_widths
            )
        }
    },
}


# Should a list argument be missing from the map, it is still bounded.
UNDECLARED_LIST_ARGUMENT = ListArgument(max_items=10)


def list_rule(graphql_type, field_name):
    """The rule for a list field of `graphql_type` (or of one of its interfaces), else None."""
    for owner in (graphql_type, *getattr(graphql_type, "interfaces", ())):
        rule = LIST_FIELDS.get(owner.name, {}).get(field_name)
        if rule is not None:
            return rule
    return None


def field_weight(graphql_type, field_name):
    """What one resolution of the field costs (1 unless FIELD_WEIGHTS says more)."""
    for owner in (graphql_type, *getattr(graphql_type, "interfaces", ())):
        weight = FIELD_WEIGHTS.get(owner.name, {}).get(field_name)
        if weight is not None:
            return weight
    return 1


def argument_rule(graphql_type, field_name, argument_name):
    return LIST_ARGUMENTS.get(graphql_type.name, {}).get(field_name, {}).get(argument_name)
