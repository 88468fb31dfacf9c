from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as cms_urlpatterns

api = WagtailAPIRouter("benchapi")
api.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [path("api/v2/", api.urls), *cms_urlpatterns]
