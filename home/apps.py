from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = "Trang chủ"

    def ready(self):
        from . import scheduling  # noqa: F401 (connects its signal receivers)
        from .slugs import register_slug_widget

        register_slug_widget()
