"""
The two halves of the restore drill (backups/tests/test_backup.py), each run as a process of its own
against the database of its DATABASE_URL and the media of its MEDIA_ROOT, exactly as an operator's
``manage.py`` would be:

    python -m backups.tests.backup_drill fill   content of every kind a backup must keep
    python -m backups.tests.backup_drill read   what readers and editors see of it, as JSON on stdout

Settings: backups.tests.backup_settings (the test settings, with MEDIA_ROOT from the environment).
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

TITLE = "Hợp tác nông nghiệp Bắc Kạn – Thái Nguyên"
URL_PATH = "/tin-tuc/hop-tac-nong-nghiep-bac-kan-thai-nguyen/"
PDF = "%PDF-1.4\n% Biên bản ghi nhớ hợp tác Bắc Kạn – Thái Nguyên\n".encode()

NEWS = """{
  newsPages(perPage: 20) {
    pagination { total }
    items {
      id title slug urlPath date author intro firstPublishedAt lastPublishedAt
      heroImage { id title width height url srcSet(sizes: [320]) }
      sectors { name slug description }
      tags { name }
      body { blockType rawValue ... on DocumentChooserBlock { document { id title url fileSize } } }
    }
  }
}"""
QUERIES = {
    "news": NEWS,
    "page": f'{{ page(urlPath: "{URL_PATH}") {{ id title lastPublishedAt ... on NewsPage {{ author }} }} }}',
    "sectors": "{ sectors { name slug description newsCount } }",
    "search": '{ search(query: "bac kan") { pagination { total } items { title searchExcerpt } } }',
}


def fill():
    """Pages with revisions (published, then a later draft), sectors, an image with a rendition,
    a document, users and webhook deliveries: what the drill backs up."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from wagtail.models import Page, Site
    from wagtail_factories import DocumentFactory, ImageFactory

    from news.factories import (
        CooperationSectorFactory,
        HomePageFactory,
        NewsIndexPageFactory,
        NewsPageFactory,
    )
    from webhooks.models import WebhookDelivery

    User = get_user_model()
    an = User.objects.create_superuser("an", "an@baobackan.vn", "mat-khau-dai-123", first_name="An")
    binh = User.objects.create_user("binh", "binh@baobackan.vn", "mat-khau-dai-456", first_name="Bình")
    home = HomePageFactory(parent=Page.get_first_root_node())
    Site.objects.update_or_create(is_default_site=True, defaults={"root_page": home, "hostname": "localhost"})
    index = NewsIndexPageFactory(parent=home)
    agriculture = CooperationSectorFactory(name="Nông nghiệp", slug="nong-nghiep", description="Cây, con.")
    health = CooperationSectorFactory(name="Y tế", slug="y-te", description="Bệnh viện tuyến tỉnh.")
    image = ImageFactory(title="Trường Tiểu học Đồng Phúc", file__filename="dong-phuc.jpg", file__width=1600)
    image.get_rendition("width-320")
    document = DocumentFactory(
        title="Biên bản ghi nhớ hợp tác", file__filename="bien-ban-ghi-nho.pdf", file__data=PDF
    )

    page = NewsPageFactory(
        parent=index,
        title=TITLE,
        slug="hop-tac-nong-nghiep-bac-kan-thai-nguyen",
        date=datetime.date(2026, 11, 20),
        hero_image=image,
        sectors=[agriculture],
        tags=["nông nghiệp"],
        body=[("paragraph", "<p>Hai tỉnh ký kết tại Bắc Kạn.</p>"), ("document", document)],
    )
    page.save_revision(user=an, log_action=True).publish(user=an)
    page.intro = "Bản đã xuất bản lần hai: mở rộng sang chè Shan tuyết."
    page.save_revision(user=binh, log_action=True).publish(user=an)
    page.title = "Bản nháp: " + TITLE
    page.save_revision(user=binh, log_action=True)  # a later draft, never published

    other = NewsPageFactory(parent=index, title="Y tế Hà Nội hỗ trợ Bắc Kạn", sectors=[health])
    other.save_revision(user=an, log_action=True).publish(user=an)

    for status, error in [("delivered", ""), ("failed", "Hết thời gian chờ (5 s)")]:
        WebhookDelivery.objects.create(
            event="page.published",
            object_type="news.newspage",
            object_id=page.pk,
            target_url="https://tin.baobackan.vn/api/revalidate",
            body=json.dumps({"event": "page.published", "title": TITLE}, ensure_ascii=False),
            status=status,
            attempts=1 if status == "delivered" else 7,
            response_status=204 if status == "delivered" else None,
            last_error=error,
            delivered_at=timezone.now() if status == "delivered" else None,
        )


def history_rows(html):
    """The rows of the admin's page history: their text, links and exact times, without the
    relative time shown ("Vừa xong", "3 phút trước"), which changes while the drill runs."""
    table = html[html.index('<table class="listing">') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr.*?</tr>", body, flags=re.S):
        times = re.findall(r'<time[^>]*datetime="([^"]+)"', row)
        links = re.findall(r'href="(/admin/[^"]+)"', row)
        text = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"<time.*?</time>", "", row, flags=re.S)).split())
        rows.append({"text": text, "times": times, "links": links})
    return rows


def read():
    """Everything the drill compares before the backup and after the restore."""
    from django.contrib.auth import get_user_model
    from django.core.files.storage import default_storage
    from django.test import Client
    from wagtail.documents import get_document_model
    from wagtail.models import PageLogEntry, Revision

    from news.models import NewsPage
    from webhooks.models import WebhookDelivery

    reader = Client()
    graphql = {}
    for name, query in QUERIES.items():
        response = reader.post("/graphql/", {"query": query}, content_type="application/json")
        graphql[name] = response.json()
    documents = {}
    for document in get_document_model().objects.order_by("pk"):
        response = reader.get(document.url)
        documents[document.url] = [response.status_code, hashlib.sha256(b"".join(response)).hexdigest()]

    User = get_user_model()
    editor = Client()
    editor.force_login(User.objects.get(username="an"))
    history = {}
    for page in NewsPage.objects.order_by("pk"):
        response = editor.get(f"/admin/pages/{page.pk}/history/")
        history[page.slug] = [response.status_code, history_rows(response.content.decode())]

    media_root = Path(default_storage.location)
    media = {
        path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }
    rows = {
        "revisions": Revision.objects.order_by("pk").values(
            "pk", "object_id", "content", "created_at", "user__username", "approved_go_live_at"
        ),
        "log": PageLogEntry.objects.order_by("pk").values(
            "pk", "page_id", "action", "label", "timestamp", "user__username", "revision_id", "data"
        ),
        "users": User.objects.order_by("pk").values(
            "username", "email", "password", "first_name", "is_superuser", "date_joined"
        ),
        "deliveries": WebhookDelivery.objects.order_by("pk").values(),
    }
    return {
        "graphql": graphql,
        "documents": documents,
        "history": history,
        "media": media,
        **{name: list(queryset) for name, queryset in rows.items()},
    }


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backups.tests.backup_settings")
    import django

    django.setup()
    if sys.argv[1] == "fill":
        fill()
    else:
        print(json.dumps(read(), ensure_ascii=False, default=str, sort_keys=True))  # noqa: T201
