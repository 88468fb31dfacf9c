from django.urls import path

from . import views

app_name = "feeds"

urlpatterns = [
    path("tin-tuc.xml", views.latest_news, name="latest-news"),
    path("linh-vuc/<slug:slug>.xml", views.sector_news, name="sector-news"),
    # English (docs/localisation.md): the same feeds of the English pages.
    path("en/news.xml", views.latest_news, {"language": "en"}, name="latest-news-en"),
    path("en/sectors/<slug:slug>.xml", views.sector_news, {"language": "en"}, name="sector-news-en"),
]
