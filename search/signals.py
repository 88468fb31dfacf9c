"""Keeps the news search index (search/index.py) in step with the pages, in their transaction."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from news.models import CooperationSector, NewsPage
from publishing.signals import pages_written

from . import index

# The columns the index reads (search.index.texts and the sort key), and whether the page is live.
INDEXED = {"title", "date", "author", "intro", "body", "live"}


@receiver(post_save, sender=NewsPage, dispatch_uid="news-search-page-saved")
def page_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """
    A live page's row holds its live content: indexed; a page saved not live: removed. Saving a
    draft writes only bookkeeping columns (`update_fields`) while the instance holds the draft:
    nothing to do then; a partial save of indexed columns is indexed from the row as saved.
    """
    if raw:
        return
    if update_fields is not None:
        if set(update_fields) & INDEXED:
            index.index_ids([instance.pk])
        return
    if instance.live:
        index.index([instance])
    else:
        index.remove([instance.pk])


@receiver(post_delete, sender=NewsPage, dispatch_uid="news-search-page-deleted")
def page_deleted(sender, instance, **kwargs):
    index.remove([instance.pk])


@receiver(post_save, sender=CooperationSector, dispatch_uid="news-search-sector-renamed")
def sector_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """Sector names are indexed with each news page: a rename re-indexes its pages."""
    if raw or created or (update_fields is not None and "name" not in update_fields):
        return
    index.index_ids(NewsPage.objects.live().filter(sectors=instance).values_list("pk", flat=True))


@receiver(pages_written, dispatch_uid="news-search-pages-written")
def bulk_written(sender, ids, **kwargs):
    if issubclass(sender, NewsPage):
        index.index_ids(ids)
