from wagtail import hooks

from .views import news_page_listing_viewset


@hooks.register("register_admin_viewset")
def register_news_page_listing():
    return news_page_listing_viewset
