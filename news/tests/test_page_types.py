from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from news.factories import HomePageFactory, NewsIndexPageFactory
from news.models import NewsIndexPage, NewsPage
from testing.content import empty_inlines


class PageTypeRulesTests(WagtailPageTestCase):
    """Editors can only build the tree the frontends expect: site root → Tin tức → news."""

    @classmethod
    def setUpTestData(cls):
        cls.root = Page.get_first_root_node()
        cls.home = HomePageFactory(parent=cls.root)
        cls.index = NewsIndexPageFactory(parent=cls.home)

    def test_home_page_lives_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(NewsIndexPage, HomePage)
        self.assertCanNotCreateAt(NewsPage, HomePage)

    def test_home_page_holds_the_news_section(self):
        self.assertAllowedSubpageTypes(HomePage, {NewsIndexPage})

    def test_news_section_holds_only_news_pages(self):
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertCanCreateAt(NewsIndexPage, NewsPage)
        self.assertCanNotCreateAt(Page, NewsPage)

    def test_one_news_section_per_home_page(self):
        self.assertFalse(NewsIndexPage.can_create_at(self.home))
        other_home = HomePageFactory(parent=self.root, title="Trang chủ 2")
        self.assertTrue(NewsIndexPage.can_create_at(other_home))

    def test_news_pages_have_no_children(self):
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_editor_can_create_a_news_page_in_the_admin(self):
        self.client.force_login(self.create_test_user())  # force: sign-ins need a request (django-axes)
        self.assertCanCreate(
            self.index,
            NewsPage,
            {
                "title": "Hợp tác phát triển du lịch Ba Bể",
                "slug": "hop-tac-phat-trien-du-lich-ba-be",
                "date": "2026-11-28",
                "author": "Nguyễn Nga",
                "intro": "Bắc Kạn tăng cường quảng bá du lịch tại Hà Nội.",
                "hero_caption": "",
                "body-count": "0",
                "tags": "du lịch, Ba Bể",
                **empty_inlines(),
            },
        )
        page = NewsPage.objects.get(slug="hop-tac-phat-trien-du-lich-ba-be")
        self.assertEqual(sorted(tag.slug for tag in page.tags.all()), ["ba-be", "du-lich"])
