"""
The CMS's own HTML routes declare the language of what they show: `<html lang>` is the page's
own language (its locale) — Vietnamese at the site's root, English under /en/ — as the
`Content-Language` header says.
"""

import re

import pytest
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

pytestmark = pytest.mark.django_db


def html_lang(response):
    found = re.search(r"<html\b[^>]*\blang=\"([^\"]*)\"", response.content.decode())
    assert found, "no <html lang>"
    return found.group(1)


def demo_pages():
    """Every page of the demo content readers may open, of both languages."""
    pages = Page.objects.live().public().filter(depth__gt=1).select_related("locale").specific()
    return [page for page in pages if page.get_url() is not None]


def test_every_demo_page_declares_its_own_language(client, demo):
    seen = set()
    for page in demo_pages():
        response = client.get(page.get_url())
        assert response.status_code == 200, page.get_url()
        language = page.locale.language_code
        assert (html_lang(response), response["Content-Language"]) == (language, language), page.get_url()
        seen.add((language, page.get_url().startswith("/en/")))
    assert seen == {("vi", False), ("en", True)}  # Vietnamese at the root, English under /en/


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_password_form_of_a_page_declares_the_page_language(client, demo, language):
    page = next(page for page in demo_pages() if page.locale.language_code == language and page.depth > 2)
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="mat-khau-demo")
    response = client.get(page.get_url())
    assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert (html_lang(response), response["Content-Language"]) == (language, language)


@pytest.mark.parametrize("admin_language", ["vi", "en"])
def test_a_preview_declares_the_page_language_whatever_the_editor_reads(demo, admin_language):
    """The preview panel renders in the editor's own admin language; the page keeps its own."""
    for page in demo_pages():
        with translation.override(admin_language):
            response = page.make_preview_request()
        response.render()
        assert html_lang(response) == page.locale.language_code, page.get_url()
