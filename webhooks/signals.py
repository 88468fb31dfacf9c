"""
What frontends are told about: news pages and sectors changing (docs/webhooks.md).

A page readers can no longer see is reported like an unpublish, and one they can see again like a
publish, whatever hid or showed it: an unpublish or publish, a view restriction added to or removed
from it or a section above it, a move into or out of a restricted section. A page whose images or
documents become hidden or shown again (a collection's restriction, a file moved to another
collection) is reported like a publish: it is still shown, with other content. A page readers
cannot see is never announced as published or moved.
"""

import threading

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, pre_page_move

from api.languages import path_in_site
from news.models import CooperationSector, NewsIndexPage, NewsPage
from publishing.cache_tags import page_change_tags
from publishing.locales import locale_by_id

from . import app_settings, hidden
from .delivery import emit

NEWS = (NewsPage,)
MOVES = (NewsPage, NewsIndexPage)  # a moved news index moves every news page in it


class _State(threading.local):
    """
    Per thread: what a page's address was before a publish changed it; news pages, and pages,
    being deleted; what readers saw before a restriction, a move or a file's collection changed.
    """

    def __init__(self):
        self.previous = {}
        self.deleting = set()
        self.vanishing = set()
        self.before = {}
        self.moves = {}


_state = _State()


def relative_path(url_path):
    """
    A tree path (/home/tin-tuc/x/) as GraphQL's `urlPath`, relative to its site (/tin-tuc/x/);
    below the English translation of the site's root, with the language prefix (/en/news/x/).
    """
    roots = [root for root in Site.get_site_root_paths() if url_path.startswith(root.root_path)]
    if not roots:
        return None  # not under any site: not reachable by readers
    root = max(roots, key=lambda root: len(root.root_path))
    return path_in_site(url_path, root.root_path, root.language_code)


def emit_page(event, page, types=NEWS, **fields):
    if not app_settings.WEBHOOK_URLS:
        return  # the tags cost queries: none without a target
    page = page.specific_deferred if type(page) is Page else page
    if isinstance(page, types):
        emit(
            event,
            page._meta.label,
            page.pk,
            slug=page.slug,
            urlPath=relative_path(page.url_path),
            locale=locale_by_id(page.locale_id).language_code,
            tags=page_change_tags(page),
            **fields,
        )


@receiver(pre_save, dispatch_uid="webhooks-page-address")
def remember_previous_address(sender, instance, raw=False, **kwargs):
    """Publishing a new slug changes the page's address (and, for an index, its news pages')."""
    if raw or not app_settings.WEBHOOK_URLS or not isinstance(instance, MOVES) or instance.pk is None:
        return
    previous = Page.objects.filter(pk=instance.pk).values_list("url_path", flat=True).first()
    if previous and previous != instance.url_path:
        _state.previous[instance.pk] = previous
    else:
        _state.previous.pop(instance.pk, None)


@receiver(page_published, dispatch_uid="webhooks-page-published")
def page_was_published(sender, instance, **kwargs):
    previous = _state.previous.pop(instance.pk, None)
    if not instance.live:
        # Wagtail sends `page_published` when a first publication is only scheduled: frontends
        # must not learn the address before readers may see it. The event goes out when the
        # page goes live (publish_scheduled, or the first request after its time).
        return
    if app_settings.WEBHOOK_URLS and hidden.page_restricted(instance.path):
        # Readers cannot see it: it was reported like an unpublish when it became hidden (or never
        # shown), and will be reported like a publish if its restriction goes.
        return
    moved = {"previousUrlPath": relative_path(previous)} if previous else {}
    emit_page("page.published", instance, **moved)
    if moved and isinstance(instance, NewsIndexPage):
        emit_page("page.moved", instance, MOVES, **moved)


@receiver(page_unpublished, dispatch_uid="webhooks-page-unpublished")
def page_was_unpublished(sender, instance, **kwargs):
    if instance.pk not in _state.deleting:  # deleting a live page unpublishes it first: one event
        emit_page("page.unpublished", instance)


@receiver(pre_page_move, dispatch_uid="webhooks-page-will-move")
def page_will_move(sender, instance, parent_page_after, **kwargs):
    """Whether the page is hidden by a restriction before and after, and, when the move hides it,
    the news pages readers see in it now (with the addresses they know)."""
    if not app_settings.WEBHOOK_URLS:
        return
    paths = dict(Page.objects.filter(pk__in=[instance.pk, parent_page_after.pk]).values_list("pk", "path"))
    hidden_before = hidden.page_restricted(paths[instance.pk])
    hidden_after = hidden.restricted_once_moved(instance.pk, paths[parent_page_after.pk])
    shown = list(hidden.visible_news(paths[instance.pk])) if hidden_after and not hidden_before else []
    _state.moves[instance.pk] = (hidden_before, hidden_after, shown)


@receiver(post_page_move, dispatch_uid="webhooks-page-moved")
def page_was_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    hidden_before, hidden_after, shown = _state.moves.pop(instance.pk, (False, False, []))
    if hidden_after and not hidden_before:  # into a restricted section: gone from where it was
        for page in shown:
            emit_page("page.unpublished", page)  # loaded before the move: the old address
    elif hidden_before and not hidden_after:  # out of one: there for the first time
        for page in hidden.visible_news(instance.path):
            emit_page("page.published", page)
    elif hidden_before:
        return  # from hidden to hidden: nothing readers could see moved
    elif url_path_before != url_path_after:  # a reorder among siblings changes no address
        emit_page("page.moved", instance, MOVES, previousUrlPath=relative_path(url_path_before))


@receiver(pre_delete, sender=NewsPage, dispatch_uid="webhooks-news-deleted")
def news_page_will_be_deleted(sender, instance, **kwargs):
    # Before: afterwards the page has no address. The rows are written in the same transaction,
    # so they are sent only if the deletion commits. (Django deletes the NewsPage row before its
    # Page row, so this runs before Wagtail unpublishes the page on its way out.)
    _state.deleting.add(instance.pk)
    emit_page("page.deleted", instance)


@receiver(pre_delete, sender=Page, dispatch_uid="webhooks-page-vanishing")
def page_will_be_deleted(sender, instance, **kwargs):
    # Django sends every pre_delete of a deletion before it deletes any row: a view restriction
    # deleted with its page (a cascade) knows that its pages are going too, not shown again.
    _state.vanishing.add(instance.pk)


@receiver(post_delete, sender=Page, dispatch_uid="webhooks-page-deleted")
def page_was_deleted(sender, instance, **kwargs):
    _state.deleting.discard(instance.pk)
    _state.vanishing.discard(instance.pk)


# View restrictions: what readers saw before a restriction is saved or deleted, compared with what
# they see after it. Wagtail's privacy modals create, change and delete these rows (the groups of
# a restriction change who may see, not whether readers may: it hides from them either way).


def _remember(instance, state):
    _state.before[(type(instance), id(instance))] = (instance, state)


def _recall(instance):
    instance_before, state = _state.before.pop((type(instance), id(instance)), (None, None))
    return state if instance_before is instance else None


@receiver(pre_save, sender=PageViewRestriction, dispatch_uid="webhooks-page-restriction-saving")
@receiver(pre_delete, sender=PageViewRestriction, dispatch_uid="webhooks-page-restriction-deleting")
def page_restriction_will_change(sender, instance, raw=False, **kwargs):
    if raw or not app_settings.WEBHOOK_URLS:
        return
    pages = {instance.page_id}  # the page it restricts, and the one it restricted if moved
    if instance.pk is not None:
        pages |= set(PageViewRestriction.objects.filter(pk=instance.pk).values_list("page_id", flat=True))
    paths = list(Page.objects.filter(pk__in=pages - {None}).values_list("path", flat=True))
    _remember(instance, (paths, {page.pk: page for path in paths for page in hidden.visible_news(path)}))


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="webhooks-page-restriction-saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="webhooks-page-restriction-deleted")
def page_restriction_changed(sender, instance, **kwargs):
    state = _recall(instance)
    if state is None or instance.page_id in _state.vanishing:
        return
    paths, shown_before = state
    shown = {page.pk: page for path in paths for page in hidden.visible_news(path)}
    for pk, page in shown_before.items():
        if pk not in shown:
            emit_page("page.unpublished", page)
    for pk, page in shown.items():
        if pk not in shown_before and pk not in _state.vanishing:
            emit_page("page.published", page)


def report_pages_showing(images=(), documents=()):
    """The pages readers see with one of these images or documents: what they show changed."""
    for page in hidden.news_showing(set(images), set(documents)):
        emit_page("page.published", page)


@receiver(pre_save, sender=CollectionViewRestriction, dispatch_uid="webhooks-collection-restriction-saving")
@receiver(
    pre_delete, sender=CollectionViewRestriction, dispatch_uid="webhooks-collection-restriction-deleting"
)
def collection_restriction_will_change(sender, instance, raw=False, **kwargs):
    if raw or not app_settings.WEBHOOK_URLS:
        return
    collections = {instance.collection_id}
    if instance.pk is not None:
        collections |= set(
            CollectionViewRestriction.objects.filter(pk=instance.pk).values_list("collection_id", flat=True)
        )
    paths = list(Collection.objects.filter(pk__in=collections - {None}).values_list("path", flat=True))
    _remember(instance, (paths, hidden.visible_collections(paths)))


@receiver(post_save, sender=CollectionViewRestriction, dispatch_uid="webhooks-collection-restriction-saved")
@receiver(
    post_delete, sender=CollectionViewRestriction, dispatch_uid="webhooks-collection-restriction-deleted"
)
def collection_restriction_changed(sender, instance, **kwargs):
    state = _recall(instance)
    if state is None:
        return
    paths, shown_before = state
    report_pages_showing(*hidden.media_in(shown_before ^ hidden.visible_collections(paths)))


def media_will_be_saved(sender, instance, raw=False, **kwargs):
    """An image or a document moved to another collection may become hidden, or shown again."""
    update_fields = kwargs.get("update_fields")
    if raw or not app_settings.WEBHOOK_URLS or instance.pk is None:
        return
    if update_fields is not None and not {"collection", "collection_id"} & set(update_fields):
        return  # e.g. Wagtail filling in a file's size or hash
    before = sender.objects.filter(pk=instance.pk).values_list("collection_id", flat=True).first()
    if before is not None and before != instance.collection_id:
        if hidden.collection_restricted(before) != hidden.collection_restricted(instance.collection_id):
            _remember(instance, True)


def media_saved(sender, instance, raw=False, **kwargs):
    if _recall(instance):
        kind = "images" if issubclass(sender, get_image_model()) else "documents"
        report_pages_showing(**{kind: [instance.pk]})


def media_moved(model, collections_before):
    """
    Images or documents ({pk: collection id before}) moved in bulk (the admin's "Add to
    collection", one UPDATE without signals): report the pages of those now hidden or shown again.
    """
    if not app_settings.WEBHOOK_URLS:
        return
    now = dict(model.objects.filter(pk__in=collections_before).values_list("pk", "collection_id"))
    restricted = {}

    def is_restricted(collection_id):
        if collection_id not in restricted:
            restricted[collection_id] = hidden.collection_restricted(collection_id)
        return restricted[collection_id]

    changed = [
        pk
        for pk, before in collections_before.items()
        if pk in now and is_restricted(before) != is_restricted(now[pk])
    ]
    if changed:
        kind = "images" if issubclass(model, get_image_model()) else "documents"
        report_pages_showing(**{kind: changed})


def connect_media_receivers():
    for model in (get_image_model(), get_document_model()):
        label = model._meta.label
        pre_save.connect(media_will_be_saved, sender=model, dispatch_uid=f"webhooks-media-saving-{label}")
        post_save.connect(media_saved, sender=model, dispatch_uid=f"webhooks-media-saved-{label}")


connect_media_receivers()  # the image and document models are swappable: known once apps are loaded


@receiver(post_save, sender=CooperationSector, dispatch_uid="webhooks-sector-saved")
def sector_was_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        emit_sector("sector.created" if created else "sector.updated", instance)


@receiver(post_delete, sender=CooperationSector, dispatch_uid="webhooks-sector-deleted")
def sector_was_deleted(sender, instance, **kwargs):
    emit_sector("sector.deleted", instance)


def emit_sector(event, sector):
    if not app_settings.WEBHOOK_URLS:
        return
    emit(
        event,
        "news.CooperationSector",
        sector.pk,
        slug=sector.slug,
        urlPath=None,
        locale=locale_by_id(sector.locale_id).language_code,
        tags=sector_tags(sector),
    )


def sector_tags(sector):
    """What a sector's change purges: its own tag and its translations' (their names show in each
    language's answers), and every list of sectors."""
    translations = type(sector).objects.filter(translation_key=sector.translation_key).exclude(pk=sector.pk)
    return sorted(
        {
            f"sector-{sector.pk}",
            "sectors",
            *(f"sector-{pk}" for pk in translations.values_list("pk", flat=True)),
        }
    )
