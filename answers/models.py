from django.db import models
from django.utils.translation import gettext_lazy as _


def media_token(kind, pk):
    """How StoredAnswer.media names one image or document ("image", 3): match with `media__contains`."""
    return f" {kind}:{pk} "


class StoredAnswerQuerySet(models.QuerySet):
    def affected_by(self, affected):
        """
        The answers a change drops (publishing.freshness.Affected), or None for none: every answer
        for `everything`; a page's and every page's below it for `subtree`; the answers showing an
        image or a document for `media`. Other kinds (a new row, a redirect, a schedule) drop none.
        """
        if affected.kind == "everything":
            return self.all()
        if affected.kind == "subtree":
            return self.filter(page__path__startswith=affected.key)
        if affected.kind == "media":
            return self.filter(media__contains=media_token(*affected.key))
        return None


class StoredAnswer(models.Model):
    """
    A live page's public answer, stored: what the GraphQL API answers for the page's plain fields
    (answers.stored), so a list reads one row per page instead of building page objects and
    parsing their bodies. Written when a page is first read after it is published, dropped when
    something it shows changes (`affected_by`, answers.signals); `shape` names the fields and code
    it was written with, and a row of another shape is written again.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="stored_answer"
    )
    shape = models.CharField(max_length=64)
    # Null: the page is answered from the database (its body links another page, or it holds a
    # block the shape does not store).
    data = models.JSONField(null=True)
    # The images and documents the answer shows, as " image:3  document:7 " (media_token): an
    # edit of one drops the answers that show it, not every answer.
    media = models.TextField(blank=True, default="")

    objects = StoredAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored answer")
        verbose_name_plural = _("stored answers")

    def __str__(self):
        return f"{self.page_id} ({self.shape[:8]})"
