"""
Freshness: how long anything read for the public may be kept, and what ends it. This module is the
one owner of that question; every cache of public answers asks it.

- **The content version** (`content_version`): one value the values kept internally include in
  their keys (the feeds' XML, remembered list totals, the related news' candidates, the restricted
  sections). Anything that changes what readers may see replaces it once the transaction commits
  (`bump_content_version`), so every such value is computed again, on every app server sharing the
  cache. **Cache tags** (publishing.cache_tags) are what public answers — the GraphQL response
  cache, a CDN, a frontend — are kept by: each change purges the tags of what it alters, so an
  answer showing nothing it altered stays.
- **The next scheduled change** (`next_scheduled_change`): the earliest go-live of a scheduled
  revision or expiry of a live page. No cached answer outlives it: `lifetime(at_most)` is how
  long one may be kept. (Publishing what is due is publishing.scheduling's, which reads
  `next_go_live` from here.)
- **Three ways to keep a value**, named by how long they keep it:
  `once_per_request` (within one request scope, publishing.scope; nothing outside one),
  `kept_in_process_until_content_changes` (in this process, a minute at most: small values every
  request needs) and `cached_until_content_changes` (in the shared cache, for every app server,
  never past the next scheduled change).
- **Every receiver** that replaces the version or forgets a cached value, connected once by
  `PublishingConfig.ready()` (`connect`): pages published, unpublished, moved, deleted or saved
  while live; every model reachable from the schema (`CONTENT_MODELS`, checked against the schema
  by cms/tests/test_invalidation.py); view restrictions; schedules; Locale rows; and
  `publishing.signals.content_changed` for bulk writers. Each receiver first works out what the
  change affects (`Affected`: a page's subtree, an image, everything...) and reports it
  (`publishing.signals.content_affected`: the stored answers of answers.models drop what it
  affects), and the cache tags it alters (publishing.cache_tags.page_change_tags, change_tags),
  which it purges.
"""

import functools
import hashlib
import json
import math
import time
import uuid
from typing import NamedTuple

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from taggit.models import TagBase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, PageViewRestriction, Revision, get_default_page_content_type
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache_tags
from .scope import request_memo, within_a_change
from .signals import content_affected, content_changed

# Named lifetimes, in seconds: each the longest something is kept even if nothing ends it sooner.
SHARED_CACHE_SECONDS = 300  # a value cached_until_content_changes (unless its caller says less)
IN_PROCESS_SECONDS = 60  # a value kept_in_process_until_content_changes (should a bump be lost)
IN_PROCESS_MAX_ENTRIES = 1000  # keys include host names: a bound against unexpected ones
SCHEDULE_RECHECK_SECONDS = 300  # the next go-live and the next expiry, read again at least this often
LOCALES_SECONDS = 3600  # the Locale rows (publishing.locales); a Locale saved or deleted forgets them
RESTRICTION_PRECISE_PAGES = 50  # a restriction over more pages purges every answer


# The content version

VERSION_KEY = "content:version"
UNKNOWN_VERSION = "unknown"  # the cache is unreachable


def new_version():
    # A value no other bump can have: two bumps racing on a cache without an atomic increment
    # (Django's database cache) still leave a version that neither earlier answer was stored under.
    return uuid.uuid4().hex


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY, UNKNOWN_VERSION)
    return version


class Affected(NamedTuple):
    """
    What a change may alter in public answers, as its receiver works it out before bumping:

    - `everything`: a sector, a site, a collection or a restriction, a bulk write, a restore;
    - `subtree` (key: the page's tree path): a page and every page below it, published,
      unpublished, moved or saved while live (a new slug changes the paths below it);
    - `page` (key: its id): a page deleted (its stored answer goes with it, a cascade);
    - `media` (key: ("image" or "document", id)): an image or a document edited or deleted;
    - `new` (key: (model label, id)): a row no stored answer can show yet (a tag, an image, a
      document, a collection);
    - `bookkeeping` (key: (model label, id)): the file size and hash Wagtail fills in on first read;
    - `redirect` (key: its id); `schedule` (key: the page's id): a revision scheduled or
      unscheduled, which changes the lifetimes answers were given; `restriction` (key: (model
      label, id) of the restriction or group): the groups of a page's view restriction.

    Every kind replaces the content version (every cached answer goes); only the receivers of
    `content_affected` (the stored answers: answers.models.StoredAnswerQuerySet.affected_by) tell
    them apart today.
    """

    kind: str
    key: object = None


EVERYTHING = Affected("everything")


def forget_every_cached_answer():
    """
    Make every cached answer stale now, telling no receiver of `content_affected`: for a database
    whose tables are older than the code (a backup of earlier code just restored, `migrate` still to
    run), where what the receivers keep may have no table yet.
    """
    cache.set(VERSION_KEY, new_version(), timeout=None)
    cache.delete(NEXT_EXPIRY_KEY)
    cache_tags.stamp([cache_tags.ALL])


def bump_content_version(affected, tags=None):
    """
    Make every value kept until the content changes stale once the current transaction (if any)
    commits, report what the change affected (`content_affected`, for the stored answers it drops):
    at once, for what the same transaction reads next (a request publishing what is due, then
    listing), and again after the version has moved, for answers other requests stored meanwhile
    from what they read before the change (they check the version once they have written:
    answers.stored); and purge the answers tagged with what it alters (`tags`, a list;
    publishing.cache_tags; None: everything).
    """

    def bump():
        cache.set(VERSION_KEY, new_version(), timeout=None)
        cache.delete(NEXT_EXPIRY_KEY)
        content_affected.send(sender=Affected, affected=affected, committed=True)

    content_affected.send(sender=Affected, affected=affected, committed=False)
    transaction.on_commit(bump)
    cache_tags.purge([cache_tags.ALL] if tags is None else tags)


# The next scheduled change: go-live and expiry, the two ends of every lifetime

NEXT_GO_LIVE_KEY = "scheduling:next-go-live"
NEXT_EXPIRY_KEY = "content:next-expiry"


def earliest(key, moments):
    """
    Unix time of the first of `moments()` (a queryset of datetimes, in order), or infinity: kept
    in the shared cache under `key` until it is forgotten or `SCHEDULE_RECHECK_SECONDS` pass.
    """
    moment = cache.get(key)
    if moment is None:
        first = moments().first()
        moment = first.timestamp() if first else math.inf
        cache.set(key, moment, timeout=SCHEDULE_RECHECK_SECONDS)
    return moment


def next_go_live():
    """Unix time of the earliest scheduled go-live, or infinity when nothing is scheduled."""
    return earliest(
        NEXT_GO_LIVE_KEY,
        lambda: (
            Revision.objects.filter(approved_go_live_at__isnull=False)
            .order_by("approved_go_live_at")
            .values_list("approved_go_live_at", flat=True)
        ),
    )


def forget_next_go_live():
    """A schedule changed, or what was due has been published: read the next go-live again."""
    cache.delete(NEXT_GO_LIVE_KEY)


def next_expiry():
    """Unix time of the earliest expiry of a live page, or infinity (read again after every bump)."""
    return earliest(
        NEXT_EXPIRY_KEY,
        lambda: (
            Page.objects.filter(live=True, expire_at__gt=timezone.now())
            .order_by("expire_at")
            .values_list("expire_at", flat=True)
        ),
    )


def next_scheduled_change():
    """Unix time at which the next page goes live or expires, or infinity."""
    return min(next_go_live(), next_expiry())


def seconds_to_next_scheduled_change():
    """Seconds until the next page goes live or expires: no cached answer may outlive it."""
    return next_scheduled_change() - time.time()


def lifetime(at_most):
    """Whole seconds an answer may be kept: `at_most`, cut short by the next scheduled change.
    0: do not keep it."""
    return max(0, int(min(at_most, seconds_to_next_scheduled_change())))


# Keeping values, by how long

_in_process = {}


def once_per_request(key, compute):
    """`compute()`, once per request scope for `key` (publishing.scope); every time outside one."""
    memo = request_memo()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def kept_in_process_until_content_changes(key, compute):
    """
    `compute()`, kept in this process until the content version moves (or IN_PROCESS_SECONDS
    pass): for small values every request needs (the sites, the restricted sections), read once
    per change instead of once per request. The version is read once per request scope; while
    the cache cannot give one, nothing is kept.
    """
    version = once_per_request("content-version", content_version)
    if version == UNKNOWN_VERSION or within_a_change():
        return compute()
    now = time.monotonic()
    entry = _in_process.get(key)
    if entry is None or entry[0] != version or entry[1] < now:
        if len(_in_process) >= IN_PROCESS_MAX_ENTRIES:
            _in_process.clear()
        entry = (version, now + IN_PROCESS_SECONDS, compute())
        _in_process[key] = entry
    return entry[2]


def cached_until_content_changes(parts, compute, at_most=SHARED_CACHE_SECONDS):
    """
    `compute()`'s value, in the shared cache under `parts` (JSON-serialisable) and the content
    version: until the content changes, the next scheduled change, or `at_most` seconds.
    """
    if within_a_change():
        return compute()
    material = json.dumps([content_version(), *parts], sort_keys=True, default=str)
    key = "content:value:" + hashlib.sha256(material.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        seconds = lifetime(at_most)
        if seconds:
            cache.set(key, value, timeout=seconds)
    return value


# The content languages' Locale rows (publishing.locales), kept in the shared cache until a Locale
# is saved or deleted (`locale_saved_or_deleted`), not until any content changes.
LOCALES_KEY = "content:locales"


# Receivers

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
# Columns Wagtail fills in on an image or document when first read: in no stored answer.
MEDIA_BOOKKEEPING = {"file_size", "file_hash"}


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


def affected_by(instance, created, update_fields):
    """What a saved or deleted row of CONTENT_MODELS affects."""
    row = (instance._meta.label, instance.pk)
    if isinstance(instance, apps.get_model("wagtailredirects.Redirect")):
        return Affected("redirect", instance.pk)
    if created and isinstance(instance, new_without_answers()):
        return Affected("new", row)
    if update_fields and set(update_fields) <= MEDIA_BOOKKEEPING:
        return Affected("bookkeeping", row)
    for kind, model in (("image", get_image_model()), ("document", get_document_model())):
        if isinstance(instance, model):  # their stored answers name them
            return Affected("media", (kind, instance.pk))
    return EVERYTHING


def content_saved_or_deleted(sender, instance, created=False, update_fields=None, **kwargs):
    if isinstance(instance, content_models()):
        affected = affected_by(instance, created, update_fields)
        bump_content_version(affected, tags_of(affected, instance))


def tags_of(affected, instance):
    """The cache tags a saved or deleted row of CONTENT_MODELS alters (None: everything)."""
    if affected.kind == "bookkeeping":
        return []
    if affected.kind == "new":  # in no answer yet; a new tag, image or document joins its family
        return cache_tags.change_tags(instance) or []
    if isinstance(instance, PageViewRestriction):
        return restriction_tags(instance)
    return cache_tags.change_tags(instance)


def restriction_tags(restriction):
    """
    A page's view restriction added, changed or removed: every page below it appears or disappears,
    each as if it were published or unpublished (the lists it joins or leaves, its neighbours, its
    section's children). Precisely up to RESTRICTION_PRECISE_PAGES pages; a larger section purges
    everything (None), as working out each page's lists would cost more than answering again.
    """
    page = Page.objects.filter(pk=restriction.page_id).only("path").first()
    if page is None:  # the page is being deleted with its restriction: its own receiver purges
        return [cache_tags.family_tag(cache_tags.FAMILY_PAGES)]
    below = list(Page.objects.filter(path__startswith=page.path).specific()[: RESTRICTION_PRECISE_PAGES + 1])
    if len(below) > RESTRICTION_PRECISE_PAGES:
        return None
    languages = Locale.objects.values_list("language_code", flat=True)
    tags = [tag for code in languages for tag in (f"news-{code}", f"lists-{code}")]
    for shown in below:
        tags += [*cache_tags.page_change_tags(shown, subtree=False), f"children-{shown.pk}"]
    return cache_tags.with_families(tags)


def page_changed(sender, instance, **kwargs):
    """
    A page published or unpublished: its own stored answer and those below it (a new slug gives
    every descendant a new path, which Wagtail writes without a signal for them; a body linking
    the page is never stored).
    """
    bump_content_version(Affected("subtree", instance.path), cache_tags.page_change_tags(instance))


def page_moved(sender, instance, parent_page_before=None, **kwargs):
    """A page moved: the paths of it and every page below it, and its former section's children."""
    tags = cache_tags.page_change_tags(instance)
    if parent_page_before is not None:
        # The lists of the language of the tree it left (lists are of a site's tree in a language).
        language = Locale.objects.filter(pk=parent_page_before.locale_id).values_list(
            "language_code", flat=True
        )
        tags += [f"children-{parent_page_before.pk}"]
        tags += [tag for code in language for tag in (f"news-{code}", f"lists-{code}")]
    bump_content_version(Affected("subtree", instance.path), tags)


def page_saved(sender, instance, update_fields=None, **kwargs):
    """A live page saved outside publishing (e.g. by a script), except for draft bookkeeping."""
    if isinstance(instance, Page) and instance.live:
        if update_fields is None or set(update_fields) - DRAFT_BOOKKEEPING:
            bump_content_version(Affected("subtree", instance.path), cache_tags.page_change_tags(instance))


def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        tags = cache_tags.page_change_tags(instance, subtree=False, deleted=True)
        bump_content_version(Affected("page", instance.pk), tags)


def bulk_change(sender=None, **kwargs):
    """publishing.signals.content_changed: a writer changed content in bulk."""
    bump_content_version(EVERYTHING)


def schedule_changed(sender, instance, **kwargs):
    """
    A revision scheduled (or unscheduled) to go live: answers were given lifetimes before it, so
    those the page will change when it goes live are purged now (answered again, they are kept no
    later than its go-live).
    """
    if instance.approved_go_live_at is not None:
        forget_next_go_live()
        page = None
        if instance.base_content_type_id == get_default_page_content_type().pk:
            page = Page.objects.filter(pk=instance.object_id).specific().first()
        tags = cache_tags.page_change_tags(page) if page is not None else None
        bump_content_version(Affected("schedule", instance.object_id), tags)


def restriction_groups_changed(sender, instance, **kwargs):
    """The groups of a page's view restriction (every m2m_changed action, as before and after)."""
    bump_content_version(
        Affected("restriction", (instance._meta.label, instance.pk)), restriction_tags(instance)
    )


def locale_saved_or_deleted(**kwargs):
    """A Locale row saved or deleted: publishing.locales reads them again."""
    cache.delete(LOCALES_KEY)


def connect():
    """Connect every receiver (PublishingConfig.ready); connecting again changes nothing."""
    for signal in (page_published, page_unpublished):
        signal.connect(page_changed, dispatch_uid=f"freshness-{id(signal)}")
    post_page_move.connect(page_moved, dispatch_uid="freshness-page-moved")
    post_save.connect(content_saved_or_deleted, dispatch_uid="freshness-content-saved")
    post_delete.connect(content_saved_or_deleted, dispatch_uid="freshness-content-deleted")
    post_save.connect(page_saved, dispatch_uid="freshness-page-saved")
    post_delete.connect(page_deleted, dispatch_uid="freshness-page-deleted")
    post_save.connect(schedule_changed, sender=Revision, dispatch_uid="freshness-schedule-saved")
    post_delete.connect(schedule_changed, sender=Revision, dispatch_uid="freshness-schedule-deleted")
    content_changed.connect(bulk_change, dispatch_uid="freshness-content-changed")
    m2m_changed.connect(
        restriction_groups_changed,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="freshness-restriction-groups",
    )
    post_save.connect(locale_saved_or_deleted, sender=Locale, dispatch_uid="freshness-locale-saved")
    post_delete.connect(locale_saved_or_deleted, sender=Locale, dispatch_uid="freshness-locale-deleted")
