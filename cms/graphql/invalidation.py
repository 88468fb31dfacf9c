"""
When does a public answer change? This module is the one owner of that question.

- **The content version**: one value every cache of public answers includes in its keys (the
  GraphQL response cache, remembered list totals). Anything that changes what readers may see
  replaces it once the transaction commits, so every cached answer becomes unreachable at once, on
  every app server sharing the cache.
- **The lifetimes**, the next scheduled go-live or expiry, and the memo helpers are
  publishing.freshness's, which also gives the version.
- **Every receiver** that replaces the version, connected once from `CmsConfig.ready()`: pages
  published, unpublished, moved, deleted or saved while live; every model reachable from the
  schema (`CONTENT_MODELS`, checked against the schema by cms/tests/test_invalidation.py);
  view restrictions; schedules; and `publishing.signals.content_changed` for bulk writers.
"""

import functools

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TagBase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision
from wagtail.signals import page_published, page_unpublished, post_page_move

from publishing.freshness import NEXT_EXPIRY_KEY, VERSION_KEY, forget_next_go_live, new_version
from publishing.models import StoredAnswer, media_token
from publishing.signals import content_changed

# Models whose saved or deleted rows can change an answer, besides pages: by label, so this
# module needs no app's code. Subclasses count (every tag model is a TagBase).
CONTENT_MODELS = [
    "news.CooperationSector",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "wagtailcore.Collection",
    "wagtailcore.CollectionViewRestriction",
    "wagtailcore.PageViewRestriction",
    "wagtailredirects.Redirect",
    "wagtailcore.Site",
]
# Fields Wagtail saves on the page row when an editor saves a draft: none of them is public.
DRAFT_BOOKKEEPING = {
    "latest_revision", "draft_title", "has_unpublished_changes", "locked", "locked_at", "locked_by",
    "latest_revision_created_at", "wagtail_admin_comments",
}  # fmt: skip


def bump_content_version(forget=None, **kwargs):
    """
    Make every cached answer stale, once the current transaction (if any) commits, and drop the
    stored answers `forget` selects (a queryset of publishing.models.StoredAnswer): at once, for
    what the same transaction reads next (a request publishing what is due, then listing), and
    again after the version has moved, for answers other requests stored meanwhile from what they
    read before the change (they check the version once they have written: cms.graphql.stored).
    """

    def drop():
        # One DELETE statement: `delete()` would load every row first, as the receivers of
        # post_delete below listen to every model.
        forget._raw_delete(forget.db)

    def bump():
        cache.set(VERSION_KEY, new_version(), timeout=None)
        cache.delete(NEXT_EXPIRY_KEY)
        if forget is not None:
            drop()

    if forget is not None:
        drop()
    transaction.on_commit(bump)


def every_answer():
    return StoredAnswer.objects.all()


def answers_below(page):
    return StoredAnswer.objects.filter(page__path__startswith=page.path)


# Receivers


@functools.cache
def content_models():
    """The model classes of CONTENT_MODELS (and every tag model), resolved once the apps are loaded."""
    return (
        *(apps.get_model(label) for label in CONTENT_MODELS),
        TagBase,
        get_image_model(),
        get_document_model(),
    )


@functools.cache
def new_without_answers():
    """Models a new row of which is in no stored answer yet (unlike a new sector translation,
    which renames a sector on the pages of its language, a site or a collection's restriction)."""
    return (TagBase, get_image_model(), get_document_model(), apps.get_model("wagtailcore.Collection"))


# Columns Wagtail fills in on an image or document when first read: in no stored answer.
MEDIA_BOOKKEEPING = {"file_size", "file_hash"}


def content_saved_or_deleted(sender, instance, created=False, update_fields=None, **kwargs):
    if isinstance(instance, content_models()):
        untouched = (
            isinstance(instance, apps.get_model("wagtailredirects.Redirect"))
            or (created and isinstance(instance, new_without_answers()))
            or bool(update_fields and set(update_fields) <= MEDIA_BOOKKEEPING)
        )
        bump_content_version(forget=None if untouched else answers_showing(instance))


def answers_showing(instance):
    """The stored answers a changed or deleted object may be in: an image's or a document's own
    (their answers name them), every answer for anything else."""
    for kind, model in (("image", get_image_model()), ("document", get_document_model())):
        if isinstance(instance, model):
            return StoredAnswer.objects.filter(media__contains=media_token(kind, instance.pk))
    return every_answer()


def page_changed(sender, instance, **kwargs):
    """
    A page published or unpublished: its own stored answer and those below it (a new slug gives
    every descendant a new path, which Wagtail writes without a signal for them; a body linking
    the page is never stored).
    """
    bump_content_version(forget=answers_below(instance))


def page_moved(sender, instance, **kwargs):
    """A page moved: the paths of it and every page below it."""
    bump_content_version(forget=answers_below(instance))


def page_saved(sender, instance, update_fields=None, **kwargs):
    """A live page saved outside publishing (e.g. by a script), except for draft bookkeeping."""
    if isinstance(instance, Page) and instance.live:
        if update_fields is None or set(update_fields) - DRAFT_BOOKKEEPING:
            bump_content_version(forget=answers_below(instance))


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        bump_content_version()  # its stored answer goes with it (a cascade)


def bulk_change(sender=None, **kwargs):
    """publishing.signals.content_changed: a writer changed content in bulk."""
    bump_content_version(forget=every_answer())


def schedule_changed(sender, instance, **kwargs):
    """A revision scheduled (or unscheduled) to go live: answers were given lifetimes before it."""
    if instance.approved_go_live_at is not None:
        forget_next_go_live()
        bump_content_version()


def connect():
    """Connect every receiver (CmsConfig.ready, once per process)."""
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"invalidation-{id(signal)}")
    post_page_move.connect(page_moved, dispatch_uid="invalidation-page-moved")
    post_save.connect(content_saved_or_deleted, dispatch_uid="invalidation-content-saved")
    post_delete.connect(content_saved_or_deleted, dispatch_uid="invalidation-content-deleted")
    post_save.connect(page_saved, dispatch_uid="invalidation-page-saved")
    post_delete.connect(page_deleted, dispatch_uid="invalidation-page-deleted")
    post_save.connect(schedule_changed, sender=Revision, dispatch_uid="invalidation-schedule-saved")
    post_delete.connect(schedule_changed, sender=Revision, dispatch_uid="invalidation-schedule-deleted")
    content_changed.connect(bulk_change, dispatch_uid="invalidation-content-changed")
    m2m_changed.connect(
        bump_content_version,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="invalidation-restriction-groups",
    )
