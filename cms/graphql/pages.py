"""The `page` root field (any page type, by id, path or preview token) and preview drafts."""

import graphene
from graphql import GraphQLError
from wagtail.models import Page

from publishing.prefetch import database_id
from publishing.preview import InvalidPreviewToken, page_from_token
from publishing.visibility import site_for, visible

from .interfaces import PageInterface
from .selections import FetchPlan, selected_fields


def draft_from_token(token, page_class=None):
    """The draft a preview token stands for; the same GraphQL error for every bad token."""
    try:
        return page_from_token(token, page_class)
    except InvalidPreviewToken as error:
        raise GraphQLError(str(error)) from error


class PageQuery:
    page = graphene.Field(
        PageInterface,
        id=graphene.ID(description="The page's id."),
        url_path=graphene.String(description="Path within the site, e.g. `/tin-tuc/bai-viet/`."),
        token=graphene.String(description="A preview token: returns the draft it was made for."),
        description=(
            "One live, public page of the requesting site, by `urlPath` or `id`; "
            "or an editor's draft by preview `token`."
        ),
    )

    def resolve_page(self, info, id=None, url_path=None, token=None):
        if sum(argument is not None for argument in (id, url_path, token)) != 1:
            raise GraphQLError("Give exactly one of `id`, `urlPath` or `token`.")
        if token is not None:
            draft = draft_from_token(token)
            return FetchPlan(type(draft), selected_fields(info)).complete([draft], relations=False)[0]
        pages = visible(Page.objects.filter(depth__gt=1))
        if id is not None:
            if database_id(id) is None:
                return None
            pages = pages.filter(pk=database_id(id))
        else:
            site = site_for(info.context)
            if site is None:
                return None
            parts = [part for part in url_path.split("/") if part]
            if not parts:
                pages = pages.filter(pk=site.root_page.pk)
            else:
                # The slug narrows the search through its index; `url_path` has none.
                full_path = f"{site.root_page.url_path}{'/'.join(parts)}/"
                pages = pages.filter(slug=parts[-1], url_path=full_path)
        page = pages.first()
        if page is None:
            return None
        page = page.specific
        return FetchPlan(type(page), selected_fields(info)).complete([page])[0]
