from django.apps import AppConfig


class CmsConfig(AppConfig):
    """
    The project package as an app. Listed after grapple in INSTALLED_APPS: by the time `ready()`
    runs grapple has built its types, and the changes we make to them are installed once
    (cms/graphql/grapple_overrides.py), and the admin labels no catalog reaches are set
    (cms/admin_labels.py). Start-up fails if graphql-core changed what our executors rely on
    (cms/graphql/execution.py); a system check builds every stored answer's shape
    (cms/graphql/stored.py). The receivers that keep cached answers current are publishing's
    (publishing/freshness.py).
    """

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from . import admin_labels
        from .graphql import execution, grapple_overrides, stored

        grapple_overrides.install()
        execution.check_graphql_core()
        checks.register(stored.check_shapes, "graphql")
        admin_labels.label_unlabelled_fields()
        post_migrate.connect(admin_labels.name_permissions, dispatch_uid="cms_name_permissions")
