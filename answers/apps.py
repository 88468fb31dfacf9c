from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnswersConfig(AppConfig):
    """
    The read model: each live news page's public answer, stored (`models.StoredAnswer`), the shapes
    they are written in, projecting them onto a query and writing them (`stored.py`), and
    `manage.py warm_stored_answers`. A system check builds every shape at start-up
    (`stored.check_shapes`); `signals.py` drops the answers each change affects, as
    publishing.freshness reports it.
    """

    name = "answers"
    verbose_name = _("stored answers")

    def ready(self):
        from django.core import checks

        from publishing.signals import content_affected

        from . import signals, stored

        checks.register(stored.check_shapes, "graphql")
        content_affected.connect(signals.drop_affected_answers, dispatch_uid="answers_drop_affected")
