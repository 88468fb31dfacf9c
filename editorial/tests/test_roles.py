"""
The newsroom's roles and review workflow (editorial/roles.py): what each role can and cannot do,
the workflow's Vietnamese names after migrating, and a review round trip with its e-mails.
"""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage

from editorial.roles import EDITORS, REPORTERS, TASK, WORKFLOW, set_up_roles
from news.factories import CooperationSectorFactory, NewsIndexPageFactory, NewsPageFactory
from testing.content import empty_inlines
from testing.users import desk_member

pytestmark = pytest.mark.django_db

PASSWORD = "Mật-khẩu thử 2026"


def member(username, role):
    return desk_member(username, role, PASSWORD)


@pytest.fixture
def reporter(news_index):
    return member("phongvien", REPORTERS)


@pytest.fixture
def other_reporter(news_index):
    return member("phongvien2", REPORTERS)


@pytest.fixture
def editor(news_index):
    return member("bientapvien", EDITORS)


def test_migrations_leave_the_roles_and_workflow_in_vietnamese(db):
    assert set(Group.objects.values_list("name", flat=True)) == {REPORTERS, EDITORS}
    workflow = Workflow.objects.get(active=True)
    assert workflow.name == WORKFLOW == "Duyệt tin bài"
    [task] = [task.specific for task in workflow.tasks]
    assert isinstance(task, GroupApprovalTask) and task.name == TASK == "Biên tập viên duyệt"
    assert list(task.groups.values_list("name", flat=True)) == [EDITORS]
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow == workflow
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()  # nobody may add anywhere


def test_setting_up_again_changes_nothing(news_index):
    def state():
        return (
            sorted(GroupPagePermission.objects.values_list("group__name", "page_id", "permission__codename")),
            sorted(
                (g.name, sorted(g.permissions.values_list("codename", flat=True)))
                for g in Group.objects.all()
            ),
            list(Workflow.objects.values_list("name", "active")),
            list(GroupApprovalTask.objects.values_list("name", flat=True)),
            list(WorkflowPage.objects.values_list("page_id", "workflow__name")),
        )

    before = state()
    set_up_roles()
    set_up_roles()
    assert state() == before


def test_every_news_section_opens_to_both_roles(news_index):
    home = news_index.get_parent()
    other = NewsIndexPageFactory(
        parent=home.add_sibling(instance=home.specific_class(title="Trang 2", slug="trang-2"))
    )
    for section in (news_index, other):
        granted = set(
            GroupPagePermission.objects.filter(page=section).values_list(
                "group__name", "permission__codename"
            )
        )
        assert (REPORTERS, "add_page") in granted and (EDITORS, "publish_page") in granted


def test_a_reporter_writes_and_submits_but_never_publishes(reporter, other_reporter, news_index):
    own = NewsPageFactory(parent=news_index, title="Tin của phóng viên", live=False, owner=reporter)
    others = NewsPageFactory(parent=news_index, title="Tin của người khác", owner=other_reporter)
    section = news_index.permissions_for_user(reporter)
    assert section.can_add_subpage()
    mine = own.permissions_for_user(reporter)
    assert mine.can_edit() and not mine.can_publish() and not mine.can_lock()
    assert mine.can_delete()  # their own draft, never published: theirs to throw away
    own.save_revision().publish()
    mine = Page.objects.get(pk=own.pk).permissions_for_user(reporter)
    assert not mine.can_delete() and not mine.can_unpublish()  # once published, it is the desk's
    theirs = others.permissions_for_user(reporter)
    assert not theirs.can_edit() and not theirs.can_unpublish() and not theirs.can_delete()
    home = news_index.get_parent().permissions_for_user(reporter)
    assert not home.can_edit() and not home.can_add_subpage()
    assert not reporter.has_perm("news.change_cooperationsector")
    assert not reporter.has_perm("auth.change_user") and not reporter.has_perm("wagtailcore.change_site")


def test_an_editor_reviews_publishes_and_manages_sectors(editor, reporter, news_index):
    page = NewsPageFactory(parent=news_index, title="Tin của phóng viên", owner=reporter)
    perms = page.permissions_for_user(editor)
    assert perms.can_edit() and perms.can_publish() and perms.can_unpublish() and perms.can_delete()
    assert perms.can_lock() and perms.can_unlock()
    for codename in ("add", "change", "delete"):
        assert editor.has_perm(f"news.{codename}_cooperationsector")
    assert not editor.has_perm("auth.change_user") and not editor.has_perm("wagtailcore.change_site")
    assert not news_index.get_parent().permissions_for_user(editor).can_edit()


def test_the_admin_shows_each_role_what_it_may_use(client, reporter, editor):
    sectors = reverse("wagtailsnippets_news_cooperationsector:list")
    client.force_login(reporter)
    assert client.get(sectors).status_code == 302  # refused: back to the dashboard
    assert client.get(reverse("wagtailusers_users:index")).status_code == 302
    client.force_login(editor)
    assert client.get(sectors).status_code == 200
    assert client.get(reverse("wagtailusers_users:index")).status_code == 302
    assert client.get(reverse("wagtailsites:index")).status_code == 302


def test_a_review_round_trip_with_vietnamese_mail(client, reporter, editor, news_index):
    CooperationSectorFactory(slug="nong-nghiep", name="Nông nghiệp")
    client.force_login(reporter)
    add = reverse("wagtailadmin_pages:add", args=["news", "newspage", news_index.pk])
    form = {
        "title": "Hợp tác xã Đồng Phúc nhận giống lúa mới",
        "slug": "hop-tac-xa-dong-phuc-nhan-giong-lua-moi",
        "date": "2026-11-30",
        "author": "Nguyễn Nga",
        "intro": "Giống lúa mới cho vụ xuân.",
        "body-count": "0",
        "tags": "",
        **empty_inlines(),
    }
    response = client.post(add, {**form, "action-publish": "1"})
    page = Page.objects.get(slug="hop-tac-xa-dong-phuc-nhan-giong-lua-moi").specific
    assert not page.live  # publishing is not the reporter's to do: saved as a draft
    mail.outbox.clear()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), {**form, "action-submit": "1"})
    assert response.status_code == 302
    state = page.current_workflow_state
    assert state.status == "in_progress" and state.current_task_state.task.name == TASK
    [to_editor] = [m for m in mail.outbox if editor.email in m.to]
    assert to_editor.subject == f"Trang “{page.title}” đã được gửi duyệt ở bước duyệt “{TASK}”"
    assert f"/admin/pages/workflow/preview/{page.pk}/" in to_editor.body  # the submitted revision

    client.force_login(editor)
    assert page.title in client.get(reverse("wagtailadmin_home")).content.decode()  # awaiting review
    mail.outbox.clear()
    task_state = state.current_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "reject", task_state.pk]),
        {"comment": "Cần thêm ý kiến của người dân ở Đồng Phúc."},
    )
    assert response.status_code == 302
    state.refresh_from_db()
    assert state.status == "needs_changes"
    [to_reporter] = [m for m in mail.outbox if reporter.email in m.to]
    # Sent back to be changed, in those words (our catalog of Wagtail's messages): never "từ chối".
    assert to_reporter.subject == f"Trang “{page.title}” cần sửa: đã được gửi lại trong “{WORKFLOW}”."
    assert f"{editor.username} đã gửi lại trang “{page.title}” để sửa ở bước “{TASK}”" in to_reporter.body
    assert "Bình luận kèm theo: “Cần thêm ý kiến của người dân ở Đồng Phúc.”" in to_reporter.body
    assert "từ chối" not in to_reporter.subject + to_reporter.body
    page.refresh_from_db()
    assert not page.live

    # The reporter revises and submits again; the editor approves, which publishes.
    client.force_login(reporter)
    revised = {**form, "intro": "Giống lúa mới cho vụ xuân, theo ý kiến người dân.", "action-submit": "1"}
    assert client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), revised).status_code == 302
    state = page.current_workflow_state
    assert state.status == "in_progress"
    client.force_login(editor)
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.current_task_state.pk]),
        {"comment": ""},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and page.intro == "Giống lúa mới cho vụ xuân, theo ý kiến người dân."
