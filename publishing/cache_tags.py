"""
Cache tags: every public answer names what it shows, and every change names what it alters, so a
change drops exactly the answers that show it — from this project's own response cache, from a CDN
(webhooks.purging) and from a frontend's cache (the tags in webhooks) — instead of all of them.

- **Tags** are tokens of `[a-z0-9-]` (docs/cache-tags.md lists them):
  objects — `page-<id>`, `sector-<id>`, `image-<id>`, `document-<id>`, `tag-<id>`, `redirect-<id>`;
  families — `pages`, `sectors`, `images`, `documents`, `tags`, `redirects`: purged with any object
  of the family, carried by answers that depend on a family as a whole (a lookup that found
  nothing, the sitemap, an answer whose tags were too many for a header);
  lists — `news-<language>` (every list, count and search of news in a language),
  `sector-news-<id>` and `tag-news-<id>` (related news, which a page joins by its sectors and tags),
  `children-<page id>`;
  and `all`, which every tagged answer carries: purging it empties everything.
- **Recording**: while an answer is computed (a request scope, publishing.scope), what it shows is
  recorded (`record`): the executor records every object it completes (api.execution), resolvers
  the lists and lookups they read; `recorded()` is the answer's tags.
- **Versions**: this project's cache keeps, per tag, the moment it was last purged (`stamp`). An
  answer is kept with the versions of its tags (`versions_for`), and is good while they have not
  moved (`still_current`). An answer computed across a purge of one of its tags (it may have read
  the content before the change) is neither kept nor given to a shared cache (`versions_for` says
  None).
- **Purging** (`purge`): a change's receiver (publishing.freshness) works out its tags
  (`change_tags`, `page_change_tags`) in the change's own transaction; once it commits the tags are
  stamped here, then `publishing.signals.tags_purged` goes to the CDN purges and webhooks.
"""

import functools
import logging
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from taggit.models import TagBase
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import AbstractRendition
from wagtail.models import Page

from . import app_settings
from .scope import KINDS, prefetched, recorded_tags, working_out_a_change
from .signals import tags_purged

logger = logging.getLogger("publishing.cache_tags")

ALL = "all"
# Families, by the model an object is an instance of (by label, or a function for Wagtail's
# swappable models and taggit's abstract base), in the order they are looked up.
FAMILY_PAGES, FAMILY_SECTORS = "page", "sector"
FAMILIES = ("page", "sector", "image", "document", "tag", "redirect")
VERSION_PREFIX = "tag:"


def family_tag(family):
    """The tag of a whole family: `pages` for `page`."""
    return family + "s"


@functools.cache
def family_models():
    return (
        (FAMILY_PAGES, Page),
        (FAMILY_SECTORS, apps.get_model("news", "CooperationSector")),
        ("image", get_image_model()),
        ("document", get_document_model()),
        ("tag", TagBase),
        ("redirect", apps.get_model("wagtailredirects", "Redirect")),
    )


_taggers = {}


def _tagger(cls):
    """How an object of `cls` names itself: a function of the object, or None."""
    tagger = _taggers.get(cls)
    if tagger is None and cls not in _taggers:
        if issubclass(cls, AbstractRendition):  # a rendition shows its image
            tagger = _taggers[cls] = lambda rendition: f"image-{rendition.image_id}"
            return tagger
        for family, model in family_models():
            if issubclass(cls, model):
                tagger = _taggers[cls] = functools.partial(_object_tag, family + "-")
                break
        else:
            _taggers[cls] = None
    return tagger


def _object_tag(prefix, obj):
    return prefix + str(obj.pk)


def tag_of(obj):
    """The tag naming `obj` (a page, a sector, an image or its rendition, ...), or None."""
    tagger = _tagger(type(obj))
    return None if tagger is None or obj.pk is None else tagger(obj)


def family_of_model(model):
    """The family of a model class (`page` for any page type), or None."""
    for family, base in family_models():
        if issubclass(model, base):
            return family
    return None


# Recording what an answer shows


def record(*tags):
    """Add `tags` to the answer being computed (nothing outside a request scope)."""
    found = recorded_tags()
    if found is not None:
        found.update(tags)


def record_object(obj):
    """Add the tag of `obj` (if it has one) to the answer being computed."""
    found = recorded_tags()
    if found is not None:
        tagger = _tagger(type(obj))
        if tagger is not None and obj.pk is not None:
            found.add(tagger(obj))


def recorded():
    """
    The tags recorded so far in this request scope, with `all` and with the images, documents and
    pages its bodies referred to (publishing.prefetch: rich-text images and links, whose HTML names
    no object), sorted; [] outside a scope.
    """
    found = recorded_tags()
    if found is None:
        return []
    tags = {ALL, *found}
    for kind in KINDS:
        tags.update(f"{kind}-{pk}" for pk in prefetched(kind) or ())
    return sorted(tags)


# The versions of tags in this project's cache


def version_key(tag):
    return VERSION_PREFIX + tag


def stamp(tags):
    """Mark `tags` purged now: every answer kept with an earlier version of one of them is stale."""
    now = f"p{time.time():.6f}"
    cache.set_many({version_key(tag): now for tag in tags}, timeout=None)


def current_versions(tags):
    """{tag: version} for `tags`; a tag never purged (or forgotten by the cache) gets a first one."""
    keys = {version_key(tag): tag for tag in tags}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    if missing:
        # A first version that no answer can hold: an answer kept before a purge whose version the
        # cache has since evicted must not match again.
        first = f"i{time.time():.6f}"
        for key in missing:
            cache.add(key, first, timeout=None)
        found.update(cache.get_many(missing))
    return {keys[key]: found.get(key) for key in keys}


def purged_at(version):
    """The moment a version was stamped by a purge, or None for a first version."""
    if isinstance(version, str) and version.startswith("p"):
        return float(version[1:])
    return None


def versions_for(tags, started):
    """
    The versions to keep an answer computed from `started` (time.time()) with, or None when one of
    its tags was purged since then (or the cache cannot say): such an answer may show content read
    before the change, and must be neither kept nor shared.
    """
    versions = current_versions(tags)
    for version in versions.values():
        if version is None:
            return None
        moment = purged_at(version)
        if moment is not None and moment >= started - app_settings.CACHE_TAG_CLOCK_SKEW:
            return None
    return [versions[tag] for tag in tags]


def still_current(tags, versions):
    """Whether an answer kept with `versions` of `tags` is still good: no tag purged since."""
    found = cache.get_many([version_key(tag) for tag in tags])
    return all(found.get(version_key(tag)) == version for tag, version in zip(tags, versions, strict=True))


# Purging


def purge(tags):
    """
    Purge `tags` once the current transaction (if any) commits: stamped in this project's cache,
    then `tags_purged` (sent now, in the transaction) lets the CDN purges and webhooks follow.
    """
    tags = sorted(set(tags))
    if not tags:
        return
    if ALL in tags:
        tags = [ALL]
    transaction.on_commit(lambda: stamp(tags))
    tags_purged.send(sender=purge, tags=tags)


def header_value(tags, header=None, limit=None):
    """
    The tag header's value for `tags`: comma-separated for `Cache-Tag` (Cloudflare), else
    space-separated (`Surrogate-Key`, `xkey`), at most `limit` bytes. Too many tags are folded into
    their families (every `page-<id>` into `pages`, the most numerous family first), which every
    purge of one of them purges too: the answer is purged more often, never less.
    """
    header = header or app_settings.CACHE_TAG_HEADER
    limit = app_settings.CACHE_TAG_HEADER_MAX_BYTES if limit is None else limit
    separator = "," if header.lower() == "cache-tag" else " "
    tags = list(tags)
    value = separator.join(tags)
    folded = set()
    while len(value.encode()) > limit:
        counts = {}
        for tag in tags:
            family, _, rest = tag.rpartition("-")
            if family in FAMILIES and rest.isdigit():
                counts[family] = counts.get(family, 0) + 1
        if not counts:
            return ALL  # nothing left to fold: purged by everything
        largest = max(counts, key=counts.get)
        folded.add(largest)
        tags = sorted({family_tag(largest) if tag.rpartition("-")[0] == largest else tag for tag in tags})
        value = separator.join(tags)
    return value


def with_families(tags):
    """`tags` with the family tag of every object tag among them (`page-3` brings `pages`)."""
    families = set()
    for tag in tags:
        family, _, rest = tag.rpartition("-")
        if family in FAMILIES and rest.isdigit():
            families.add(family_tag(family))
    return sorted(set(tags) | families)


# What a change alters


def subtree_tags(path):
    """`page-<id>` of the page at `path` and of every page below it."""
    ids = Page.objects.filter(path__startswith=path).values_list("pk", flat=True)
    return [f"page-{pk}" for pk in ids]


# What a change of a page of each type alters besides the page itself: {page class: function(page)
# → tags}, filled by the apps defining them (news.apps: news.related.change_tags).
CHANGE_TAGS = {}


def page_change_tags(page, subtree=True, deleted=False):
    """
    The tags a page's publish, unpublish, move or save while live alters: the page's own (and,
    with `subtree`, every page's below it: a new slug or place changes their paths), its parent's
    list of children, the pages that show it as a translation, the lists of any page (`pages`),
    and what the page's own type says it joins (CHANGE_TAGS: for news, its language's lists, its
    sectors' and tags' related news, its new neighbours).
    """
    if type(page) is Page and not deleted:  # (a deleted page's specific row is gone: its own signal)
        page = page.specific_deferred
    tags = subtree_tags(page.path) if subtree and page.path else [f"page-{page.pk}"]
    tags.append(family_tag(FAMILY_PAGES))
    if page.depth and page.depth > 1:
        parent_path = page.path[: -Page.steplen]
        parent = Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        if parent is not None:
            tags.append(f"children-{parent}")
    translations = Page.objects.filter(translation_key=page.translation_key).exclude(pk=page.pk)
    tags += [f"page-{pk}" for pk in translations.values_list("pk", flat=True)]
    extra = CHANGE_TAGS.get(type(page))
    if extra is not None:
        with working_out_a_change():
            tags += extra(page)
    return with_families(tags)


def change_tags(instance):
    """
    The tags a saved or deleted row of publishing.freshness.CONTENT_MODELS alters: its own and its
    family's (a new image is in no answer, but a list of them would change), a sector's every
    translation (their names show in each language's answers); None when it alters everything
    (a site, a collection or its restriction, Wagtail's settings), which purges `all`.
    """
    family = family_of_model(type(instance))
    if family is None:
        return None
    tags = [f"{family}-{instance.pk}"]
    if family == FAMILY_SECTORS:
        translations = type(instance).objects.filter(translation_key=instance.translation_key)
        tags += [f"sector-{pk}" for pk in translations.values_list("pk", flat=True)]
    return with_families(tags)
