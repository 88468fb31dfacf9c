from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("tin-tuc.xml", views.latest_news, name="latest-news"),
    path("linh-vuc/<slug:slug>.xml", views.sector_news, name="sector-news"),
]
