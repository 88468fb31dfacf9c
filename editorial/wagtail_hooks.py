"""Drafting notices in the admin (publishing/forms.py picks the free slugs)."""

from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin import messages


@hooks.register("after_edit_page")
def after_edit(request, page):
    tell_slug_picked(request, page)


@hooks.register("after_create_page")
def after_create(request, page):
    tell_slug_picked(request, page)


def tell_slug_picked(request, page):
    """A full save (not autosave) whose slug was in use says which free one the page got instead."""
    typed = request.POST.get("slug")
    if not typed or typed == page.slug or not request.accepts("text/html"):  # autosave: field updates
        return
    messages.info(
        request,
        gettext("The slug “%(typed)s” is used by another page here; this page got “%(slug)s”.")
        % {"typed": typed, "slug": page.slug},
    )
