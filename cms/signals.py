"""What makes cached GraphQL responses stale: anything a response could contain."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TagBase
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from home.caching import bump_content_version
from home.signals import content_changed
from news.models import CooperationSector

CONTENT = (
    CooperationSector,
    TagBase,
    get_image_model(),
    get_document_model(),
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Redirect,
    Site,
)
# Fields Wagtail saves on the page row when an editor saves a draft: none of them is public.
DRAFT_BOOKKEEPING = {
    "latest_revision", "draft_title", "has_unpublished_changes", "locked", "locked_at", "locked_by",
    "latest_revision_created_at", "wagtail_admin_comments",
}  # fmt: skip


def content_saved_or_deleted(sender, instance, **kwargs):
    if isinstance(instance, CONTENT):
        bump_content_version()


def page_saved(sender, instance, update_fields=None, **kwargs):
    """A live page saved outside publishing (e.g. by a script), except for draft bookkeeping."""
    if isinstance(instance, Page) and instance.live:
        if update_fields is None or set(update_fields) - DRAFT_BOOKKEEPING:
            bump_content_version()


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_content_version()


for signal in (page_published, page_unpublished, post_page_move):
    signal.connect(bump_content_version, dispatch_uid=f"graphql-cache-{id(signal)}")
post_save.connect(content_saved_or_deleted, dispatch_uid="graphql-cache-content-saved")
post_delete.connect(content_saved_or_deleted, dispatch_uid="graphql-cache-content-deleted")
post_save.connect(page_saved, dispatch_uid="graphql-cache-page-saved")
post_delete.connect(page_deleted, dispatch_uid="graphql-cache-page-deleted")
content_changed.connect(bump_content_version, dispatch_uid="graphql-cache-content-changed")
m2m_changed.connect(
    bump_content_version,
    sender=PageViewRestriction.groups.through,
    dispatch_uid="graphql-cache-restriction-groups",
)
