from .models import StoredAnswer


def drop_affected_answers(sender, affected, **kwargs):
    """
    Drop the stored answers a change affects (publishing.signals.content_affected): sent in the
    change's own transaction, for what it reads next, and again once it has committed, for answers
    other requests stored meanwhile from what they read before it (answers.stored).
    """
    forget = StoredAnswer.objects.affected_by(affected)
    if forget is not None:
        # One DELETE statement: `delete()` would load every row first, as publishing.freshness's
        # receivers of post_delete listen to every model.
        forget._raw_delete(forget.db)
