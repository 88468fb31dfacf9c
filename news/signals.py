from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.search import index

from .models import CooperationSector, NewsPage


@receiver(post_save, sender=CooperationSector)
def reindex_news_of_a_renamed_sector(sender, instance, created, update_fields=None, **kwargs):
    """Sector names are indexed with each news page; keep them current after a rename."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    for page in (
        NewsPage.objects.filter(sectors=instance).prefetch_related("sectors").iterator(chunk_size=500)
    ):
        index.insert_or_update_object(page)
