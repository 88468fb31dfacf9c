"""
Admin labels no catalog reaches, in the site's language (docs/translation.md):

- **Permission names.** Django writes them into the database in English when it creates them
  ("Can add group"), and Wagtail's group editor shows them (to screen readers, beside each
  checkbox). After every `migrate`, each name is rewritten from its source: "Can <action>
  <model>" for Django's default permissions, the model's own label for the others (Wagtail's
  "Publish any page"), translated into `LANGUAGE_CODE`.
- **Fields and columns without a label** (the page field of a group's page permissions, the sites
  listing's columns): Django shows their names, "Page", "Port", "Site name".
- **Third-party labels that are plain strings** (django-otp's model names) are listed here so
  that our catalog can carry them.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
    # Wagtail's, for snippets with drafts (publish) and locking (lock, unlock).
    "publish": _("Can publish %(model)s"),
    "lock": _("Can lock %(model)s"),
    "unlock": _("Can unlock %(model)s"),
}

THIRD_PARTY_LABELS = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("TOTP device"),
    gettext_noop("static device"),
    gettext_noop("static token"),
    gettext_noop("Can choose document"),  # Wagtail's, not marked for translation
    gettext_noop("Can choose image"),
    gettext_noop("Can submit translations"),  # wagtail.contrib.simple_translation's
]


def permission_name(permission):
    """The name this permission should have, in the site's language (None: leave it)."""
    model = permission.content_type.model_class()
    if model is None:
        return None
    custom = dict(model._meta.permissions).get(permission.codename)
    if custom is not None:
        return gettext(str(custom))
    action, _separator, model_name = permission.codename.partition("_")
    if action in ACTIONS and model_name == permission.content_type.model:
        return str(ACTIONS[action]) % {"model": gettext(str(model._meta.verbose_name))}
    return None


def name_permissions(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate, for each app: its permissions (created first if Django has not yet), named."""
    create_permissions(sender, verbosity=0, using=using)  # skips those that exist
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using).filter(content_type__app_label=sender.label)
    with translation.override(settings.LANGUAGE_CODE):
        for permission in permissions.select_related("content_type"):
            name = permission_name(permission)
            if name and name[:255] != permission.name:
                permission.name = name[:255]
                permission.save(update_fields=["name"], using=using)


def label_unlabelled_fields():
    """Fields and columns Wagtail declares without a label: Django shows their English names."""
    from wagtail.sites.views import IndexView as SitesIndexView
    from wagtail.users.forms import PagePermissionsForm

    PagePermissionsForm.base_fields["page"].label = _("Page")
    site_columns = {"port": _("Port"), "site_name": _("Site name"), "root_page": _("Root page")}
    for column in SitesIndexView.columns:
        if column.name in site_columns:
            column.label = site_columns[column.name]
