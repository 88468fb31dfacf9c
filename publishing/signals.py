from django.dispatch import Signal

# Sent by code that changes public content without Wagtail's own signals (bulk imports and
# generators), so caches of public answers can drop what they hold.
content_changed = Signal()
