"""What frontends are told about: news pages and sectors changing (docs/webhooks.md)."""

import threading

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from cms.graphql.languages import path_in_site
from news.models import CooperationSector, NewsIndexPage, NewsPage
from publishing.locales import locale_by_id

from .delivery import emit

NEWS = (NewsPage,)
MOVES = (NewsPage, NewsIndexPage)  # a moved news index moves every news page in it


class _State(threading.local):
    """Per thread: what a page's address was before a publish changed it; pages being deleted."""

    def __init__(self):
        self.previous = {}
        self.deleting = set()


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
    page = page.specific_deferred if type(page) is Page else page
    if isinstance(page, types):
        emit(
            event,
            page._meta.label,
            page.pk,
            slug=page.slug,
            urlPath=relative_path(page.url_path),
            locale=locale_by_id(page.locale_id).language_code,
            **fields,
        )


@receiver(pre_save, dispatch_uid="webhooks-page-address")
def remember_previous_address(sender, instance, raw=False, **kwargs):
    """Publishing a new slug changes the page's address (and, for an index, its news pages')."""
    if raw or not settings.WEBHOOK_URLS or not isinstance(instance, MOVES) or instance.pk is None:
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
    moved = {"previousUrlPath": relative_path(previous)} if previous else {}
    emit_page("page.published", instance, **moved)
    if moved and isinstance(instance, NewsIndexPage):
        emit_page("page.moved", instance, MOVES, **moved)


@receiver(page_unpublished, dispatch_uid="webhooks-page-unpublished")
def page_was_unpublished(sender, instance, **kwargs):
    if instance.pk not in _state.deleting:  # deleting a live page unpublishes it first: one event
        emit_page("page.unpublished", instance)


@receiver(post_page_move, dispatch_uid="webhooks-page-moved")
def page_was_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    if url_path_before != url_path_after:  # a reorder among siblings changes no address
        emit_page("page.moved", instance, MOVES, previousUrlPath=relative_path(url_path_before))


@receiver(pre_delete, sender=NewsPage, dispatch_uid="webhooks-news-deleted")
def news_page_will_be_deleted(sender, instance, **kwargs):
    # Before: afterwards the page has no address. The rows are written in the same transaction,
    # so they are sent only if the deletion commits. (Django deletes the NewsPage row before its
    # Page row, so this runs before Wagtail unpublishes the page on its way out.)
    _state.deleting.add(instance.pk)
    emit_page("page.deleted", instance)


@receiver(post_delete, sender=Page, dispatch_uid="webhooks-page-deleted")
def page_was_deleted(sender, instance, **kwargs):
    _state.deleting.discard(instance.pk)


@receiver(post_save, sender=CooperationSector, dispatch_uid="webhooks-sector-saved")
def sector_was_saved(sender, instance, created, raw=False, **kwargs):
    if not raw:
        emit_sector("sector.created" if created else "sector.updated", instance)


@receiver(post_delete, sender=CooperationSector, dispatch_uid="webhooks-sector-deleted")
def sector_was_deleted(sender, instance, **kwargs):
    emit_sector("sector.deleted", instance)


def emit_sector(event, sector):
    emit(
        event,
        "news.CooperationSector",
        sector.pk,
        slug=sector.slug,
        urlPath=None,
        locale=locale_by_id(sector.locale_id).language_code,
    )
