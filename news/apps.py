from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News")

    def ready(self):
        from django.db.models.signals import pre_save

        from publishing import cache_tags

        from . import signals  # noqa: F401 (connects its receivers)
        from .models import NewsPage
        from .related import change_tags, note_placement

        cache_tags.CHANGE_TAGS[NewsPage] = change_tags
        pre_save.connect(note_placement, sender=NewsPage, dispatch_uid="news-note-placement")
