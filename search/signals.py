"""
Keeps the news search index (search/index.py) in step with the pages, in their transaction.

Wagtail saves some pages as plain `Page` objects — bulk unpublishing, expiry by
`publish_scheduled`, unpublishing a page's aliases — so the receivers listen to every page and
look at its specific class.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page

from news.models import CooperationSector, NewsPage
from publishing.signals import pages_written

from . import index

# The columns the index reads (search.index.texts and the sort key), and whether the page is live.
INDEXED = {"title", "date", "author", "intro", "body", "live"}


def is_news(instance):
    return isinstance(instance, Page) and issubclass(instance.specific_class or Page, NewsPage)


@receiver(post_save, dispatch_uid="news-search-page-saved")
def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """
    A live page's row holds its live content: indexed; a page saved not live: removed. Saving a
    draft writes only bookkeeping columns (`update_fields`) while the instance holds the draft:
    nothing to do then; a partial save of indexed columns is indexed from the row as saved, as is
    a news page saved as a plain `Page`.
    """
    if raw or not is_news(instance):
        return
    if update_fields is not None:
        if set(update_fields) & INDEXED:
            index.index_ids([instance.pk])
    elif not isinstance(instance, NewsPage):
        index.index_ids([instance.pk])
    elif instance.live:
        index.index([instance])
    else:
        index.remove([instance.pk])


@receiver(post_delete, dispatch_uid="news-search-page-deleted")
def page_deleted(sender, instance, **kwargs):
    if is_news(instance):
        index.remove([instance.pk])


@receiver(post_save, sender=CooperationSector, dispatch_uid="news-search-sector-renamed")
def sector_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """
    Sector names are indexed with each news page, in the page's language: a rename re-indexes the
    pages of its language, and so does a new translation (its pages were indexed with the
    original's name).
    """
    if raw or (update_fields is not None and "name" not in update_fields):
        return
    pages = NewsPage.objects.live().filter(
        sectors__translation_key=instance.translation_key, locale_id=instance.locale_id
    )
    index.index_ids(pages.values_list("pk", flat=True).distinct())


@receiver(pre_delete, sender=CooperationSector, dispatch_uid="news-search-sector-deleting")
def sector_deleting(sender, instance, **kwargs):
    instance._indexed_pages = list(
        NewsPage.objects.live().filter(sectors=instance).values_list("pk", flat=True)
    )


@receiver(post_delete, sender=CooperationSector, dispatch_uid="news-search-sector-deleted")
def sector_deleted(sender, instance, **kwargs):
    """A deleted sector's name and id leave its pages' rows."""
    index.index_ids(getattr(instance, "_indexed_pages", []))


@receiver(pages_written, dispatch_uid="news-search-pages-written")
def bulk_written(sender, ids, **kwargs):
    if issubclass(sender, NewsPage):
        index.index_ids(ids)
