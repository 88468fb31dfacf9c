"""
`make run PORT=... FRONTEND_PORT=... FRONTEND=1`, the real Makefile, as a new user runs it: on a
fresh SQLite database, every URL the CMS writes is on the ports it was given — images and
documents on PORT; canonical URLs, the feeds' links and the preview panel's frontend on
FRONTEND_PORT — and none on the defaults (8000, 3000). The sitemap and webhooks give paths within
the site, never a host. One server start (about a minute and a half: migrate, the demo content).
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from testing.services import free_port, requires_service

URL = re.compile(r"""https?://[^\s"'<>\\]+""")
# Namespaces of the feeds' XML: names, not addresses the CMS links to.
XML_NAMESPACES = {"www.w3.org", "purl.org"}

pytestmark = requires_service("make")

# A news page with what the demo article lacks: a main image (seo.image) and a document, both
# in the body and linked from rich text.
MAKE_PAGE = """
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from news.models import NewsIndexPage, NewsPage
document = get_document_model().objects.create(
    title="Kế hoạch hợp tác", file=ContentFile(b"ke hoach\\n" * 50, name="ke-hoach.txt")
)
image = get_image_model().objects.first()
page = NewsPage(
    title="Kế hoạch hợp tác năm 2026", slug="ke-hoach-hop-tac-2026", author="Phóng viên",
    intro="Kế hoạch hợp tác giữa hai địa phương.", hero_image=image,
    body=[
        ("document", document),
        ("paragraph", f'<p><a linktype="document" id="{document.pk}">Tải kế hoạch</a></p>'),
    ],
)
NewsIndexPage.objects.get(slug="tin-tuc").add_child(instance=page)
page.save_revision().publish()
"""

PICTURE = "url srcSet(sizes: [320, 960]) rendition(width: 960) { url }"
ARTICLE = f"""
  id urlPath
  seo {{ canonicalUrl image {{ url }} }}
  ... on NewsPage {{
    heroImage {{ {PICTURE} }}
    body {{
      ... on RichTextBlock {{ value }}
      ... on ImageBlock {{ image {{ {PICTURE} }} }}
      ... on DocumentChooserBlock {{ document {{ url }} }}
    }}
  }}
"""
QUERY = f"""
{{
  vi: newsPages {{ items {{ {ARTICLE} }} }}
  en: newsPages(locale: "en") {{ items {{ {ARTICLE} }} }}
  home: page(urlPath: "/en/") {{ seo {{ canonicalUrl }} translations {{ urlPath }} }}
  sitemap {{ items {{ urlPath }} }}
  enSitemap: sitemap(locale: "en") {{ items {{ urlPath }} }}
}}
"""


class MakeRun:
    def __init__(self, make, folder, port, frontend_port):
        self.folder = folder
        self.base = f"http://127.0.0.1:{port}"
        self.frontend = f"127.0.0.1:{frontend_port}"
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        # Nothing of the caller's configuration (DJANGO_SETTINGS_MODULE is the tests' here, a
        # REDIS_URL would share caches with other servers): make's own defaults, a new database.
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(folder)),
            "LANG": "C.UTF-8",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "MEDIA_ROOT": str(folder / "media"),
            "DEMO_LOGINS_FILE": str(folder / "logins.json"),
        }
        self.log = open(folder / "make-run.log", "w+b")
        self.process = subprocess.Popen(  # noqa: S603 (a fixed command line)
            [make, "run", f"PORT={port}", f"FRONTEND_PORT={frontend_port}", "FRONTEND=1"],
            cwd=settings.BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def wait_ready(self, seconds=300):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2):  # noqa: S310 (loopback)
                    return
            except OSError:
                time.sleep(0.5)
        raise AssertionError(f"make run did not answer:\n{self.output()[-4000:]}")

    def get(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def graphql(self, query):
        body = json.dumps({"query": query}).encode()
        answer = json.loads(self.get("/graphql/", body, {"Content-Type": "application/json"}))
        assert "errors" not in answer, answer["errors"]
        return answer["data"]

    def manage(self, *arguments):
        """manage.py as `make run` runs it: development settings, the same database."""
        result = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr

    def sign_in(self, username):
        password = json.loads((self.folder / "logins.json").read_text())[username]
        form = self.get("/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        fields = {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"}
        self.get(
            "/admin/login/", urllib.parse.urlencode(fields).encode(), {"Referer": f"{self.base}/admin/login/"}
        )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()


@pytest.fixture(scope="module")
def make_run(tmp_path_factory):
    make = shutil.which("make")
    server = MakeRun(make, tmp_path_factory.mktemp("make-run"), free_port(), free_port())
    try:
        server.wait_ready()
        yield server
    finally:
        server.stop()


def hosts(text):
    return {urllib.parse.urlsplit(url).netloc for url in URL.findall(text)} - XML_NAMESPACES


def test_every_url_the_cms_writes_follows_the_ports_of_make_run(make_run):
    cms = urllib.parse.urlsplit(make_run.base).netloc
    frontend = make_run.frontend
    make_run.manage("shell", "-c", MAKE_PAGE)

    answer = make_run.graphql(QUERY)
    text = json.dumps(answer)
    assert hosts(text) == {cms, frontend}, text
    article = answer["en"]["items"][0]
    assert article["seo"]["canonicalUrl"] == f"http://{frontend}{article['urlPath']}"
    assert answer["home"]["seo"]["canonicalUrl"] == f"http://{frontend}/en/"
    news = next(item for item in answer["vi"]["items"] if item["urlPath"].endswith("/ke-hoach-hop-tac-2026/"))
    assert news["seo"]["image"]["url"].startswith(f"http://{cms}/media/")
    assert news["body"][0]["document"]["url"].startswith(f"http://{cms}/documents/")
    assert news["heroImage"]["rendition"]["url"].startswith(f"http://{cms}/media/images/")
    # The sitemap gives paths within the site; the frontend puts its own origin before them.
    paths = [item["urlPath"] for item in answer["sitemap"]["items"] + answer["enSitemap"]["items"]]
    assert "/en/news/" in paths and all(path.startswith("/") for path in paths)

    for feed in ("/feeds/tin-tuc.xml", "/feeds/en/news.xml", "/feeds/linh-vuc/giao-duc.xml"):
        xml = make_run.get(feed)
        assert hosts(xml) == {cms, frontend}, xml  # links on the frontend, atom:link on the CMS
        assert f"<link>http://{frontend}/" in xml

    # The preview panel opens the frontend's /preview on FRONTEND_PORT (FRONTEND=1).
    make_run.sign_in("admin")
    draft = make_run.get(f"/admin/pages/{article['id']}/view_draft/")
    preview = re.search(r'<iframe src="([^"]+)"', draft).group(1)
    assert preview.startswith(f"http://{frontend}/preview?content_type=news.newspage&amp;token="), draft
    assert hosts(draft) == {frontend}, draft

    # What `make run` says, and where: the admin on PORT, the pages at their addresses.
    output = make_run.output()
    assert f"http://{cms}/admin/" in output and "trang-chu" not in output
    assert "at /en/news/stepping-up-cooperation" in output
