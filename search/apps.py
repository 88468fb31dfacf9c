import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate

logger = logging.getLogger("search")


def index_existing_news(sender, using="default", **kwargs):
    """After `migrate`, a database with news but an empty news search index gets it built once."""
    if sender.label != "news":  # post_migrate comes once per app with models; this app has none
        return
    from news.models import NewsPage

    from . import index

    if index.is_empty() and NewsPage.objects.live().exists():
        logger.warning("Building the news search index for %d live news pages ...", index.rebuild())


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Tìm kiếm"

    def ready(self):
        from . import signals  # noqa: F401 (connects its receivers)

        post_migrate.connect(index_existing_news, dispatch_uid="news-search-index-existing")
