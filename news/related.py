"""
What a reader of one news page may read next: related news and the news on either side of it.

- **Related news** (`related_ids`): the visible news of the site, in the page's language, sharing
  the most sectors with the page, then the most tags, then the newest; never the page itself,
  never one sharing nothing. They are chosen among the site's newest `RELATED_NEWS_CANDIDATES`
  visible news (1,000 by default), whose sectors and tags are read in three queries and
  remembered until the content changes: ranking them for a list of 100 pages reads no database at
  all, and the cost does not grow with the archive.
- **Previous and next** (`adjacent_ids`): the visible news just older and just newer than the page
  in its own news section, by date then id (the order of `newsPages(order: "date")`), found for a
  whole list in one query, an index walk per page and side.

Both take the page's own fields as they are in memory, so a preview of a draft whose date,
sectors or tags have changed is placed by the draft's.
"""

import heapq
import re
from collections import Counter, defaultdict, namedtuple

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from wagtail.models import Page

from publishing.freshness import DRAFT_BOOKKEEPING, cached_until_content_changes, once_per_request
from publishing.locales import locale_by_id

from . import app_settings
from .models import CooperationSector, NewsIndexPage, NewsPage, NewsPageTag, NewsTag


def candidates(site, locale):
    """
    The newest visible news of `site` in `locale`, newest first, as (id, sector ids, tag ids):
    remembered until the content changes (or the next scheduled change).
    """
    count = app_settings.RELATED_NEWS_CANDIDATES

    def compute():
        newest = NewsPage.objects.visible_in(site, locale).order_by("-date", "-pk")
        ids = list(newest.values_list("pk", flat=True)[:count])
        sectors, tags = defaultdict(list), defaultdict(list)
        pairs = NewsPage.sectors.through.objects.filter(newspage_id__in=ids)
        for page, sector in pairs.values_list("newspage_id", "cooperationsector_id"):
            sectors[page].append(sector)
        tagged = NewsPageTag.objects.filter(content_object_id__in=ids)
        for page, tag in tagged.values_list("content_object", "tag"):
            tags[page].append(tag)
        return [(pk, tuple(sectors[pk]), tuple(tags[pk])) for pk in ids]

    return cached_until_content_changes(
        ["related-candidates", site.pk if site else None, locale.language_code, count], compute
    )


def window_edge(locale):
    """
    The cache tags a change at the edge of the related news' candidates alters (the newest
    RELATED_NEWS_CANDIDATES news of a language, on any site): the page just past the window (it
    may have just left it: answers listing it as related are purged by its tag) and the last page
    in it (it may have just joined: the related news of pages sharing its sectors or tags).
    Nothing while the window is not full.
    """
    count = app_settings.RELATED_NEWS_CANDIDATES
    newest = NewsPage.objects.visible_in(None, locale).order_by("-date", "-pk")
    edge = list(newest.values_list("pk", flat=True)[max(0, count - 1) : count + 1])
    if len(edge) < 2:
        return []
    last, past = edge
    sectors = NewsPage.sectors.through.objects.filter(newspage_id=last)
    tags = NewsPageTag.objects.filter(content_object_id=last)
    return [
        f"page-{past}",
        *(f"sector-news-{pk}" for pk in sectors.values_list("cooperationsector_id", flat=True)),
        *(f"tag-news-{pk}" for pk in tags.values_list("tag_id", flat=True)),
    ]


# What decides where a news page stands in lists, counts and related news: visible or not, its
# section, language, date, title, sectors and tags (their ids, sorted).
Placement = namedtuple("Placement", "live expire_at parent locale_id date title sectors tags")


def placement(page):
    """The page's `Placement` as it is in memory (the state being saved)."""
    return Placement(
        page.live,
        page.expire_at,
        page.path[: -Page.steplen],
        page.locale_id,
        page.date,
        page.title,
        tuple(sorted(sector.pk for sector in page.related_sectors())),
        tuple(sorted(tag.pk for tag in page.related_tags())),
    )


def stored_placement(pk):
    """The page's `Placement` as the database holds it now (before a save), or None."""
    row = NewsPage.objects.filter(pk=pk).values_list(
        "live", "expire_at", "path", "locale_id", "date", "title"
    )
    row = row.first()
    if row is None:
        return None
    live, expire_at, path, locale_id, date, title = row
    sectors = NewsPage.sectors.through.objects.filter(newspage_id=pk).values_list(
        "cooperationsector_id", flat=True
    )
    tags = NewsPageTag.objects.filter(content_object_id=pk).values_list("tag_id", flat=True)
    parent = path[: -Page.steplen]
    return Placement(
        live, expire_at, parent, locale_id, date, title, tuple(sorted(sectors)), tuple(sorted(tags))
    )


# A slug that can be part of a cache tag (publishing.cache_tags: ASCII letters, digits and dashes).
TAGGABLE_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def news_list_tags(language, sector=None, tag=None):
    """
    The cache tags of a list of news in `language`: an unfiltered list (and any count) carries
    `news-<language>`, purged whenever a news page of the language changes its place; a list
    filtered by a sector's or a tag's slug carries `news-<language>-in-<slug>` or
    `news-<language>-tagged-<slug>` instead, purged only when a page with that sector or tag (before
    or after its change) changes its place, with `sectors` or `tags` (a slug renamed) and
    `lists-<language>` (what changes every list of the language at once: a restriction, a move
    out of its tree). A slug that cannot be part of a tag falls back to `news-<language>`.
    """
    if sector is not None and TAGGABLE_SLUG.fullmatch(sector):
        return [f"news-{language}-in-{sector}", "sectors", f"lists-{language}"]
    if sector is None and tag is not None and TAGGABLE_SLUG.fullmatch(tag):
        return [f"news-{language}-tagged-{tag}", "tags", f"lists-{language}"]
    return [f"news-{language}"]


def filtered_list_tags(languages, page, before):
    """
    The tags of the filtered lists `page` is or was in: those of its sectors and tags now and, from
    its place before its change (`before`, a `placement`, or None), those it had then.
    """
    sectors = {sector.slug for sector in page.related_sectors()}
    tags = {tag.slug for tag in page.related_tags()}
    if before is not None:
        old_sectors = set(before.sectors) - {sector.pk for sector in page.related_sectors()}
        old_tags = set(before.tags) - {tag.pk for tag in page.related_tags()}
        if old_sectors:
            found = CooperationSector.objects.filter(pk__in=old_sectors)
            sectors |= set(found.values_list("slug", flat=True))
        if old_tags:
            tags |= set(NewsTag.objects.filter(pk__in=old_tags).values_list("slug", flat=True))
    found = []
    for code in languages:
        found += [tag for slug in sectors for tag in news_list_tags(code, sector=slug)[:1]]
        found += [tag for slug in tags for tag in news_list_tags(code, tag=slug)[:1]]
    return found


def change_tags(page):
    """
    What a news page's publish, unpublish, move or edit alters besides the page itself
    (publishing.cache_tags.page_change_tags), read in the change's transaction. Always: the search
    results of its language (`search-<language>`: any text may now match or not). When its
    placement changed (or is not known: a move, an unpublish, a deletion), also: its language's lists
    and counts; the related news of pages sharing a sector or a tag with it, which it may now join
    (lists it leaves show it, and are purged by its own tag); its neighbours now, whose `previous`
    or `next` it may have become; and, when the related news' candidates (the newest
    RELATED_NEWS_CANDIDATES) are a full window, the page that left it and the one that joined it.
    An edit in place (a lead, a body, an image) changes none of those: the answers showing the
    page carry its own tag.
    """
    section = Page.objects.filter(path=page.path[: -Page.steplen]).values_list("locale_id", flat=True)
    languages = {locale_by_id(pk).language_code for pk in {page.locale_id, *section}}
    tags = [f"search-{code}" for code in languages]
    before = getattr(page, PLACEMENT_BEFORE, None)
    if before is not None and before == placement(page):
        return tags
    # Its language's lists, and those of the tree it is in (a site's lists are of a language's tree).
    tags += [f"news-{code}" for code in languages]
    tags += filtered_list_tags(languages, page, before)
    tags += [f"sector-news-{sector.pk}" for sector in page.related_sectors()]
    tags += [f"tag-news-{tag.pk}" for tag in page.related_tags()]
    # Found by its place in the tree, not its `section` column: after a move, news.signals may not
    # have updated that column yet.
    tags += [f"page-{pk}" for pk in draft_neighbours(page) if pk is not None]
    tags += window_edge(locale_by_id(page.locale_id))
    return tags


# Where a news page being saved stood before its transaction (`stored_placement`), noted on the
# instance by `note_placement` at its first save in the transaction, forgotten once it ends.
PLACEMENT_BEFORE = "_placement_before_change"


def note_placement(sender, instance, update_fields=None, **kwargs):
    """pre_save of a news page: note where it stood, once per transaction (see PLACEMENT_BEFORE)."""
    if instance.pk is None or hasattr(instance, PLACEMENT_BEFORE):
        return
    if update_fields is not None and set(update_fields) <= DRAFT_BOOKKEEPING:
        return
    setattr(instance, PLACEMENT_BEFORE, stored_placement(instance.pk))

    def forget():
        if hasattr(instance, PLACEMENT_BEFORE):
            delattr(instance, PLACEMENT_BEFORE)

    transaction.on_commit(forget)


class Postings:
    """For each sector and tag, the positions (newest first) of the candidates that have it."""

    def __init__(self, rows):
        self.ids = [pk for pk, _sectors, _tags in rows]
        self.sectors, self.tags = defaultdict(list), defaultdict(list)
        for position, (_pk, sectors, tags) in enumerate(rows):
            for sector in sectors:
                self.sectors[sector].append(position)
            for tag in tags:
                self.tags[tag].append(position)

    def rank(self, page_id, sector_ids, tag_ids, limit):
        """Ids of the `limit` candidates sharing the most sectors, then tags, then the newest."""
        shared_sectors, shared_tags = Counter(), Counter()
        for sector in set(sector_ids):
            shared_sectors.update(self.sectors.get(sector, ()))
        for tag in set(tag_ids):
            shared_tags.update(self.tags.get(tag, ()))
        touched = shared_sectors.keys() | shared_tags.keys()
        best = heapq.nsmallest(
            limit + 1,  # one more, in case the page itself is among them
            touched,
            key=lambda position: (-shared_sectors[position], -shared_tags[position], position),
        )
        return [self.ids[position] for position in best if self.ids[position] != page_id][:limit]


def related_ids(pages, site, limit):
    """
    For each of `pages` (with their sectors and tags as they are in memory), its related news'
    ids: news of its own language.
    """

    def postings(locale_id):
        locale = locale_by_id(locale_id)
        key = ("related-postings", site.pk if site else None, locale_id)
        return once_per_request(key, lambda: Postings(candidates(site, locale)))

    return [
        postings(page.locale_id).rank(
            page.pk,
            [sector.pk for sector in page.related_sectors()],
            [tag.pk for tag in page.related_tags()],
            limit,
        )
        for page in pages
    ]


def siblings_before_or_after(older, section, date, pk):
    """
    The visible news of `section` just older (or newer) than (`date`, `pk`), nearest first, as a
    one-row queryset of its id: values, or expressions of an outer query (OuterRef). `date <= d`
    (or `>=`) starts the walk of the (section, date, id) index at the page's own place; pages of
    that same date are told apart by id.
    """
    before, after = ("lt", "-") if older else ("gt", "")
    siblings = NewsPage.objects.visible_in().filter(section=section, **{f"date__{before}e": date})
    if pk is None:  # a preview of a page never saved comes after every page of its date
        siblings = siblings if older else siblings.exclude(date=date)
    else:
        siblings = siblings.filter(Q(**{f"date__{before}": date}) | Q(**{f"pk__{before}": pk}))
    return siblings.order_by(f"{after}date", f"{after}pk").values("pk")[:1]


def with_neighbours(rows, section, date, pk):
    """`rows` annotated with `previous_id` and `next_id`."""
    return rows.annotate(
        previous_id=Subquery(siblings_before_or_after(True, section, date, pk)),
        next_id=Subquery(siblings_before_or_after(False, section, date, pk)),
    )


def adjacent_ids(pages, drafts=False):
    """
    For each of `pages`, the ids of the visible news just older and just newer in its section, as
    (previous, next) with None where there is none. Pages as stored: one query for all of them,
    each row finding its own. A preview's draft (`drafts`): placed by its own date, which may not
    be the stored one (a preview is one page).
    """
    if drafts:
        return [draft_neighbours(page) for page in pages]
    rows = with_neighbours(
        NewsPage.objects.filter(pk__in=[page.pk for page in pages]).order_by(),
        OuterRef("section"),
        OuterRef("date"),
        OuterRef("pk"),
    )
    found = {
        pk: (previous, following)
        for pk, previous, following in rows.values_list("pk", "previous_id", "next_id")
    }
    return [found.get(page.pk, (None, None)) for page in pages]


def draft_neighbours(page):
    """(previous, next) ids for a preview's draft, by its date, in its section: one query."""
    if not page.path or page.date is None:
        return None, None
    section = NewsIndexPage.objects.filter(path=page.path[: -Page.steplen])
    found = with_neighbours(section, OuterRef("pk"), page.date, page.pk).values_list("previous_id", "next_id")
    return found.first() or (None, None)
