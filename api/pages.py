"""
The `page` root field (any page type, by id, path or preview token), preview drafts, and
`redirect` (where an old path went).
"""

import graphene
from graphql import GraphQLError
from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from publishing.cache_tags import record
from publishing.prefetch import database_id
from publishing.preview import InvalidPreviewToken, page_from_token
from publishing.visibility import site_for, site_root, visible

from .fetch_plans import FetchPlan, selected_fields
from .interfaces import PageInterface
from .languages import asked_locale, locale_argument, path_language


def draft_from_token(token, page_class=None):
    """The draft a preview token stands for; the same GraphQL error for every bad token."""
    try:
        return page_from_token(token, page_class)
    except InvalidPreviewToken as error:
        raise GraphQLError(str(error)) from error


MAX_PATH_LENGTH = 2048


class RedirectType(graphene.ObjectType):
    class Meta:
        name = "Redirect"
        description = "Where a path that no longer leads to a page has gone."

    url_path = graphene.String(
        description=(
            "The target page's path within the site, e.g. `/tin-tuc/bai-viet/`; null for an external target."
        )
    )
    url = graphene.String(
        required=True, description="The target: the page's `url` (as on its page), or an external link."
    )
    is_permanent = graphene.Boolean(required=True, description="Permanent (HTTP 301) or temporary (302).")


def page_at(site, url_path):
    """
    The visible page at a path within `site`, or None. The path's language prefix (`/en/...`)
    leads below the translation of the site's root page in that language.
    """
    code, url_path = path_language(url_path)
    root = site_root(site, asked_locale(code))
    if root is None:
        return None
    pages = visible(Page.objects.filter(depth__gt=1))
    parts = [part for part in url_path.split("/") if part]
    if not parts:
        return pages.filter(pk=root.pk).first()
    # The slug narrows the search through its index; `url_path` has none.
    full_path = f"{root.url_path}{'/'.join(parts)}/"
    return pages.filter(slug=parts[-1], url_path=full_path).first()


def in_locale(page, locale):
    """`page` if `locale` is None or the page's language, else None."""
    if page is None or locale is None or page.locale_id == asked_locale(locale).pk:
        return page
    return None


def redirect_for(request, path):
    """
    The redirect for a path that leads to no visible page, as Wagtail's redirect middleware finds
    it (the site's redirects, then those for every site; the path with its query string, then
    without); None when the path leads to a page, has no redirect, or its target is hidden.
    """
    site = site_for(request)
    if site is None or "\0" in path or len(path) > MAX_PATH_LENGTH:
        return None
    if page_at(site, path.split("?", 1)[0]) is not None:
        return None
    normalised = Redirect.normalise_path(path, decode_unicode=False)
    redirect = get_redirect(request, normalised) or get_redirect(request, normalised.split("?", 1)[0])
    if redirect is None:
        return None
    if redirect.redirect_page_id is None:
        return RedirectType(url_path=None, url=redirect.redirect_link, is_permanent=redirect.is_permanent)
    target = visible(Page.objects.filter(pk=redirect.redirect_page_id)).first()
    if target is None:
        return None
    record(f"page-{target.pk}", f"redirect-{redirect.pk}")
    parts = target.get_url_parts(request=request)
    if not parts:
        return None
    return RedirectType(
        url_path=parts[2], url=target.get_url(request=request), is_permanent=redirect.is_permanent
    )


class PageQuery:
    page = graphene.Field(
        PageInterface,
        id=graphene.ID(description="The page's id."),
        url_path=graphene.String(description="Path within the site, e.g. `/tin-tuc/bai-viet/`."),
        token=graphene.String(description="A preview token: returns the draft it was made for."),
        locale=locale_argument(default=False),
        description=(
            "One live, public page of the requesting site, by `urlPath` (its language read from the "
            "path: `/en/...` is English) or `id`, null when it is not in `locale` if given; or an "
            "editor's draft by preview `token`."
        ),
    )

    redirect = graphene.Field(
        RedirectType,
        path=graphene.String(required=True, description="The old path, e.g. `/tin-tuc/ten-cu/`."),
        locale=locale_argument(default=False),
        description=(
            "Where a path that leads to no page has gone (a renamed or moved page, or a redirect "
            "editors added); null when the path leads to a page, has no redirect, or the target "
            "is not public."
        ),
    )

    def resolve_redirect(self, info, path, locale=None):
        # Whether the path leads to a page, its redirects, its target's visibility (cache tags).
        record("pages", "redirects")
        if locale is not None:
            asked_locale(locale)  # an unknown one is an error
        found = redirect_for(info.context, path)
        if found is None or locale is None or found.url_path is None:
            return found
        return found if path_language(found.url_path)[0] == locale else None

    def resolve_page(self, info, id=None, url_path=None, token=None, locale=None):
        if sum(argument is not None for argument in (id, url_path, token)) != 1:
            raise GraphQLError("Give exactly one of `id`, `urlPath` or `token`.")
        if locale is not None:
            asked_locale(locale)  # an unknown one is an error
        if token is not None:
            draft = draft_from_token(token)
            return FetchPlan(type(draft), selected_fields(info)).complete([draft], relations=False)[0]
        pages = visible(Page.objects.filter(depth__gt=1))
        if id is not None:
            if database_id(id) is None:
                return None
            pages = pages.filter(pk=database_id(id))
            page = pages.first()
        else:
            site = site_for(info.context)
            page = page_at(site, url_path) if site is not None else None
        page = in_locale(page, locale)
        if page is None:
            record("pages")  # none yet: any page published may be the one (publishing.cache_tags)
            return None
        page = page.specific
        return FetchPlan(type(page), selected_fields(info)).complete([page])[0]
