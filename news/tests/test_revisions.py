"""Nothing an editor saves is lost (docs/contract.md#invariants, 4)."""

import pytest
from django.contrib.auth import get_user_model

from news.factories import NewsPageFactory
from testing.content import draft_news_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editors(client, django_user_model):
    from django.test import Client

    users = [
        django_user_model.objects.create_superuser(name, password="mat-khau-dai-123")
        for name in ("an", "binh")
    ]
    clients = []
    for user in users:
        editor = Client()
        editor.force_login(user)
        clients.append(editor)
    return clients


@pytest.fixture
def page(news_index):
    page = NewsPageFactory(parent=news_index, title="Tin gốc", slug="tin-goc")
    page.save_revision().publish()
    return page


def edit(editor, page, title, action=None):
    data = draft_news_form(title=title, slug=page.slug)
    if action:
        data[action] = "1"
    return editor.post(f"/admin/pages/{page.pk}/edit/", data)


def test_two_editors_saving_the_same_page_both_keep_their_revision(editors, page):
    an, binh = editors
    an.get(f"/admin/pages/{page.pk}/edit/")
    binh.get(f"/admin/pages/{page.pk}/edit/")
    assert edit(an, page, "Bản của An").status_code == 302
    assert edit(binh, page, "Bản của Bình").status_code == 302
    titles = [revision.content["title"] for revision in page.revisions.order_by("created_at", "pk")]
    assert titles == ["Tin gốc", "Bản của An", "Bản của Bình"]
    page.refresh_from_db()
    assert page.title == "Tin gốc" and page.draft_title == "Bản của Bình"


def test_publishing_keeps_the_history(editors, page):
    an, _ = editors
    edit(an, page, "Bản nháp 1")
    edit(an, page, "Bản xuất bản", action="action-publish")
    page.refresh_from_db()
    assert page.title == "Bản xuất bản"
    assert [r.content["title"] for r in page.revisions.order_by("created_at", "pk")] == [
        "Tin gốc", "Bản nháp 1", "Bản xuất bản",
    ]  # fmt: skip
    previous = page.revisions.order_by("created_at", "pk").first()
    assert previous.as_object().title == "Tin gốc"


def test_a_locked_page_refuses_other_editors(editors, page):
    an, binh = editors
    page.locked, page.locked_by = True, get_user_model().objects.get(username="an")
    page.save()
    revisions = page.revisions.count()
    edit(binh, page, "Bình ghi đè")
    assert page.revisions.count() == revisions
    page.refresh_from_db()
    assert page.title == "Tin gốc"
    assert edit(an, page, "An vẫn sửa được").status_code == 302
    assert page.revisions.count() == revisions + 1
