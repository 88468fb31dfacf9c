"""
The review loop as reporters and editors live it, on top of Wagtail's workflow (editorial/wagtail_hooks.py
registers these; the page's status panel is cms/templates/wagtailadmin/…/status/workflow.html).

- **Sent back** ("Yêu cầu sửa", Wagtail's "reject"): the editor's comment and name are where the
  reporter lands: the dashboard's panel "Bài cần sửa" (`sent_back_to`) and the page's status
  panel. Wagtail keeps both on the task state (`TaskState.comment`, `finished_by`).
- **One way forward in the editor's footer** (`arrange_footer`): after a send-back the main
  button is **Gửi lại để duyệt** (Wagtail's resubmit: the workflow resumes at the step that asked
  for changes); "Bắt đầu lại quy trình duyệt" is dropped when it would do the same (the step that
  asked is the first); saving a draft and cancelling the review stay in the menu. While the page
  waits for review, the main button says so ("Đang chờ Biên tập viên duyệt", disabled) instead
  of cancelling the review.
- **Confirmations that say what happened** (`confirm_review_action`): after *Yêu cầu sửa* the
  editor reads "Đã gửi lại … cho phóng viên … để sửa", after *Duyệt* that the page was approved
  and published (or scheduled), where Wagtail said "Đã cập nhật trang …". The e-mails' and the
  history's wording ("cần sửa", "đã gửi lại … để sửa", never "từ chối") is in our catalog of
  Wagtail's messages (locale/wagtail/).
"""

from django.contrib import messages as django_messages
from django.contrib.messages import constants
from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin import messages
from wagtail.admin.action_menu import (
    ActionMenuItem,
    CancelWorkflowMenuItem,
    PageLockedMenuItem,
    RestartWorkflowMenuItem,
    SaveDraftMenuItem,
    SubmitForModerationMenuItem,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.utils import get_user_display_name
from wagtail.locks import WorkflowLock
from wagtail.models import Page, WorkflowState, get_default_page_content_type

from .roles import REPORTERS


def sent_back_to(user):
    """The workflow states of pages `user` submitted or owns that an editor sent back, newest first."""
    pages_owned = Q(base_content_type_id=get_default_page_content_type().id) & Exists(
        Page.objects.filter(owner=user, id=Cast(OuterRef("object_id"), output_field=IntegerField()))
    )
    states = (
        WorkflowState.objects.filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .filter(pages_owned | Q(requested_by=user))
        .select_related("current_task_state__finished_by", "current_task_state__task")
        .prefetch_related("content_object")
        .order_by("-current_task_state__finished_at")
    )
    return [state for state in states if state.content_object is not None]


class ChangesRequestedPanel(Component):
    """The dashboard's "Bài cần sửa": each page sent back, who asked, when, and their comment."""

    name = "changes_requested"
    template_name = "editorial/home/changes_requested.html"
    order = 150  # above Wagtail's workflow panels (210: yours in a workflow, 220: awaiting you)

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["request"] = parent_context["request"]
        context["states"] = sent_back_to(parent_context["request"].user)
        return context


# The editor's footer


class ResubmitMenuItem(SubmitForModerationMenuItem):
    """Wagtail's submit (which resumes a workflow sent back), labelled for what it does then."""

    label = _("Resubmit for review")

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["label"] = self.label
        return context


class AwaitingReviewMenuItem(ActionMenuItem):
    """A disabled main button while the page waits at a step the user cannot act on."""

    name = "action-awaiting-review"
    template_name = "editorial/action_menu/awaiting_review.html"
    icon_name = "time"

    def __init__(self, task_name, order=None):
        super().__init__(order=order)
        self.label = _("Waiting for %(task_name)s") % {"task_name": task_name}


def restart_is_resubmit(state):
    """Whether restarting the workflow would only do what resubmitting does: the step that asked
    for changes is the workflow's first, where a restart begins too."""
    first = state.workflow.workflow_tasks.order_by("sort_order").values_list("task_id", flat=True).first()
    return first == state.current_task_state.task_id


def arrange_footer(menu_items, request, context):
    """construct_page_action_menu: one obvious action after a send-back and while waiting."""
    page = context.get("page")
    if context.get("view") != "edit" or page is None or page.pk is None:
        return
    state = page.current_workflow_state
    if state is None:
        return
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        if restart_is_resubmit(state):
            menu_items[:] = [item for item in menu_items if not isinstance(item, RestartWorkflowMenuItem)]
        for index, item in enumerate(menu_items):
            if type(item) is SubmitForModerationMenuItem:
                menu_items[index] = ResubmitMenuItem(order=item.order)
        permissions = context.get("user_page_permissions_tester") or page.permissions_for_user(request.user)
        if not permissions.can_publish():
            # Forward first (the main button), then saving, then the rest (cancelling last).
            resubmit = [item for item in menu_items if isinstance(item, ResubmitMenuItem)]
            saving = [item for item in menu_items if isinstance(item, SaveDraftMenuItem)]
            others = [item for item in menu_items if item not in resubmit and item not in saving]
            menu_items[:] = resubmit + saving + others
    elif state.status == WorkflowState.STATUS_IN_PROGRESS and context.get("locked_for_user"):
        lock = page.get_lock()
        if not isinstance(lock, WorkflowLock):
            return  # locked by someone: Wagtail's own "Trang đã khóa"
        waiting = AwaitingReviewMenuItem(state.current_task_state.task.name)
        cancel = [item for item in menu_items if isinstance(item, CancelWorkflowMenuItem)]
        others = [
            item for item in menu_items if not isinstance(item, CancelWorkflowMenuItem | PageLockedMenuItem)
        ]
        menu_items[:] = [waiting, *others, *cancel]


# Confirmations after a review action in the page editor


def replace_confirmation(request, text):
    """Wagtail's last success message of this request ("Đã cập nhật trang …") replaced by `text`."""
    storage = django_messages.get_messages(request)
    kept = list(storage)  # read (and so taken out of the storage), then put back but one
    for index in range(len(kept) - 1, -1, -1):
        if kept[index].level == constants.SUCCESS:
            del kept[index]
            break
    for message in kept:
        django_messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)
    messages.success(request, text)


def sent_back_message(page, state):
    """What the editor reads after sending `page` back: to whom it went, to do what."""
    requester = state.requested_by
    title = page.get_admin_display_title()
    if requester is None:
        return gettext("“%(title)s” was sent back for changes.") % {"title": title}
    name = get_user_display_name(requester)
    if requester.groups.filter(name=REPORTERS).exists():
        return gettext("“%(title)s” was sent back to the reporter %(name)s for changes.") % {
            "title": title,
            "name": name,
        }
    return gettext("“%(title)s” was sent back to %(name)s for changes.") % {"title": title, "name": name}


def approved_message(page, state):
    """What the editor reads after approving: published, scheduled, or on to the next step."""
    title = page.get_admin_display_title()
    page = Page.objects.get(pk=page.pk)  # as the approval left it
    if state.status == WorkflowState.STATUS_IN_PROGRESS and state.current_task_state:
        return gettext("“%(title)s” was approved; it now waits for %(task_name)s.") % {
            "title": title,
            "task_name": state.current_task_state.task.name,
        }
    scheduled = page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at:
        go_live_at = date_format(timezone.localtime(scheduled.approved_go_live_at), "SHORT_DATETIME_FORMAT")
        return gettext("“%(title)s” was approved; it will be published at %(go_live_at)s.") % {
            "title": title,
            "go_live_at": go_live_at,
        }
    if page.live and not page.has_unpublished_changes:
        return gettext("“%(title)s” was approved and published.") % {"title": title}
    return gettext("“%(title)s” was approved.") % {"title": title}


def confirm_review_action(request, page):
    """after_edit_page: after a review action from the page editor, say what it did."""
    if not request.POST.get("action-workflow-action"):
        return
    action = request.POST.get("workflow-action-name")
    state = page.workflow_states.order_by("-created_at").select_related("requested_by").first()
    if state is None:
        return
    if action == "reject":
        replace_confirmation(request, sent_back_message(page, state))
    elif action == "approve":
        replace_confirmation(request, approved_message(page, state))
