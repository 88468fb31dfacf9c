from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """
    Backups of the database and media in one signed archive (`archives.py`), written by
    `manage.py backup` and read back by `manage.py restore` (docs/backups.md).
    """

    name = "backups"
    verbose_name = "Backups"
