"""
The newsroom's roles and its review workflow, as data: what a reporter and an editor may do.

- **Phóng viên** (reporter): writes news pages in a news section and submits them for review;
  edits their own pages (Wagtail lets the owner of a page edit it with the "add" permission),
  never publishes, unpublishes or deletes, never manages sectors, users or settings.
- **Biên tập viên** (editor): reviews (comments, approves or sends back), publishes, schedules,
  unpublishes, deletes, locks and moves news, and manages the cooperation sectors.
- Both may translate a page or a sector into English ("Dịch"); the translation is a draft that
  goes through the same review.
- The cooperation records (partners, agreements, activities) follow the same roles: reporters write
  and submit drafts, editors publish them; their review is the same workflow.
- **Administrators** are superusers: everything.

Every news section (`NewsIndexPage`) gets these page permissions when it is created
(`open_news_desk`); the migration gives them to the sections that exist. The review workflow
**Duyệt tin bài** (one task, **Biên tập viên duyệt**, for the editors) is on the root page, so
every page and every section to come goes through it. Wagtail's own defaults (groups "Moderators"
and "Editors", workflow and task "Moderators approval" on the root page) become these: the groups
and the workflow renamed, the groups' permissions on the root page (anywhere) removed.

The functions take an `apps` registry so that the migration runs them on its historical models.
"""

from django.apps import apps as current_apps
from django.db import transaction

REPORTERS = "Phóng viên"
EDITORS = "Biên tập viên"
WORKFLOW = "Duyệt tin bài"
TASK = "Biên tập viên duyệt"

# Wagtail's default groups (wagtailcore's initial data) and workflow, which these roles replace.
WAGTAIL_GROUPS = {REPORTERS: "Editors", EDITORS: "Moderators"}
WAGTAIL_WORKFLOW = "Moderators approval"

# Translating a page or a sector into English (wagtail.contrib.simple_translation: "Dịch").
TRANSLATE = ("simple_translation", "submit_translation", "simpletranslation")

# Model permissions (app label, codename[, model when the codename does not name it]): admin
# access, media, sectors, translation.
MODEL_PERMISSIONS = {
    REPORTERS: [
        TRANSLATE,
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "choose_document"),
    ],
    EDITORS: [
        TRANSLATE,
        ("wagtailadmin", "access_admin"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("news", "add_cooperationsector"),
        ("news", "change_cooperationsector"),
        ("news", "delete_cooperationsector"),
        ("news", "view_cooperationsector"),
    ],
}

# The cooperation records (cooperation.models): reporters write drafts and submit them; editors
# review, publish, delete and lock them. Each goes through the review workflow, as news does.
COOPERATION_RECORDS = ("partner", "agreement", "activity")
for record in COOPERATION_RECORDS:
    MODEL_PERMISSIONS[REPORTERS] += [
        ("cooperation", f"{action}_{record}") for action in ("add", "change", "view")
    ]
    MODEL_PERMISSIONS[EDITORS] += [
        ("cooperation", f"{action}_{record}")
        for action in ("add", "change", "view", "delete", "publish", "lock", "unlock")
    ]

# Page permissions on every news section (and so on the news pages in it).
PAGE_PERMISSIONS = {
    REPORTERS: ["add_page"],
    EDITORS: ["add_page", "change_page", "publish_page", "delete_page", "lock_page", "unlock_page"],
}

# The media's permissions hold on the root collection too (Wagtail checks images and documents
# per collection): every collection.
MEDIA_APPS = ("wagtailimages", "wagtaildocs")
COLLECTION_PERMISSIONS = {
    role: [permission for permission in permissions if permission[0] in MEDIA_APPS]
    for role, permissions in MODEL_PERMISSIONS.items()
}


def permission(apps, app_label, codename, model=None):
    """A permission by codename; created when missing (Django adds most only after migrating)."""
    model = model or codename.split("_", 1)[1]
    found, _ = apps.get_model("auth", "Permission").objects.get_or_create(
        content_type=content_type_of(apps, app_label, model),
        codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ', 1)}"},
    )
    return found


def role_group(apps, name):
    """The role's group: Wagtail's default group renamed the first time, created when there is none."""
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=name).first()
    if group is None:
        group = Group.objects.filter(name=WAGTAIL_GROUPS[name]).first()
        if group is not None:
            group.name = name
            group.save(update_fields=["name"])
        else:
            group = Group.objects.create(name=name)
    return group


def review_workflow(apps):
    """The workflow Duyệt tin bài with its one task for the editors (Wagtail's default renamed)."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is None:
        workflow = Workflow.objects.filter(name=WAGTAIL_WORKFLOW).first() or Workflow(name=WORKFLOW)
        workflow.name, workflow.active = WORKFLOW, True
        workflow.save()
    task = GroupApprovalTask.objects.filter(name__in=[TASK, WAGTAIL_WORKFLOW]).order_by("name").first()
    if task is None:
        content_type = ContentType.objects.get_for_model(GroupApprovalTask)
        task = GroupApprovalTask.objects.create(name=TASK, content_type=content_type, active=True)
    task.name, task.active = TASK, True
    task.save()
    task.groups.set([role_group(apps, EDITORS)])
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.filter(workflow=workflow).delete()
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


@transaction.atomic
def set_up_roles(apps=current_apps):
    """Creates (or brings back to what it should be) both roles and the workflow; idempotent."""
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    root_pages = Page.objects.filter(depth=1)
    root_collection = Collection.objects.filter(depth=1).first()
    for name in (REPORTERS, EDITORS):
        group = role_group(apps, name)
        group.permissions.set([permission(apps, *perm) for perm in MODEL_PERMISSIONS[name]])
        # Wagtail's defaults let these groups add and edit anywhere: only the news sections now.
        GroupPagePermission.objects.filter(group=group, page__in=root_pages).delete()
        if root_collection is not None:
            for perm in COLLECTION_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(apps, *perm)
                )
    workflow = review_workflow(apps)
    for root in root_pages:  # every page, every news section to come included
        WorkflowPage.objects.update_or_create(page_id=root.pk, defaults={"workflow": workflow})
    if apps.is_installed("cooperation"):
        WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
        for record in COOPERATION_RECORDS:
            WorkflowContentType.objects.update_or_create(
                content_type=content_type_of(apps, "cooperation", record), defaults={"workflow": workflow}
            )
    news_index_type = content_type_of(apps, "news", "newsindexpage")
    for section in Page.objects.filter(content_type=news_index_type):
        grant_news_desk(apps, section)


def content_type_of(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def grant_news_desk(apps, section):
    """The roles' page permissions on one news section (and so on the news in it)."""
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for name, codenames in PAGE_PERMISSIONS.items():
        group = role_group(apps, name)
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=section.pk, permission=permission(apps, "wagtailcore", codename)
            )


def open_news_desk(sender, instance, created, raw=False, **kwargs):
    """A new news section opens to the roles (post_save of NewsIndexPage)."""
    if created and not raw:
        grant_news_desk(current_apps, instance)
