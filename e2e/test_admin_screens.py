"""
Every report and settings screen of the admin in Vietnamese, as an administrator sees them with
the demo content and a review under way (check_screen, e2e/screens.py): not only the editor's
screens. Screenshots in e2e/artifacts/test_every_report_and_settings_screen_is_vietnamese/.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect
from wagtail.models import Workflow

from editorial.roles import EDITORS, WORKFLOW
from news.models import NewsPage

from .screens import english_report
from .steps import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCREENS = [
    ("dashboard", "wagtailadmin_home", []),
    ("pages", "wagtailadmin_explore_root", []),
    ("news-listing", "news_pages:index", []),
    ("sectors", "wagtailsnippets_news_cooperationsector:list", []),
    ("images", "wagtailimages:index", []),
    ("documents", "wagtaildocs:index", []),
    ("collections", "wagtailadmin_collections:index", []),
    ("report-locked-pages", "wagtailadmin_reports:locked_pages", []),
    ("report-workflows", "wagtailadmin_reports:workflow", []),
    ("report-workflow-tasks", "wagtailadmin_reports:workflow_tasks", []),
    ("report-site-history", "wagtailadmin_reports:site_history", []),
    ("report-ageing-pages", "wagtailadmin_reports:aging_pages", []),
    ("report-page-types", "wagtailadmin_reports:page_types_usage", []),
    ("workflows", "wagtailadmin_workflows:index", []),
    ("workflow-tasks", "wagtailadmin_workflows:task_index", []),
    ("users", "wagtailusers_users:index", []),
    ("groups", "wagtailusers_groups:index", []),
    ("sites", "wagtailsites:index", []),
    ("redirects", "wagtailredirects:index", []),
    ("webhook-deliveries", "webhook_deliveries:index", []),
    ("sign-in-lockouts", "signin_lockouts:index", []),
    ("two-factor-devices", "signin_two_factor_devices:index", []),
    ("account", "wagtailadmin_account", []),
]


def test_every_report_and_settings_screen_is_vietnamese(page, check_screen, cms, demo_content, editor):
    # A review under way, so that the workflow reports and the dashboard have something to show.
    news = NewsPage.objects.get(locale__language_code="vi")
    desk = Group.objects.get(name=EDITORS)
    editor.groups.add(desk)
    news.save_revision(user=editor)
    Workflow.objects.get(name=WORKFLOW).start(news, editor)

    log_in(page, cms, editor)
    for name, url_name, args in SCREENS:
        page.goto(cms.url + reverse(url_name, args=args))
        expect(page.locator("main, #main").first).to_be_visible()
        check_screen(name)
    group_edit = reverse("wagtailusers_groups:edit", args=[desk.pk])
    page.goto(cms.url + group_edit)
    check_screen("group-permissions")

    assert not check_screen.found, "English on the admin's screens:\n" + english_report(check_screen.found)
    assert page.errors == []
