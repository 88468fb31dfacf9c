"""
What readers may see, read from the database inside the transaction that changes it.

The rule is publishing.visibility's: a news page is shown when it is live, not expired, and not at
or below a page with a view restriction (of any kind); an image or a document is shown when its
collection is not at or below a collection with a view restriction. It is read afresh here because
that module remembers the restricted sections and collections per process until the content
version moves, which happens only once a change commits, while webhooks compare what readers saw
just before a change with what they see just after it, before the commit (the events are written
in the editor's transaction).
"""

import json
import re

from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction

from news.models import NewsPage
from publishing.prefetch import database_id, references_in

# What an event names (webhooks.signals.emit_page).
EVENT_FIELDS = ("slug", "url_path", "locale")
# Every number a body's JSON could name an image or a document with: a chooser block's value
# ("image": 3, "value": "7") or an id in rich text (<embed embedtype="image" id="3"/>, in the JSON
# `id=\"3\"`). A sieve before parsing a body (what passes is checked block by block), so that
# thousands of pages cost a quick search each, not a parse.
NUMBERS_IN_BODY = (re.compile(r'":\s*"?([0-9]{1,18})'), re.compile(r'id=\\?["\']([0-9]{1,18})'))


def ancestry(path, steplen=Page.steplen):
    """The tree paths of the node at `path` and of every ancestor of it."""
    return [path[:end] for end in range(steplen, len(path) + 1, steplen)]


def page_restricted(path):
    """Whether the page at `path` is hidden by a view restriction on it or on an ancestor."""
    return PageViewRestriction.objects.filter(page__path__in=ancestry(path)).exists()


def restricted_once_moved(page_pk, new_parent_path):
    """Whether a page moved below the page at `new_parent_path` will be hidden by a restriction
    (its own moves with it; its old ancestors' stay behind)."""
    return PageViewRestriction.objects.filter(
        Q(page_id=page_pk) | Q(page__path__in=ancestry(new_parent_path))
    ).exists()


def _without(queryset, paths):
    """`queryset` without the pages at or below any of `paths`."""
    below = Q()
    for path in set(paths):
        below |= Q(path__startswith=path)
    return queryset.exclude(below) if below else queryset


def visible_news(path=None):
    """
    The news pages readers may see now, at or below the page at `path` if given (every one
    otherwise), in tree order, with what an event names loaded.
    """
    pages = NewsPage.objects.live().exclude(expire_at__lte=timezone.now())
    restrictions = PageViewRestriction.objects.all()
    if path is not None:
        if page_restricted(path):
            return []
        pages = pages.filter(path__startswith=path)
        restrictions = restrictions.filter(page__path__startswith=path)
    pages = _without(pages, restrictions.values_list("page__path", flat=True))
    return pages.only(*EVENT_FIELDS).order_by("path")


def visible_collections(paths):
    """Ids of the collections at or below `paths` whose images and documents readers may see."""
    below = Q()
    for path in paths:
        below |= Q(path__startswith=path)
    if not below:
        return set()
    restricted = set(CollectionViewRestriction.objects.values_list("collection__path", flat=True))
    return {
        pk
        for pk, path in Collection.objects.filter(below).values_list("pk", "path")
        if not restricted.intersection(ancestry(path, Collection.steplen))
    }


def collection_restricted(collection_id):
    """Whether images and documents in this collection are hidden by a view restriction."""
    path = Collection.objects.filter(pk=collection_id).values_list("path", flat=True).first()
    return path is not None and (
        CollectionViewRestriction.objects.filter(
            collection__path__in=ancestry(path, Collection.steplen)
        ).exists()
    )


def media_in(collection_ids):
    """({image ids}, {document ids}) of the media in these collections."""
    if not collection_ids:
        return set(), set()
    return tuple(
        set(model.objects.filter(collection_id__in=collection_ids).values_list("pk", flat=True))
        for model in (get_image_model(), get_document_model())
    )


def news_showing(images, documents):
    """
    The news pages readers may see that show one of `images` (main image, image blocks, images
    in rich text) or link one of `documents` (document blocks, links in rich text), as published:
    the page row holds the published content (a draft's changes are in its revision).
    """
    if not images and not documents:
        return []
    wanted = images | documents
    stream = NewsPage._meta.get_field("body").stream_block
    rows = (
        visible_news()
        .annotate(raw_body=Cast("body", TextField()))
        .values_list("pk", "hero_image_id", "raw_body")
    )
    showing = []  # in tree order
    for pk, hero_image_id, body in rows.iterator(chunk_size=1000):
        if hero_image_id in images:
            showing.append(pk)
        elif body and any(
            wanted.intersection(map(int, pattern.findall(body))) for pattern in NUMBERS_IN_BODY
        ):
            found = {"image": set(), "document": set(), "page": set()}
            references_in(stream, json.loads(body), found)
            if _ids(found["image"]) & images or _ids(found["document"]) & documents:
                showing.append(pk)
    pages = {}
    for start in range(0, len(showing), 500):  # within every database's limit of parameters
        pages.update(
            (page.pk, page)
            for page in NewsPage.objects.filter(pk__in=showing[start : start + 500]).only(*EVENT_FIELDS)
        )
    return [pages[pk] for pk in showing if pk in pages]


def _ids(values):
    return {database_id(value) for value in values} - {None}
