"""
The languages content is published in (WAGTAIL_CONTENT_LANGUAGES: Vietnamese, the default, and
English), as Wagtail's `Locale` rows, and the one way a public read turns a language code into one.
"""

from django.conf import settings
from django.core.cache import cache
from wagtail.models import Locale

from .freshness import LOCALES_KEY, LOCALES_SECONDS, once_per_request


class UnknownLocale(ValueError):
    def __init__(self, code):
        codes = ", ".join(content_languages())
        super().__init__(f'Unknown locale "{code}": use one of {codes}.')


def content_languages():
    """Language codes content may be written in, the default first."""
    codes = [code for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES]
    default = settings.LANGUAGE_CODE
    return [default, *(code for code in codes if code != default)]


def default_language():
    return settings.LANGUAGE_CODE


def locales():
    """
    {language code: Locale} for every Locale row: read once per request, from the shared cache
    (every app server sees the same rows; a Locale saved or deleted clears it:
    publishing.freshness.locale_saved_or_deleted).
    """

    def read():
        found = cache.get(LOCALES_KEY)
        if found is None:
            found = {locale.language_code: locale for locale in Locale.objects.all()}
            cache.set(LOCALES_KEY, found, timeout=LOCALES_SECONDS)
        return found

    return once_per_request("locales", read)


def locale_for(code):
    """The `Locale` of a content language code; UnknownLocale for any other code."""
    if code not in content_languages():
        raise UnknownLocale(code)
    found = locales()
    if code not in found:  # a language added to the settings since the last migrate
        found[code] = Locale.objects.get_or_create(language_code=code)[0]
    return found[code]


def locale_by_id(pk):
    """The `Locale` with id `pk` (a page's `locale_id`), without a query in the usual case."""
    for locale in locales().values():
        if locale.pk == pk:
            return locale
    return Locale.objects.get(pk=pk)


def ensure_locales(**kwargs):
    """post_migrate: a `Locale` row for every content language, so editors can translate at once."""
    for code in content_languages():
        Locale.objects.get_or_create(language_code=code)
