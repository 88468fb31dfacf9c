"""
Writing generated articles as live news pages, in batches, without Wagtail's page-by-page
`add_child`: the treebeard paths are computed here (Page._get_path, _str2int, _int2str: Wagtail's
private tree API), the page and news rows bulk-inserted, sectors and tags added, and each batch
indexed for search in bulk. Each batch is one transaction that leaves a valid tree.
"""

import random
import uuid

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import F
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.search.backends import get_search_backends

from publishing.signals import content_changed, pages_written
from publishing.text import ascii_slug

from ..demo import PLACEHOLDER_TITLE_PREFIX, load_demo_content, placeholder_image
from ..models import CooperationSector, NewsIndexPage, NewsPage, NewsPageTag, NewsTag
from .articles import article_data

PLACEHOLDER_CAPTION = "Ảnh minh họa cho tin tạo tự động"
SLUG_MAX_LENGTH = 200  # leaves room for a "-123456" suffix within the 255 of the slug field


def find_news_index():
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    return NewsIndexPage.objects.child_of(site.root_page).first()


def ensure_demo_content(log):
    """The default site's news section, created with the demo content when it is missing."""
    index = find_news_index()
    if index is None or CooperationSector.objects.canonical().count() < 8:
        load_demo_content(log=log)
        index = find_news_index()
    if index is None:
        raise RuntimeError("The default site has no news section, even after loading the demo content.")
    return index


def ensure_placeholder_image():
    title = f"{PLACEHOLDER_TITLE_PREFIX}: {PLACEHOLDER_CAPTION}"
    image = get_image_model().objects.filter(title=title).order_by("pk").first()
    return image or placeholder_image(PLACEHOLDER_CAPTION)


class SlugAllocator:
    """ASCII slugs unique among the section's children: "dong-phuc", "dong-phuc-2", ..."""

    def __init__(self, taken):
        self.taken = set(taken)
        self.next_suffix = {}

    def allocate(self, title):
        base = ascii_slug(title, max_length=SLUG_MAX_LENGTH) or "tin"
        slug = base
        if slug in self.taken:
            suffix = self.next_suffix.get(base, 2)
            while f"{base}-{suffix}" in self.taken:
                suffix += 1
            slug = f"{base}-{suffix}"
            self.next_suffix[base] = suffix + 1
        self.taken.add(slug)
        return slug


class NewsWriter:
    """Writes batches of `article_data` dicts as live NewsPages under `index`."""

    def __init__(self, index, image):
        self.index = index
        self.image = image
        self.db = router.db_for_write(Page)
        self.content_type = ContentType.objects.get_for_model(NewsPage)
        self.sector_ids = dict(CooperationSector.objects.canonical().values_list("slug", "pk"))
        self.tag_ids = {}
        self.slugs = SlugAllocator(Page.objects.child_of(index).values_list("slug", flat=True).iterator())
        sectors_field = NewsPage._meta.get_field("sectors")
        self.sector_through = sectors_field.remote_field.through
        self.sector_columns = (
            f"{sectors_field.m2m_field_name()}_id",
            f"{sectors_field.m2m_reverse_field_name()}_id",
        )
        self.local_fields = NewsPage._meta.local_concrete_fields

    def tag_id(self, name):
        if name not in self.tag_ids:
            tag, _ = NewsTag.objects.get_or_create(name__iexact=name, defaults={"name": name})
            self.tag_ids[name] = tag.pk
        return self.tag_ids[name]

    def write(self, articles):
        now = timezone.now()
        with transaction.atomic(using=self.db):
            # Lock the section row (PostgreSQL) so that nobody else computes the same paths.
            parent = Page.objects.using(self.db).select_for_update().get(pk=self.index.pk)
            last_path = (
                Page.objects.using(self.db)
                .filter(path__startswith=parent.path, depth=parent.depth + 1)
                .order_by("-path")
                .values_list("path", flat=True)
                .first()
            )
            first_step = Page._str2int(last_path[-Page.steplen :]) + 1 if last_path else 1
            if len(Page._int2str(first_step + len(articles) - 1)) > Page.steplen:
                raise ValueError(
                    f"The section {parent.url_path} has no room for {len(articles)} more children."
                )
            pages = []
            for step, article in enumerate(articles, start=first_step):
                slug = self.slugs.allocate(article["title"])
                published_at = min(timezone.make_aware(article["published_at"]), now)
                pages.append(
                    Page(
                        content_type=self.content_type,
                        path=Page._get_path(parent.path, parent.depth + 1, step),
                        depth=parent.depth + 1,
                        numchild=0,
                        translation_key=uuid.uuid4(),
                        locale_id=parent.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published_at,
                        last_published_at=published_at,
                        title=article["title"],
                        draft_title=article["title"],
                        slug=slug,
                        url_path=f"{parent.url_path}{slug}/",
                        show_in_menus=False,
                        seo_title="",
                        search_description="",
                    )
                )
            Page.objects.using(self.db).bulk_create(pages)
            news = []
            for page, article in zip(pages, articles, strict=True):
                item = NewsPage(
                    page_ptr_id=page.pk,
                    section_id=parent.pk,
                    date=article["date"],
                    author=article["author"],
                    intro=article["intro"],
                    hero_image_id=self.image.pk if article["has_hero"] else None,
                    hero_caption=article["hero_caption"],
                )
                item.body = [
                    (kind, {**value, "image": self.image} if kind == "image" else value)
                    for kind, value in article["body"]
                ]
                news.append(item)
            self.insert_news_rows(news)
            self.sector_through.objects.using(self.db).bulk_create(
                self.sector_through(
                    **{self.sector_columns[0]: page.pk, self.sector_columns[1]: self.sector_ids[slug]}
                )
                for page, article in zip(pages, articles, strict=True)
                for slug in article["sectors"]
            )
            NewsPageTag.objects.using(self.db).bulk_create(
                NewsPageTag(content_object_id=page.pk, tag_id=self.tag_id(name))
                for page, article in zip(pages, articles, strict=True)
                for name in article["tags"]
            )
            Page.objects.using(self.db).filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
            self.index_for_search([page.pk for page in pages])
            pages_written.send(sender=NewsPage, ids=[page.pk for page in pages])
        return pages

    def insert_news_rows(self, news):
        """
        The news_newspage rows alone: Django's bulk_create refuses multi-table-inheritance
        children, so this is the INSERT that save_base(raw=True) does for the child table
        (QuerySet._insert, which bulk_create also uses), many rows per statement. Each value goes
        through its field's get_db_prep_save: the StreamField serialises the body to JSON (jsonb
        on PostgreSQL, text on SQLite) and gives every block its uuid.
        """
        connection = connections[self.db]
        size = max(1, connection.ops.bulk_batch_size(self.local_fields, news))
        manager = NewsPage._base_manager.using(self.db)
        for start in range(0, len(news), size):
            manager._insert(news[start : start + size], fields=self.local_fields, using=self.db, raw=True)

    def index_for_search(self, ids):
        pages = []
        for start in range(0, len(ids), 500):  # IN lists under SQLite's classic 999-parameter limit
            chunk = ids[start : start + 500]
            pages.extend(NewsPage.objects.using(self.db).filter(pk__in=chunk).prefetch_related("sectors"))
        for backend in get_search_backends():
            backend.add_bulk(NewsPage, pages)


def generate_news(count, seed=1, batch_size=1000, today=None, progress=None, log=lambda message: None):
    """
    Add `count` generated NewsPages to the default site's news section; return the pages'
    number. `progress(done)` is called after each batch.
    """
    index = ensure_demo_content(log)
    sectors = list(
        CooperationSector.objects.canonical().order_by("sort_order", "name").values_list("slug", "name")
    )
    writer = NewsWriter(index, ensure_placeholder_image())
    rng = random.Random(seed)  # noqa: S311 (content, not secrets: reproducible on purpose)
    today = today or timezone.localdate()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        writer.write([article_data(rng, today, sectors) for _ in range(size)])
        transaction.on_commit(lambda: content_changed.send(sender=NewsPage))  # no Wagtail signals here
        done += size
        if progress:
            progress(done)
    refresh_planner_statistics()
    return done


def refresh_planner_statistics():
    """
    After a bulk load the database's statistics describe the empty tables: refresh them, so
    PostgreSQL uses the search index rather than scanning (SQLite's equivalent is cheap too).
    Outside a transaction PostgreSQL also vacuums, as autovacuum would a while later: until then
    an index-only scan still reads every row it finds, to learn whether it is visible.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        statement = "PRAGMA optimize"
    else:
        statement = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
