from django.apps import AppConfig


class CmsConfig(AppConfig):
    """
    The project package as an app. Listed after grapple in INSTALLED_APPS: by the time `ready()`
    runs grapple has built its types, and the changes we make to them are installed once
    (cms/graphql/grapple_overrides.py); the receivers that keep cached answers current are
    connected here too (cms/graphql/invalidation.py), and the admin labels no catalog reaches are
    set (cms/admin_labels.py), and every content language has its Locale (publishing/locales.py).
    """

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale

        from publishing.locales import ensure_locales, forget_locales

        from . import admin_labels
        from .graphql import grapple_overrides, invalidation

        grapple_overrides.install()
        invalidation.connect()
        admin_labels.label_unlabelled_fields()
        post_migrate.connect(admin_labels.name_permissions, dispatch_uid="cms_name_permissions")
        post_migrate.connect(ensure_locales, dispatch_uid="cms_ensure_locales")
        for signal in (post_save, post_delete):
            signal.connect(forget_locales, sender=Locale, dispatch_uid=f"cms_forget_locales_{id(signal)}")
