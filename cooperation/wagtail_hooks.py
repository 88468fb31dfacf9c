from wagtail.snippets.models import register_snippet

from .views import CooperationViewSetGroup

register_snippet(CooperationViewSetGroup)
