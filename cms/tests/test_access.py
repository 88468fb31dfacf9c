"""
Nothing hidden is ever returned to anonymous clients (docs/contract.md#invariants, 1).

One site holds every kind of hidden content next to visible pages that link to it, use it or sit
below it; each test reaches for it one way. Every hidden title, slug, file name and alt text contains
"hidden", so a response leaks if "hidden" appears anywhere in it.
"""

import datetime
import json

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction, Locale, Page, PageViewRestriction, Site
from wagtail_factories import DocumentFactory, ImageFactory

from answers.models import StoredAnswer
from news.factories import (
    CooperationSectorFactory,
    HomePageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
)
from publishing.visibility import media_is_visible
from testing.graphql import GraphQLClient
from testing.users import ReviewDesk

NEWS_FIELDS = """
  __typename id title slug url urlPath
  ... on NewsPage {
    intro heroCaption
    heroImage { title url srcSet(sizes: [320]) }
    sectors { slug newsCount } tags { slug }
    related(limit: 20) { title slug urlPath } previous { title slug } next { title slug }
    body {
      rawValue
      ... on RichTextBlock { value }
      ... on ImageBlock {
        caption image { title url rendition(width: 320) { url } }
        blocks { rawValue ... on ImageChooserBlock { image { title url } } }
      }
      ... on DocumentChooserBlock { document { title url } }
    }
  }
  parent { title urlPath } ancestors { title urlPath } children(limit: 100) { title urlPath }
  seo { title description canonicalUrl image { url alt } }
"""
# What a list answered from stored answers (answers/stored.py) selects: fields of the stored
# shape only, images' renditions executed on the live images.
STORED_FIELDS = """
  title
  heroImage { title url rendition(width: 320) { url } }
  body { rawValue ... on RichTextBlock { value } ... on ImageBlock { caption image { title url } } }
"""


def image_embed(image, alt):
    """A rich-text image as Wagtail stores it."""
    return f'<embed embedtype="image" id="{image.pk}" format="fullwidth" alt="{alt}"/>'


# Every field for 100 items at once is over the default cost limit; access is what is tested here.
@override_settings(GRAPHQL_MAX_COST=10_000_000)
class AnonymousAccessTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=root)
        Site.objects.update(root_page=cls.home)
        cls.index = NewsIndexPageFactory(parent=cls.home)
        sector = CooperationSectorFactory(slug="y-te", name="Y tế")
        news = {"parent": cls.index, "sectors": [sector], "tags": ["bí mật"]}

        cls.secret = secret = Collection.get_first_root_node().add_child(name="Nội bộ")
        CollectionViewRestriction.objects.create(collection=secret, restriction_type="login")
        below_secret = secret.add_child(name="Nội bộ con")
        cls.hidden_image = ImageFactory(
            title="HIDDEN image", collection=below_secret, file__filename="hidden.jpg"
        )
        cls.hidden_document = DocumentFactory(
            title="HIDDEN document", collection=secret, file__filename="hidden.txt"
        )
        public_image = ImageFactory(title="Ảnh công khai", file__filename="cong-khai.jpg")

        hidden = {}
        hidden["never published"] = NewsPageFactory(title="HIDDEN never published", live=False, **news)

        changed = NewsPageFactory(title="Tin có bản nháp", **news)
        changed.save_revision().publish()
        changed.title, changed.intro, changed.slug = "HIDDEN draft title", "HIDDEN draft intro", "hidden-slug"
        changed.save_revision()

        scheduled = NewsPageFactory(title="HIDDEN scheduled", live=False, **news)
        scheduled.go_live_at = timezone.now() + datetime.timedelta(days=1)
        scheduled.save_revision().publish()
        hidden["scheduled"] = scheduled

        # The review workflow (editorial/): a reporter's pages submitted, sent back or approved to
        # go live tomorrow, and a live page whose changes wait for review.
        desk = ReviewDesk()
        submit, decide = desk.submit, desk.decide
        hidden["in review"] = NewsPageFactory(title="HIDDEN in review", live=False, **news)
        submit(hidden["in review"])
        hidden["sent back"] = NewsPageFactory(title="HIDDEN sent back", live=False, **news)
        decide(submit(hidden["sent back"]), "reject")
        approved = NewsPageFactory(title="HIDDEN approved for tomorrow", live=False, **news)
        approved.go_live_at = timezone.now() + datetime.timedelta(days=1)
        decide(submit(approved), "approve")
        hidden["approved, scheduled"] = approved
        in_review = NewsPageFactory(title="Tin có sửa đổi chờ duyệt", **news)
        in_review.save_revision().publish()
        in_review.title, in_review.intro = "HIDDEN title in review", "HIDDEN intro in review"
        submit(in_review)
        cls.in_review = in_review

        hidden["expired"] = NewsPageFactory(
            title="HIDDEN expired", expire_at=timezone.now() - datetime.timedelta(seconds=1), **news
        )
        for kind in ("password", "login", "groups"):
            page = hidden[kind] = NewsPageFactory(title=f"HIDDEN {kind}", **news)
            restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="mk")
            if kind == "groups":
                restriction.groups.add(Group.objects.create(name="Biên tập"))

        private_home = HomePageFactory(parent=root, title="HIDDEN private home", slug="hidden-home")
        PageViewRestriction.objects.create(page=private_home, restriction_type="login")
        private_index = NewsIndexPageFactory(parent=private_home, title="HIDDEN private section")
        hidden["below a restriction"] = NewsPageFactory(
            title="HIDDEN below restriction", **{**news, "parent": private_index}
        )

        other_home = HomePageFactory(parent=root, title="Trang phụ", slug="trang-phu")
        draft_index = NewsIndexPageFactory(parent=other_home, title="HIDDEN draft section", live=False)
        cls.under_draft_section = NewsPageFactory(title="Tin dưới chuyên mục nháp", parent=draft_index)

        links = "".join(
            f'<a linktype="page" id="{page.pk}">liên kết {n}</a> ' for n, page in enumerate(hidden.values())
        )
        document_link = f'<a linktype="document" id="{cls.hidden_document.pk}">tệp</a>'
        hidden_embed = image_embed(cls.hidden_image, "HIDDEN alt text")
        cls.linking = NewsPageFactory(
            title="Tin công khai có liên kết",
            hero_image=cls.hidden_image,
            body=[
                ("paragraph", f"<p>{links}{document_link}</p>{hidden_embed}"),
                ("image", {"image": cls.hidden_image, "caption": "Ảnh", "credit": ""}),
                ("document", cls.hidden_document),
            ],
            **news,
        )
        # Every kind of hidden media, and no link to a page: lists store its answer.
        cls.embedding = NewsPageFactory(
            title="Tin công khai có ảnh nhúng",
            hero_image=cls.hidden_image,
            body=[
                ("paragraph", f"<p>Ảnh và {document_link}</p>{hidden_embed}<p>Hết.</p>"),
                ("image", {"image": cls.hidden_image, "caption": "Ảnh", "credit": ""}),
            ],
            **news,
        )
        cls.plain = NewsPageFactory(title="Tin công khai", hero_image=public_image, **news)
        # English: the site's translation, a live translation whose new title waits as a draft, and
        # a translation never published.
        english = Locale.objects.get(language_code="en")
        for page in (cls.home, cls.index):
            page.copy_for_translation(english).save_revision().publish()
        translated = Page.objects.get(pk=changed.pk).specific.copy_for_translation(english)
        translated.title, translated.slug = "Tin có bản nháp (EN)", "draft-news"
        translated.save_revision().publish()
        translated.refresh_from_db()
        translated.title = "HIDDEN draft translation title"
        translated.save_revision()
        cls.translated = translated
        unpublished = cls.plain.copy_for_translation(english)
        unpublished.title, unpublished.slug = "HIDDEN unpublished translation", "hidden-translation"
        unpublished.save()
        unpublished.save_revision()
        hidden["unpublished translation"] = unpublished
        cls.hidden, cls.changed = hidden, changed
        cls.visible_titles = {
            "Tin công khai có liên kết",
            "Tin công khai có ảnh nhúng",
            "Tin công khai",
            "Tin có bản nháp",
            "Tin có sửa đổi chờ duyệt",
        }

    def setUp(self):
        self.gql = GraphQLClient(self.client)

    def query(self, query):
        data = self.gql(query)
        text = json.dumps(data, ensure_ascii=False).lower()
        self.assertNotIn("hidden", text, msg=f"hidden content leaked through {query}")
        return data

    def test_the_fixture_really_hides_content(self):
        self.assertEqual(Page.objects.filter(title__startswith="HIDDEN").count(), 14)
        self.assertFalse(Page.objects.get(pk=self.hidden["unpublished translation"].pk).live)
        self.assertTrue(self.translated.get_latest_revision().content["title"].startswith("HIDDEN"))
        self.assertTrue(self.changed.get_latest_revision().content["title"].startswith("HIDDEN"))
        states = {kind: self.hidden[kind].workflow_states.get() for kind in ("in review", "sent back")}
        self.assertEqual(states["in review"].status, "in_progress")
        self.assertEqual(states["sent back"].status, "needs_changes")
        approved = Page.objects.get(pk=self.hidden["approved, scheduled"].pk)
        self.assertEqual(approved.workflow_states.get().status, "approved")
        self.assertFalse(approved.live)
        self.assertEqual(approved.revisions.exclude(approved_go_live_at=None).count(), 1)
        self.assertEqual(self.in_review.workflow_states.get().status, "in_progress")
        self.assertEqual(Page.objects.get(pk=self.in_review.pk).title, "Tin có sửa đổi chờ duyệt")
        self.assertEqual(self.hidden["scheduled"].revisions.exclude(approved_go_live_at=None).count(), 1)
        self.assertFalse(media_is_visible(self.hidden_image))
        self.assertFalse(media_is_visible(self.hidden_document))
        for page in (self.linking, self.embedding):
            paragraph = page.body.raw_data[0]["value"]
            self.assertIn(f'<embed embedtype="image" id="{self.hidden_image.pk}"', paragraph)
            self.assertIn('alt="HIDDEN alt text"', paragraph)

    def test_news_lists(self):
        for arguments in ["perPage: 100", 'sector: "y-te", perPage: 100', 'tag: "bi-mat", perPage: 100']:
            with self.subTest(arguments):
                items = self.query(f"{{ newsPages({arguments}) {{ items {{ {NEWS_FIELDS} }} }} }}")[
                    "newsPages"
                ]
                self.assertEqual({item["title"] for item in items["items"]}, self.visible_titles)

    def test_search_and_its_excerpts(self):
        for words in ["hidden", "HIDDEN draft title", "hidden never published", "tin"]:
            with self.subTest(words):
                found = self.query(
                    f'{{ search(query: "{words}", perPage: 100) {{ items {{ {NEWS_FIELDS} searchExcerpt }} '
                    "pagination { total } } }"
                )["search"]
                self.assertTrue({item["title"] for item in found["items"]} <= self.visible_titles)
                self.assertEqual(found["pagination"]["total"], len(found["items"]))

    def test_sector_counts(self):
        sectors = self.query('{ sectors { slug newsCount } sector(slug: "y-te") { newsCount } }')
        self.assertEqual(sectors["sectors"], [{"slug": "y-te", "newsCount": 5}])
        self.assertEqual(sectors["sector"]["newsCount"], 5)

    def test_each_hidden_page_one_by_one(self):
        for kind, page in self.hidden.items():
            with self.subTest(kind):
                found = self.query(
                    f'{{ byId: page(id: "{page.pk}") {{ title }} '
                    f'byPath: page(urlPath: "/tin-tuc/{page.slug}/") {{ title }} '
                    f'bySlug: newsPage(slug: "{page.slug}") {{ title }} }}'
                )
                self.assertEqual(found, {"byId": None, "byPath": None, "bySlug": None})

    def test_the_sitemap_lists_public_pages_only(self):
        query = "{ sitemap { items { urlPath lastPublishedAt } pagination { total } } }"
        entries = self.query(query)["sitemap"]
        paths = {entry["urlPath"] for entry in entries["items"]}
        public = [self.linking, self.embedding, self.plain, self.changed, self.in_review]
        live = Page.objects.filter(pk__in=[page.pk for page in public])
        prefix = len(self.home.url_path) - 1  # the live paths, whatever the drafts say
        visible = {path[prefix:] for path in live.values_list("url_path", flat=True)}
        self.assertEqual(paths, {"/", "/tin-tuc/"} | visible)
        self.assertEqual(entries["pagination"]["total"], len(paths))

    def test_no_redirect_leads_to_a_hidden_page(self):
        from wagtail.contrib.redirects.models import Redirect

        for kind, page in self.hidden.items():
            with self.subTest(kind):
                Redirect.add_redirect(f"/cu/{page.pk}/", page)
                self.assertIsNone(
                    self.query(f'{{ redirect(path: "/cu/{page.pk}/") {{ urlPath url }} }}')["redirect"]
                )
        Redirect.add_redirect("/cu/cong-khai/", self.plain)
        found = self.query('{ redirect(path: "/cu/cong-khai/") { urlPath } }')["redirect"]
        self.assertEqual(found, {"urlPath": f"/tin-tuc/{self.plain.slug}/"})

    def test_related_previous_and_next_news_are_visible_ones(self):
        """Every hidden page shares the visible ones' sector and tag, and sits among them by date."""
        for page in [self.plain, self.linking, self.changed, self.in_review]:
            with self.subTest(page.title):
                found = self.query(
                    f'{{ page(id: "{page.pk}") {{ ... on NewsPage {{ title related(limit: 20) {{ title }} '
                    "previous { title } next { title } } } }"
                )["page"]
                related = {item["title"] for item in found["related"]}
                self.assertEqual(related, self.visible_titles - {found["title"]})
                neighbours = {(found[side] or {}).get("title") for side in ("previous", "next")}
                self.assertTrue(neighbours - {None} <= self.visible_titles - {found["title"]})
        first = 'newsPages(order: "ORDER", perPage: 1) { items { previous { title } } }'
        oldest, newest = (self.query(f"{{ {first.replace('ORDER', order)} }}") for order in ("date", "-date"))
        self.assertIsNone(oldest["newsPages"]["items"][0]["previous"])
        self.assertIsNotNone(newest["newsPages"]["items"][0]["previous"])

    def test_english_lists_pages_and_translations(self):
        """An unpublished translation never shows, nor the draft of a live one, in either language."""
        items = f"items {{ {NEWS_FIELDS} translations {{ title }} }}"
        english = self.query(
            f'{{ newsPages(locale: "en", perPage: 100) {{ {items} }}'
            '  search(query: "tin", locale: "en") { items { title } } '
            '  sitemap(locale: "en") { items { urlPath } } }'
        )
        self.assertEqual([item["title"] for item in english["newsPages"]["items"]], ["Tin có bản nháp (EN)"])
        self.assertEqual(english["newsPages"]["items"][0]["translations"], [{"title": "Tin có bản nháp"}])
        self.assertEqual([item["title"] for item in english["search"]["items"]], ["Tin có bản nháp (EN)"])
        self.assertEqual(
            [item["urlPath"] for item in english["sitemap"]["items"]],
            ["/en/", "/en/tin-tuc/", "/en/tin-tuc/draft-news/"],
        )
        unpublished = self.hidden["unpublished translation"]
        found = self.query(
            f'{{ byPath: page(urlPath: "/en/tin-tuc/{unpublished.slug}/") {{ title }} '
            f'bySlug: newsPage(slug: "{unpublished.slug}", locale: "en") {{ title }} }}'
        )
        self.assertEqual(found, {"byPath": None, "bySlug": None})
        for page in [self.plain, self.changed]:
            with self.subTest(page.title):
                found = self.query(f'{{ page(id: "{page.pk}") {{ translations {{ title urlPath }} }} }}')[
                    "page"
                ]
                expected = [{"title": "Tin có bản nháp (EN)", "urlPath": "/en/tin-tuc/draft-news/"}]
                self.assertEqual(found["translations"], expected if page is self.changed else [])

    def test_restricted_sections_and_their_pages(self):
        for title in ["HIDDEN private home", "HIDDEN private section", "HIDDEN draft section"]:
            with self.subTest(title):
                page = Page.objects.get(title=title)
                self.assertIsNone(self.query(f'{{ page(id: "{page.pk}") {{ title }} }}')["page"])

    def test_the_live_revision_of_a_page_with_unpublished_changes(self):
        page = self.query(f'{{ page(id: "{self.changed.pk}") {{ {NEWS_FIELDS} }} }}')["page"]
        self.assertEqual(page["title"], "Tin có bản nháp")
        self.assertEqual(page["slug"], "tin-co-ban-nhap")
        page = self.query(f'{{ page(id: "{self.in_review.pk}") {{ {NEWS_FIELDS} }} }}')["page"]
        self.assertEqual(page["title"], "Tin có sửa đổi chờ duyệt")  # its changes wait for review

    def test_relations(self):
        for page in [self.home, self.index, self.linking, self.under_draft_section]:
            with self.subTest(page.title):
                self.query(f'{{ page(id: "{page.pk}") {{ {NEWS_FIELDS} }} }}')
        under = self.query(
            f'{{ page(id: "{self.under_draft_section.pk}") {{ parent {{ title }} ancestors {{ title }} }} }}'
        )
        self.assertEqual(under["page"], {"parent": None, "ancestors": [{"title": "Trang phụ"}]})
        children = self.query(f'{{ page(id: "{self.index.pk}") {{ children(limit: 100) {{ title }} }} }}')
        self.assertEqual({child["title"] for child in children["page"]["children"]}, self.visible_titles)

    def test_restricted_images_documents_and_links(self):
        page = self.query(f'{{ page(id: "{self.linking.pk}") {{ {NEWS_FIELDS} }} }}')["page"]
        self.assertIsNone(page["heroImage"])
        paragraph, image, document = page["body"]
        self.assertIsNone(image["image"])
        self.assertIsNone(document["document"])
        self.assertIn("<a>liên kết 0</a>", paragraph["value"])
        self.assertIn("<a>tệp</a>", paragraph["value"])
        self.assertNotIn("href", paragraph["value"])
        self.assertNotIn("<img", paragraph["value"])

    def test_raw_values_name_nothing_hidden(self):
        body = self.query(
            f'{{ page(id: "{self.linking.pk}") {{ ... on NewsPage {{ body {{ rawValue }} }} }} }}'
        )
        paragraph, image, document = (block["rawValue"] for block in body["page"]["body"])
        for page in self.hidden.values():
            self.assertNotIn(f'id="{page.pk}"', paragraph)
        self.assertNotIn(f'id="{self.hidden_document.pk}"', paragraph)
        self.assertNotIn(f'id="{self.hidden_image.pk}"', paragraph)
        self.assertIn("<a>liên kết 0</a>", paragraph)
        self.assertIn("<a>tệp</a>", paragraph)
        self.assertEqual(json.loads(image), {"image": None, "caption": "Ảnh", "credit": ""})
        self.assertEqual(document, "null")

    def test_raw_values_keep_references_to_public_content(self):
        image = ImageFactory(title="Ảnh công khai 2", file__filename="cong-khai-2.jpg")
        page = NewsPageFactory(
            parent=self.index,
            title="Tin có ảnh công khai",
            body=[
                ("paragraph", f'<p><a linktype="page" id="{self.plain.pk}">xem</a></p>'),
                ("image", {"image": image, "caption": "Ảnh", "credit": "TTXVN"}),
            ],
        )
        body = self.query(f'{{ page(id: "{page.pk}") {{ ... on NewsPage {{ body {{ rawValue }} }} }} }}')
        paragraph, image_block = (block["rawValue"] for block in body["page"]["body"])
        self.assertEqual(paragraph, f'<p><a linktype="page" id="{self.plain.pk}">xem</a></p>')
        self.assertEqual(json.loads(image_block)["image"], image.pk)

    def test_public_images_and_links_still_show(self):
        page = self.query(f'{{ newsPage(slug: "{self.plain.slug}") {{ heroImage {{ title url }} }} }}')[
            "newsPage"
        ]
        self.assertEqual(page["heroImage"]["title"], "Ảnh công khai")
        linking = NewsPageFactory(
            parent=self.index, title="Liên kết tới tin công khai",
            body=[("paragraph", f'<p><a linktype="page" id="{self.plain.pk}">xem</a></p>')],
        )  # fmt: skip
        body = self.query(
            f'{{ newsPage(slug: "{linking.slug}") {{ body {{ ... on RichTextBlock {{ value }} }} }} }}'
        )
        self.assertIn(f'<a href="/tin-tuc/{self.plain.slug}/">xem</a>', body["newsPage"]["body"][0]["value"])

    def test_rich_text_images_from_restricted_collections_render_as_nothing(self):
        """
        A rich-text image of a restricted collection is left out of `RichTextBlock.value` on every
        path: one page, a list built and then read from stored answers, a list and a search from
        the database, and a response served from the cache. No rendition of it is made.
        """
        slug, expected = self.embedding.slug, "<p>Ảnh và <a>tệp</a></p><p>Hết.</p>"
        stored = f"newsPages(perPage: 100) {{ items {{ {STORED_FIELDS} }} }}"

        def paragraphs(items):
            return {item["title"]: item["body"][0].get("value") for item in items}

        built = self.query(f"{{ building: {stored} }}")["building"]["items"]
        self.assertIsNotNone(StoredAnswer.objects.get(page=self.embedding).data)
        read = self.query(f"{{ reading: {stored} }}")["reading"]["items"]
        one = self.query(f'{{ newsPage(slug: "{slug}") {{ {STORED_FIELDS} }} }}')["newsPage"]
        database = self.query(f"{{ newsPages(perPage: 100) {{ items {{ {NEWS_FIELDS} }} }} }}")
        found = self.query(f'{{ search(query: "ảnh nhúng") {{ items {{ {NEWS_FIELDS} }} }} }}')
        for name, items in {
            "stored answers, building": built,
            "stored answers, reading": read,
            "newsPage": [one],
            "database": database["newsPages"]["items"],
            "search": found["search"]["items"],
        }.items():
            with self.subTest(name):
                self.assertEqual(paragraphs(items)["Tin công khai có ảnh nhúng"], expected)
        self.assertNotIn("hidden", json.dumps(StoredAnswer.objects.get(page=self.embedding).data).lower())
        query = f'{{ page(id: "{self.linking.pk}") {{ {NEWS_FIELDS} }} }}'
        for expected_cache in ("MISS", "HIT"):
            response, body = self.gql.post(query)
            self.assertEqual(response["X-Cache"], expected_cache)
            self.assertNotIn("hidden", response.content.decode().lower())
            self.assertNotIn("<img", body["data"]["page"]["body"][0]["value"])
        self.assertFalse(self.hidden_image.renditions.exists())

    def test_html_routes_show_no_restricted_media(self):
        """
        The CMS's own page routes render no hidden hero image, image block, document block,
        rich-text image or rich-text document link, and make no rendition of a hidden image.
        """
        for path in ["/", "/tin-tuc/", self.linking.url, self.embedding.url]:
            with self.subTest(path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn("hidden", response.content.decode().lower())
        html = self.client.get(self.embedding.url).content.decode()
        self.assertIn("<p>Ảnh và <a>tệp</a></p><p>Hết.</p>", html)
        self.assertNotIn("<img", html)
        self.assertFalse(self.hidden_image.renditions.exists())
        public = self.client.get(self.plain.url).content.decode()
        self.assertIn("cong-khai", public)  # a public image still shows

    def test_an_image_made_private_later_leaves_every_answer(self):
        """
        An image a page showed when it was published and read — filling the stored answers, the
        response cache and its renditions — then moved into a restricted collection, or its own
        collection restricted, leaves every answer and the page's HTML route at once.
        """

        def move_into_the_restricted_collection(image):
            image.collection = self.secret
            image.save()

        def restrict_its_collection(image):
            CollectionViewRestriction.objects.create(collection=image.collection, restriction_type="login")

        ways = {
            "moved into a restricted collection": move_into_the_restricted_collection,
            "its collection restricted": restrict_its_collection,
        }
        for n, (way, make_private) in enumerate(ways.items()):
            with self.subTest(way):
                with self.captureOnCommitCallbacks(execute=True):
                    collection = Collection.get_first_root_node().add_child(name=f"Ảnh sắp ẩn {n}")
                    image = ImageFactory(
                        title="Ảnh HIDDEN sau này",
                        collection=collection,
                        file__filename=f"later-hidden-{n}.jpg",
                    )
                    page = NewsPageFactory(
                        parent=self.index,
                        title=f"Tin có ảnh sắp ẩn {n}",
                        hero_image=image,
                        body=[
                            ("paragraph", f"<p>Trước</p>{image_embed(image, 'HIDDEN alt later')}<p>Sau</p>"),
                            ("image", {"image": image, "caption": "Ảnh", "credit": ""}),
                        ],
                    )
                queries = [
                    f"{{ newsPages(perPage: 100) {{ items {{ {STORED_FIELDS} }} }} }}",
                    f'{{ newsPage(slug: "{page.slug}") {{ {STORED_FIELDS} }} }}',
                    f"{{ newsPages(perPage: 100) {{ items {{ {NEWS_FIELDS} }} }} }}",
                    f'{{ search(query: "ảnh sắp ẩn") {{ items {{ {NEWS_FIELDS} }} }} }}',
                    f'{{ page(id: "{page.pk}") {{ {NEWS_FIELDS} }} }}',
                ]
                for query in queries:
                    self.gql(query)
                    response, _body = self.gql.post(query)
                    self.assertEqual(response["X-Cache"], "HIT")
                    self.assertIn(f"later-hidden-{n}", response.content.decode())
                self.assertIn(f"later-hidden-{n}", self.client.get(page.url).content.decode())
                self.assertIsNotNone(StoredAnswer.objects.get(page=page).data)
                self.assertIn('alt="HIDDEN alt later"', str(StoredAnswer.objects.get(page=page).data))

                with self.captureOnCommitCallbacks(execute=True):
                    make_private(image)
                self.assertFalse(media_is_visible(type(image).objects.get(pk=image.pk)))
                image.renditions.all().delete()  # made while it was public
                for query in queries:
                    self.query(query)
                    self.query(query)  # the response cache
                self.assertNotIn("hidden", self.client.get(page.url).content.decode().lower())
                self.assertFalse(image.renditions.exists())
