from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """
    The rules every public read follows: what readers may see and when (visibility, scheduling,
    previews), how long what was read may be kept (freshness), how pages are addressed
    (Vietnamese slugs) and how their bodies are fetched and shown (prefetching, rich text). It
    depends on Django and Wagtail only; everything else depends on it.

    `ready()` connects the receivers that keep cached answers current (publishing/freshness.py)
    and gives every content language its Locale after migrating (publishing/locales.py); calling
    it again connects nothing twice.
    """

    name = "publishing"
    verbose_name = "Xuất bản"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import freshness
        from .locales import ensure_locales
        from .slugs import register_slug_widget

        register_slug_widget()
        freshness.connect()
        post_migrate.connect(ensure_locales, dispatch_uid="publishing-ensure-locales")
