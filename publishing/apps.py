from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """
    The rules every public read follows: what readers may see and when (visibility, scheduling,
    previews), how pages are addressed (Vietnamese slugs) and how their bodies are fetched and
    shown (prefetching, rich text). It depends on Django and Wagtail only; everything else
    depends on it.
    """

    name = "publishing"
    verbose_name = "Xuất bản"

    def ready(self):
        from .slugs import register_slug_widget

        register_slug_widget()
