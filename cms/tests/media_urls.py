"""The URLs `make run` serves in development (DEBUG), for tests that run with DEBUG off."""

from cms.media import public_media_urlpatterns
from cms.urls import urlpatterns as project_urlpatterns

urlpatterns = public_media_urlpatterns() + project_urlpatterns
