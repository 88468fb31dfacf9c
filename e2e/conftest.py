"""
Fixtures of the browser tests: Debian's Chromium driven by Playwright, the CMS on pytest-django's
live server (127.0.0.1, a free port), the reference frontend (frontend/serve.py) on another free
port, pointed at that CMS, and a screenshot of every step in e2e/artifacts/<test>/.

Chromium is /usr/bin/chromium (Debian's `chromium` package) or $CHROMIUM; Playwright never
downloads a browser here. Without it the browser tests are skipped, and fail instead with
NEWSROOM_REQUIRE_SERVICES=1 (CI; testing/services.py). The steps the tests share are in
e2e/steps.py. Every page gets a network guard: a request to anything but the loopback
interface is aborted and recorded, so no test depends on (or reaches) the internet.
"""

import importlib.util
import io
import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from PIL import Image as PillowImage
from PIL import ImageDraw
from playwright.sync_api import expect, sync_playwright
from wagtail.images.models import Image
from wagtail.models import Collection

from news.models import CooperationSector, NewsIndexPage
from testing.services import chromium_path, need_service
from testing.users import superuser

from .screens import check_screen  # noqa: F401 (a fixture every browser test may use)

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
# Every wait is bounded: actions and assertions, navigations, and the whole browser start.
ACTION_TIMEOUT_MS = 15_000
NAVIGATION_TIMEOUT_MS = 30_000
LAUNCH_TIMEOUT_MS = 60_000

# Playwright's sync API keeps an event loop in this thread, where Django's ORM would then refuse
# to run ("SynchronousOnlyOperation"). The tests' ORM calls are plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # The live server on the IPv4 loopback address the frontend and the network guard expect.
    if not config.getoption("liveserver", default=None):
        config.option.liveserver = "127.0.0.1"
    expect.set_options(timeout=ACTION_TIMEOUT_MS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.e2e_failed = report.failed
    return report


# The browser


@pytest.fixture(scope="session")
def browser():
    need_service("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True, timeout=LAUNCH_TIMEOUT_MS
        )
        yield browser
        browser.close()


class NetworkGuard:
    """Aborts every request that leaves the loopback interface, and remembers it."""

    def __init__(self):
        self.blocked = []

    def __call__(self, route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about") or parts.hostname in LOOPBACK_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def blocked_hosts(self):
        return {urlsplit(url).hostname for url in self.blocked}


@pytest.fixture
def network_guard():
    return NetworkGuard()


@pytest.fixture
def artifacts(request):
    """This test's screenshot folder, emptied first."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def page(request, browser, network_guard, artifacts):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    context.route("**/*", network_guard)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    if getattr(request.node, "e2e_failed", False):
        page.screenshot(path=artifacts / "failure.png", full_page=True)
    context.close()


@pytest.fixture
def shot(page, artifacts):
    """shot("name") saves a numbered full-page screenshot of the current step."""
    counter = iter(range(1, 100))

    def take(name, target=None):
        path = artifacts / f"{next(counter):02d}-{name}.png"
        (target or page).screenshot(path=path, full_page=target is None)
        return path

    return take


# The CMS and the reference frontend


def load_frontend_server():
    """frontend/serve.py, loaded from its file: frontend/ is a folder of static files, not a package."""
    spec = importlib.util.spec_from_file_location("frontend_serve", ROOT / "frontend" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def frontend(live_server):
    """frontend/serve.py on a free loopback port, reading the live server's GraphQL endpoint."""
    server = load_frontend_server().create_server(
        port=0, graphql_url=f"{live_server.url}/graphql/", quiet=True
    )
    thread = threading.Thread(target=server.serve_forever, name="frontend", daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def cms(settings, live_server, frontend):
    """
    The live CMS set up for the frontend: CORS for its origin, absolute media URLs on the live
    server, and the preview panel opening the frontend's /preview with a token.
    """
    settings.CORS_ALLOWED_ORIGINS = [frontend.url]
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.WAGTAIL_HEADLESS_PREVIEW = {
        **settings.WAGTAIL_HEADLESS_PREVIEW,
        "CLIENT_URLS": {"default": f"{frontend.url}/preview"},
    }
    return live_server


# Content


@pytest.fixture
def demo_content(transactional_db):
    """The demo content as `manage.py load_demo_content` makes it: the site, Tin tức, 8 sectors."""
    call_command("load_demo_content", stdout=io.StringIO())
    return NewsIndexPage.objects.get(slug="tin-tuc")


@pytest.fixture
def sectors(demo_content):
    return {sector.slug: sector for sector in CooperationSector.objects.canonical()}


def png_file(name, size=(1600, 900)):
    """A real PNG: green fields under a blue sky with a sun, so screenshots show an image."""
    width, height = size
    image = PillowImage.new("RGB", size, (135, 190, 235))
    draw = ImageDraw.Draw(image)
    for band in range(6):
        top = height // 2 + band * height // 12
        draw.rectangle([0, top, width, top + height // 12], fill=(60 + band * 15, 140 + band * 10, 60))
    draw.ellipse([width * 0.7, height * 0.1, width * 0.8, height * 0.1 + width * 0.1], fill=(250, 210, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ImageFile(buffer, name=name)


@pytest.fixture
def news_image(transactional_db):
    """A real PNG in a collection of its own, which editors (here a superuser) can see."""
    collection = Collection.get_first_root_node().add_child(name="Ảnh tin tức")
    return Image.objects.create(
        title="Cánh đồng lúa ở Ba Bể",
        description="Cánh đồng lúa chín ở huyện Ba Bể, Bắc Kạn",
        file=png_file("canh-dong-ba-be.png"),
        collection=collection,
    )


@pytest.fixture
def editor(transactional_db):
    """A superuser whose admin is in Vietnamese (their preferred language)."""
    return superuser("bientapvien", "mat-khau-thu-nghiem-2026", "bientapvien@example.org", language="vi")
