from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import post_page_move

from .models import CooperationSector, NewsPage


@receiver(post_page_move, dispatch_uid="news-section-after-a-move")
def keep_the_section_of_a_moved_news_page(sender, instance, parent_page_after, **kwargs):
    """A news page moved to another section belongs to it (NewsPage.section)."""
    if issubclass(instance.specific_class or type(instance), NewsPage):
        NewsPage.objects.filter(pk=instance.pk).update(section=parent_page_after.pk)


@receiver(post_save, sender=CooperationSector)
def reindex_news_of_a_renamed_sector(sender, instance, created, update_fields=None, **kwargs):
    """Sector names are indexed with each news page; keep them current after a rename."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    for page in (
        NewsPage.objects.filter(sectors=instance).prefetch_related("sectors").iterator(chunk_size=500)
    ):
        index.insert_or_update_object(page)
