from django.apps import AppConfig


class CmsConfig(AppConfig):
    """
    The project package as an app: the admin labels no catalog reaches (cms/admin_labels.py), set
    once every app's models are loaded, and the project's own management commands.
    """

    name = "cms"
    verbose_name = "CMS"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import admin_labels

        admin_labels.label_unlabelled_fields()
        post_migrate.connect(admin_labels.name_permissions, dispatch_uid="cms_name_permissions")
