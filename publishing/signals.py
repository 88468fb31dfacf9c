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
