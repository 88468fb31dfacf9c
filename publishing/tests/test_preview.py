import datetime
import re
from html import unescape

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.test.utils import WagtailPageTestCase
from wagtail_headless_preview.models import PagePreview

from news.factories import CooperationSectorFactory, HomePageFactory, NewsIndexPageFactory, NewsPageFactory
from publishing.preview import CLEAN_UP_CACHE_KEY, InvalidPreviewToken, signer
from testing.content import draft_news_form
from testing.graphql import GraphQLClient

FRONTEND = {"CLIENT_URLS": {"default": "http://frontend.test/preview"}}
TOKEN_QUERY = "query ($token: String!) { page(token: $token) { __typename id title urlPath ...N } }"
TOKEN_QUERY += (
    " fragment N on NewsPage { author intro sectors { slug } tags { slug } body { field rawValue } }"
)


class PreviewTests(WagtailPageTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = HomePageFactory(parent=Page.get_first_root_node())
        Site.objects.update(root_page=cls.home)
        cls.index = NewsIndexPageFactory(parent=cls.home)
        cls.sector = CooperationSectorFactory(slug="giao-duc", name="Giáo dục")
        cls.page = NewsPageFactory(parent=cls.index, title="Tin đã xuất bản", slug="tin-da-xuat-ban")

    def setUp(self):
        self.client.force_login(self.create_test_user())  # force: sign-ins need a request (django-axes)
        self.anonymous = GraphQLClient(Client())

    def preview(self, url, data):
        response = self.client.post(url, data)
        self.assertEqual(response.json()["is_valid"], True, response.content)
        return self.client.get(url)

    def edit_preview(self, **changes):
        data = draft_news_form(slug=self.page.slug, sectors=[self.sector.pk], **changes)
        return self.preview(f"/admin/pages/{self.page.pk}/edit/preview/", data)

    def token_from(self, response):
        [src] = re.findall(r'<iframe src="([^"]+)"', response.content.decode())
        url = unescape(src)
        self.assertTrue(url.startswith("http://frontend.test/preview?"), url)
        return re.search(r"[?&]token=([^&]+)", url).group(1).replace("%3A", ":")

    def test_every_page_type_is_previewable(self):
        self.assertPageIsPreviewable(self.home)
        self.assertPageIsPreviewable(self.index)
        self.assertPageIsPreviewable(self.page, post_data=draft_news_form(slug=self.page.slug))

    def test_without_a_frontend_the_cms_renders_the_draft(self):
        response = self.edit_preview()
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertIn("Bản nháp: Hà Nội hỗ trợ Bắc Kạn xây trường", html)
        self.assertIn("Sapo của bản nháp.", html)
        self.assertIn("<h2>Giáo dục</h2>", html)
        self.assertNotIn("<iframe", html)
        self.assertEqual(PagePreview.objects.count(), 0)

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND)
    def test_with_a_frontend_the_panel_hands_it_a_token_for_the_draft(self):
        token = self.token_from(self.edit_preview())
        draft = self.anonymous(TOKEN_QUERY, {"token": token})["page"]
        self.assertEqual(draft["__typename"], "NewsPage")
        self.assertEqual(draft["id"], str(self.page.pk))
        self.assertEqual(draft["title"], "Bản nháp: Hà Nội hỗ trợ Bắc Kạn xây trường")
        self.assertEqual(draft["urlPath"], "/tin-tuc/tin-da-xuat-ban/")
        self.assertEqual(draft["sectors"], [{"slug": "giao-duc"}])
        self.assertEqual(draft["tags"], [{"slug": "giao-duc"}])
        self.assertEqual(draft["body"], [{"field": "heading", "rawValue": "Giáo dục"}])
        by_news_page = self.anonymous("query ($t: String!) { newsPage(token: $t) { title } }", {"t": token})
        self.assertEqual(by_news_page["newsPage"]["title"], draft["title"])
        # The live page is untouched.
        live = self.anonymous(f'{{ page(id: "{self.page.pk}") {{ title }} }}')["page"]
        self.assertEqual(live["title"], "Tin đã xuất bản")

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND)
    def test_a_page_never_saved_previews_too(self):
        url = f"/admin/pages/add/news/newspage/{self.index.pk}/preview/"
        token = self.token_from(
            self.preview(url, draft_news_form(title="Tin chưa từng lưu", slug="tin-chua-tung-luu"))
        )
        draft = self.anonymous(TOKEN_QUERY, {"token": token})["page"]
        self.assertEqual((draft["id"], draft["title"]), (None, "Tin chưa từng lưu"))
        self.assertEqual(draft["urlPath"], "/tin-tuc/tin-chua-tung-luu/")

    @override_settings(WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"localhost": "http://vi.frontend.test/"}})
    def test_frontends_are_chosen_per_site(self):
        response = self.edit_preview()
        self.assertIn('src="http://vi.frontend.test/?content_type=news.newspage', response.content.decode())

    @override_settings(
        WAGTAIL_HEADLESS_PREVIEW={"CLIENT_URLS": {"default": "http://frontend.test/xem?lang=vi"}}
    )
    def test_a_frontend_url_with_a_query_keeps_it(self):
        html = self.edit_preview().content.decode()
        self.assertIn('src="http://frontend.test/xem?lang=vi&amp;content_type=news.newspage&amp;token=', html)

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND)
    def test_a_token_stops_working_when_its_page_is_deleted(self):
        token = self.token_from(self.edit_preview())
        self.assertEqual(self.anonymous(TOKEN_QUERY, {"token": token})["page"]["id"], str(self.page.pk))
        response = self.client.post(f"/admin/pages/{self.page.pk}/delete/")
        self.assertEqual(response.status_code, 302)
        for query in (TOKEN_QUERY, "query ($token: String!) { newsPage(token: $token) { title } }"):
            self.assertEqual(self.anonymous.errors(query, {"token": token}), [InvalidPreviewToken.MESSAGE])

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND, PREVIEW_TOKEN_MAX_AGE=3600)
    def test_tokens_expire(self):
        token = self.token_from(self.edit_preview())
        later = timezone.now() + datetime.timedelta(seconds=3500)
        with time_machine.travel(later, tick=False):
            self.assertEqual(self.anonymous(TOKEN_QUERY, {"token": token})["page"]["id"], str(self.page.pk))
        with time_machine.travel(later + datetime.timedelta(seconds=101), tick=False):
            self.assertEqual(
                self.anonymous.errors(TOKEN_QUERY, {"token": token}), [InvalidPreviewToken.MESSAGE]
            )

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND)
    def test_every_bad_token_gets_the_same_error(self):
        token = self.token_from(self.edit_preview())
        home_token = self.token_from(
            self.preview(f"/admin/pages/{self.home.pk}/edit/preview/", {"title": "Nhà"})
        )
        with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=False):
            expired = token
            stale_answer = self.anonymous.errors(TOKEN_QUERY, {"token": expired})
        bad_tokens = {
            "tampered": token[:-1] + ("A" if token[-1] != "A" else "B"),
            "forged": "id=1:1sAbCd:forged-signature",
            "unknown": signer().sign("no-such-preview"),
            "page id": str(self.page.pk),
            "empty": "",
        }
        answers = {
            name: self.anonymous.errors(TOKEN_QUERY, {"token": bad}) for name, bad in bad_tokens.items()
        }
        answers["expired"] = stale_answer
        answers["wrong page type"] = self.anonymous.errors(
            "query ($t: String!) { newsPage(token: $t) { title } }", {"t": home_token}
        )
        self.assertEqual(answers, {name: [InvalidPreviewToken.MESSAGE] for name in answers})

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND, PREVIEW_TOKEN_MAX_AGE=3600)
    def test_expired_previews_are_deleted(self):
        cache.set(CLEAN_UP_CACHE_KEY, True)  # cleaned up a moment ago: only the command cleans now
        with time_machine.travel(timezone.now() - datetime.timedelta(hours=2), tick=False):
            self.edit_preview()
        self.edit_preview()
        self.assertEqual(PagePreview.objects.count(), 2)
        call_command("delete_expired_previews", stdout=open("/dev/null", "w"))
        [current] = PagePreview.objects.all()
        self.assertIsNotNone(self.anonymous(TOKEN_QUERY, {"token": current.token})["page"])

    @override_settings(WAGTAIL_HEADLESS_PREVIEW=FRONTEND, PREVIEW_TOKEN_MAX_AGE=3600)
    def test_previewing_cleans_up_now_and_then(self):
        with time_machine.travel(timezone.now() - datetime.timedelta(hours=2), tick=False):
            self.edit_preview()
        cache.clear()
        self.edit_preview()
        self.assertEqual(PagePreview.objects.count(), 1)


@pytest.mark.parametrize("token", [None, 12])
def test_non_string_tokens_are_refused(db, token):
    from publishing.preview import page_from_token

    with pytest.raises(InvalidPreviewToken):
        page_from_token(token)
