"""
The feeds, as Django syndication feeds: the latest news of the default site, and the latest news
of one cooperation sector; in Vietnamese, and the same two in English (docs/feeds.md). Only what
anonymous readers may see, by the same querysets as GraphQL (`NewsPage.objects.visible_in`,
`publishing.visibility.media_is_visible`).

Links point to the frontend (FRONTEND_BASE_URL): the site's home lists the news (`/`, `/en/` in
English, a sector's with `?sector=<slug>`), an article lives at its path within the site
(`/tin-tuc/<slug>/`, `/en/news/<slug>/`: the `urlPath` GraphQL gives). Images are the URLs GraphQL
hands out for the same rendition.

Everything here runs inside a request scope (feeds.views): the default site and the restricted
sections are read once per feed, not once per item.
"""

import datetime
import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import FileSystemStorage
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _
from grapple.utils import get_media_item_url
from wagtail.images import get_image_model

from api.languages import path_in_site, path_prefix
from news.models import CooperationSector, NewsPage
from publishing.cache_tags import record
from publishing.locales import locale_for
from publishing.visibility import media_is_visible, site_for, site_root

# Items in a feed: the newest this many.
FEEDS_ITEMS = 30
# The hero image's rendition in an enclosure: one of ALLOWED_IMAGE_FILTERS (a test checks), so a
# feed makes no image size GraphQL would not.
IMAGE_FILTER = "width-1200"
# Each feed's content is in its own language whatever the reader's browser asks for.
VIETNAMESE, ENGLISH = "vi", "en"


class RssFeed(Rss201rev2Feed):
    content_type = "application/rss+xml; charset=utf-8"


def frontend_url(path):
    return settings.FRONTEND_BASE_URL.rstrip("/") + path


def default_site():
    site = site_for(None)
    if site is None:  # a CMS not set up yet: no site, no feed
        raise Http404("No default site.")
    return site


def site_name():
    return default_site().site_name or settings.WAGTAIL_SITE_NAME


def home_path(language):
    """The frontend's news list in `language`: "/" or "/en/"."""
    return path_prefix(locale_for(language)) + "/"


def site_path(page, language):
    """
    The page's path within the default site, e.g. `/tin-tuc/bai-viet/` or `/en/news/article/`
    (GraphQL's `urlPath`).
    """
    root = site_root(default_site(), locale_for(language))
    return path_in_site(page.url_path, root.url_path, language)


def latest_news(language, sector=None):
    """The newest visible news of the default site in `language` (of `sector`), as the items show them."""
    news = NewsPage.objects.visible_in(default_site(), locale_for(language))
    if sector is not None:
        news = news.filter(sectors=sector)
    news = (
        news.defer_streamfields()
        .order_by("-date", F("first_published_at").desc(nulls_last=True), "-pk")
        .prefetch_related(
            "sectors",
            Prefetch("hero_image", queryset=get_image_model().objects.prefetch_renditions(IMAGE_FILTER)),
        )
    )
    return list(news[:FEEDS_ITEMS])


def publication_moment(page):
    """
    The news date at the time of first publication when the page went live that day (in
    TIME_ZONE), else at the start of that day: the date readers see, ordered as the feed is.
    """
    zone = timezone.get_default_timezone()
    first = page.first_published_at and timezone.localtime(page.first_published_at, zone)
    if first and first.date() == page.date:
        return first
    return datetime.datetime.combine(page.date, datetime.time.min, tzinfo=zone)


def file_size(rendition):
    """Bytes of a rendition on the local disk; 0 ("unknown") elsewhere, not a request per item to S3."""
    if not isinstance(rendition.file.storage, FileSystemStorage):
        return 0
    try:
        return rendition.file.size
    except OSError:
        return 0


def mime_type(rendition):
    suffix = PurePosixPath(rendition.file.name).suffix.lower()
    return mimetypes.guess_type(f"x{suffix}")[0] or f"image/{suffix.lstrip('.') or 'jpeg'}"


class NewsFeed(Feed):
    """The latest news of the default site, in `language`."""

    feed_type = RssFeed
    language = VIETNAMESE

    def title(self, obj):
        return f"{site_name()} – {_('News')}"

    def link(self, obj):
        return frontend_url(home_path(self.language))

    def description(self, obj):
        return _("The latest news of %(site)s.") % {"site": site_name()}

    def items(self, obj):
        record(f"news-{self.language}")  # any news of the language (publishing.cache_tags)
        return latest_news(self.language)

    def item_title(self, page):
        record(f"page-{page.pk}")  # its title, lead and link (publishing.cache_tags)
        return page.title

    def item_link(self, page):
        return frontend_url(site_path(page, self.language))

    def item_guid(self, page):
        # Stable when the slug (and so the link) changes: aggregators do not show it twice.
        return f"urn:uuid:{page.translation_key}"

    item_guid_is_permalink = False

    def item_description(self, page):
        return page.intro

    def item_author_name(self, page):
        return page.author or None

    def item_pubdate(self, page):
        return publication_moment(page)

    def item_updateddate(self, page):
        # Not an element of RSS items; makes the channel's lastBuildDate the latest publication.
        published = page.last_published_at
        return published and timezone.localtime(published, timezone.get_default_timezone())

    def item_categories(self, page):
        sectors = page.sectors_in_its_language()
        record(*(f"sector-{sector.pk}" for sector in sectors))
        return [sector.name for sector in sectors]

    def item_enclosures(self, page):
        image = page.hero_image
        if image is None or not media_is_visible(image):
            return []
        rendition = image.get_rendition(IMAGE_FILTER)
        record(f"image-{image.pk}")
        return [Enclosure(get_media_item_url(rendition), str(file_size(rendition)), mime_type(rendition))]


class SectorNewsFeed(NewsFeed):
    """The latest news of one cooperation sector (every sector is public; an unknown slug is a 404)."""

    def get_object(self, request, slug):
        """The sector (the one news link) as it reads in the feed's language."""
        sector = get_object_or_404(CooperationSector.objects.canonical(), slug=slug)
        [shown] = CooperationSector.objects.translated([sector], locale_for(self.language))
        shown.linked = sector
        return shown

    def title(self, sector):
        record(f"sector-{sector.pk}", f"sector-{sector.linked.pk}")
        return f"{site_name()} – {sector.name}"

    def link(self, sector):
        return frontend_url(f"{home_path(self.language)}?sector={sector.slug}")

    def description(self, sector):
        return sector.description or _("The latest news on %(sector)s.") % {"sector": sector.name}

    def items(self, sector):
        return latest_news(self.language, sector.linked)


class EnglishNewsFeed(NewsFeed):
    """The latest news of the default site in English."""

    language = ENGLISH


class EnglishSectorNewsFeed(SectorNewsFeed):
    """The latest news of one cooperation sector in English, the sector named in English."""

    language = ENGLISH
