from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditorialConfig(AppConfig):
    name = "editorial"
    label = "editorial"
    verbose_name = _("Editorial workflow")

    def ready(self):
        from django.db.models.signals import post_save

        from news.models import NewsIndexPage

        from .roles import open_news_desk

        post_save.connect(open_news_desk, sender=NewsIndexPage, dispatch_uid="editorial_open_news_desk")
