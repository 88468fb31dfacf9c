"""The review loop in the admin (editorial/review.py) and drafting notices (publishing/forms.py)."""

from django.utils.translation import gettext
from wagtail import hooks
from wagtail.admin import messages

from .review import ChangesRequestedPanel, arrange_footer, confirm_review_action


@hooks.register("construct_homepage_panels")
def add_changes_requested_panel(request, panels):
    panels.append(ChangesRequestedPanel())


hooks.register("construct_page_action_menu", arrange_footer)


@hooks.register("after_edit_page")
def after_edit(request, page):
    confirm_review_action(request, page)
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
