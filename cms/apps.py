from django.apps import AppConfig


class CmsConfig(AppConfig):
    """The project package as an app, so project-wide signal receivers are connected at start."""

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from . import signals  # noqa: F401
