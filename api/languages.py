"""
The `locale` argument of root fields, and each page's language and translations.

Content is written in the languages of WAGTAIL_CONTENT_LANGUAGES (publishing.locales): lists,
search and sectors answer in one of them, Vietnamese unless `locale` says otherwise. Fields that
take a path (`page(urlPath:)`, `redirect(path:)`) read the language from the path itself:
English paths start with `/en/`.
"""

import graphene
from graphql import GraphQLError

from publishing.locales import UnknownLocale, content_languages, default_language, locale_for


def locale_argument(default=True):
    """The `locale` argument: a language code, Vietnamese ("vi") by default."""
    if default:
        return graphene.String(
            default_value=default_language(),
            description='Language of the content: "vi" (default) or "en".',
        )
    return graphene.String(
        description='Language of the content: "vi" or "en"; by default the language of the path.'
    )


def asked_locale(code):
    """The `Locale` a `locale` argument names; a GraphQL error for any other code."""
    try:
        return locale_for(code)
    except UnknownLocale as error:
        raise GraphQLError(str(error)) from error


def path_language(path):
    """
    (the language of a path, the path without its prefix): "/en/news/" → ("en", "/news/"),
    "/tin-tuc/" → ("vi", "/tin-tuc/"). Only the prefixes Wagtail serves count (not "/vi/").
    """
    first = path.split("/")[1] if path.startswith("/") and path.count("/") > 1 else ""
    if first in content_languages() and first != default_language():
        return first, path[len(first) + 1 :]
    return default_language(), path


def path_prefix(locale):
    """What paths of `locale` start with: nothing for the default language, "/en" for English."""
    return code_prefix(locale.language_code)


def code_prefix(code):
    return "" if not code or code == default_language() else f"/{code}"


def path_in_site(url_path, root_url_path, code):
    """
    A page's tree path as its path within the site, in the language of the root it is below:
    "/trang-chu/tin-tuc/x/" → "/tin-tuc/x/", "/trang-chu-en/news/x/" → "/en/news/x/" (GraphQL's
    `urlPath`, the sitemap's, the feeds', the webhooks').
    """
    return code_prefix(code) + url_path[len(root_url_path) - 1 :]
