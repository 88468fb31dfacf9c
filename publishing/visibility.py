"""
What anonymous readers may see. Every public surface (GraphQL root fields, relations, counts,
images, documents, rich-text links; the feeds; the CMS's own page routes and templates) goes
through here, so there is one definition of "visible".

The lists of restricted pages and collections, and the sites, are kept in each process until the
content changes (publishing.freshness); a site's root in another language, once per request.
"""

from django.db.models import Q
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction, Site

from .freshness import kept_in_process_until_content_changes, once_per_request


def restricted_sections():
    """(path, depth) of every page with a view restriction."""
    return kept_in_process_until_content_changes(
        "restricted-sections",
        lambda: list(PageViewRestriction.objects.values_list("page__path", "page__depth").distinct()),
    )


def visible(queryset):
    """Pages that are live, not expired, and not under any view restriction (nor below one)."""
    queryset = queryset.live().exclude(expire_at__lte=timezone.now())
    under_a_restriction = Q()
    for path, depth in restricted_sections():
        under_a_restriction |= Q(path__startswith=path, depth__gte=depth)
    return queryset.exclude(under_a_restriction) if under_a_restriction else queryset


def site_root(site, locale=None):
    """
    The root page of `site` in `locale`: the site's root page, or its translation (None when it
    has none). English pages live below the English translation of the site's home page, which
    Wagtail serves at /en/.
    """
    if site is None or locale is None or site.root_page.locale_id == locale.pk:
        return site.root_page if site is not None else None
    return once_per_request(
        ("site-root", site.pk, locale.pk),
        lambda: (
            type(site.root_page)
            .objects.filter(translation_key=site.root_page.translation_key, locale=locale)
            .first()
        ),
    )


def is_visible_now(page):
    """
    The same rule as `visible`'s first two conditions, for one page already loaded: live and
    not expired this second. (View restrictions on a served page are Wagtail's to enforce: it
    asks for the password or a login.)
    """
    return page.live and (page.expire_at is None or page.expire_at > timezone.now())


def site_for(request):
    """The site a request is for (by host name), else the default site; None if there is none."""
    if request is not None:
        # Wagtail reads the sites table for each request: remembered per host until a change.
        host, port = request._get_raw_host(), request.get_port()  # what Wagtail matches sites by
        site = kept_in_process_until_content_changes(
            ("site", host, port), lambda: Site.find_for_request(request)
        )
        if site is not None:
            return site
    return kept_in_process_until_content_changes(
        "default-site", lambda: Site.objects.filter(is_default_site=True).select_related("root_page").first()
    )


def restricted_collection_ids():
    """Ids of collections under a view restriction, or below one."""

    def compute():
        paths = list(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
        if not paths:
            return set()
        under_a_restriction = Q()
        for path in paths:
            under_a_restriction |= Q(path__startswith=path)
        return set(Collection.objects.filter(under_a_restriction).values_list("pk", flat=True))

    return kept_in_process_until_content_changes("restricted-collections", compute)


def media_is_visible(item):
    """Whether an image or document may be shown: it is not in a restricted collection."""
    return item is not None and item.collection_id not in restricted_collection_ids()
