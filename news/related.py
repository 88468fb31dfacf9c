"""
What a reader of one news page may read next: related news and the news on either side of it.

- **Related news** (`related_ids`): the visible news of the site sharing the most sectors with the
  page, then the most tags, then the newest; never the page itself, never one sharing nothing.
  They are chosen among the site's newest `RELATED_NEWS_CANDIDATES` visible news (1,000 by
  default), whose sectors and tags are read in three queries and remembered until the content
  changes: ranking them for a list of 100 pages reads no database at all, and the cost does not
  grow with the archive.
- **Previous and next** (`adjacent_ids`): the visible news just older and just newer than the page
  in its own news section, by date then id (the order of `newsPages(order: "date")`), found for a
  whole list in one query, an index walk per page and side.

Both take the page's own fields as they are in memory, so a preview of a draft whose date,
sectors or tags have changed is placed by the draft's.
"""

import heapq
from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import IntegerField, Q, Subquery, Value
from wagtail.models import Page

from cms.graphql.invalidation import remembered
from publishing.scope import memoised

from .models import NewsPage, NewsPageTag


def candidates(site):
    """
    The newest visible news of `site`, newest first, as (id, sector ids, tag ids): remembered
    until the content changes (or the next scheduled change).
    """
    count = settings.RELATED_NEWS_CANDIDATES

    def compute():
        newest = NewsPage.objects.visible_in(site).order_by("-date", "-pk")
        ids = list(newest.values_list("pk", flat=True)[:count])
        sectors, tags = defaultdict(list), defaultdict(list)
        pairs = NewsPage.sectors.through.objects.filter(newspage_id__in=ids)
        for page, sector in pairs.values_list("newspage_id", "cooperationsector_id"):
            sectors[page].append(sector)
        tagged = NewsPageTag.objects.filter(content_object_id__in=ids)
        for page, tag in tagged.values_list("content_object", "tag"):
            tags[page].append(tag)
        return [(pk, tuple(sectors[pk]), tuple(tags[pk])) for pk in ids]

    return remembered(["related-candidates", site.pk if site else None, count], compute)


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
    """For each of `pages` (with their sectors and tags as they are in memory), its related news' ids."""
    postings = memoised(("related-postings", site.pk if site else None), lambda: Postings(candidates(site)))
    return [
        postings.rank(
            page.pk,
            [sector.pk for sector in page.related_sectors()],
            [tag.pk for tag in page.related_tags()],
            limit,
        )
        for page in pages
    ]


def neighbour(page, older):
    """
    The id of the visible news just older (or newer) than `page` in its section, as a subquery;
    None for a page with no place in the tree yet.
    """
    if not page.path or page.date is None:
        return Value(None, output_field=IntegerField())
    before, after = ("lt", "-") if older else ("gt", "")
    # `date <= d` (or `>=`) lets the database start its walk of the (date, id) index at the page's
    # own date; pages of that same date come in id order, and a page never saved (a preview of a
    # new page) comes after them.
    siblings = NewsPage.objects.visible_in().filter(
        path__startswith=page.path[: -Page.steplen], depth=page.depth, **{f"date__{before}e": page.date}
    )
    if page.pk is None:
        siblings = siblings if older else siblings.exclude(date=page.date)
    else:
        siblings = siblings.filter(Q(**{f"date__{before}": page.date}) | Q(**{f"pk__{before}": page.pk}))
    return Subquery(siblings.order_by(f"{after}date", f"{after}pk").values("pk")[:1])


# Pages placed per query: one query for any list (at most 100 items); the related news of a list
# (up to 2,000) in a few, each well within SQLite's limit on a statement's parameters.
ADJACENT_PER_QUERY = 100


def adjacent_ids(pages):
    """
    For each of `pages`, the ids of the visible news just older and just newer in its section, as
    (previous, next) with None where there is none: one query per 100 pages.
    """
    found = []
    for start in range(0, len(pages), ADJACENT_PER_QUERY):
        chunk = pages[start : start + ADJACENT_PER_QUERY]
        columns = {}
        for position, page in enumerate(chunk):
            columns[f"previous_{position}"] = neighbour(page, older=True)
            columns[f"next_{position}"] = neighbour(page, older=False)
        # The subqueries are selected beside the tree's root, the one row every site has.
        row = Page.objects.filter(depth=1).order_by("pk").annotate(**columns).values_list(*columns)[0]
        found += [(row[2 * position], row[2 * position + 1]) for position in range(len(chunk))]
    return found
