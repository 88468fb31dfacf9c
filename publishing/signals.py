from django.dispatch import Signal

# Sent by code that changes public content without Wagtail's own signals (bulk imports and
# generators), so caches of public answers can drop what they hold.
content_changed = Signal()

# Sent by code that writes live pages in bulk without saving them one by one (news.generate), with
# the `ids` written, in the same transaction: indexes and caches of those pages catch up.
pages_written = Signal()

# Sent by publishing.freshness for each change it works out, with what it `affected`
# (freshness.Affected), twice: at once, in the change's own transaction (`committed=False`), and
# again once that has committed and the content version has moved (`committed=True`). What keeps
# public answers of its own (answers.signals: the stored answers) drops what the change affects.
content_affected = Signal()

# Sent by publishing.cache_tags for each change, with the `tags` (a sorted list of str; ["all"] for
# everything) of the public answers it may alter, inside the change's transaction when there is one:
# receivers act once it commits (transaction.on_commit). The project's own response cache is
# stamped first (publishing.cache_tags); CDN purges and webhooks follow (webhooks.purging).
tags_purged = Signal()
