"""For tests: the people of the admin — superusers, members of the newsroom's roles, and a review
carried through the workflow."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Workflow
from wagtail.users.models import UserProfile

from editorial.roles import EDITORS, REPORTERS, WORKFLOW

# The password of the shared `editor` fixture and of most users tests sign in.
PASSWORD = "mat-khau-dai-123"


def works_in(user, language):
    """`user`'s admin in `language` ("vi", "en"): their preferred language."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    return user


def superuser(username, password=PASSWORD, email="", language=None):
    """
    A superuser; their admin in `language` if given (else the site's default). `raw_password`
    keeps the password for a test that signs in through the login form.
    """
    user = get_user_model().objects.create_superuser(username, email, password)
    if language:
        works_in(user, language)
    user.raw_password = password
    return user


def desk_member(username, role, password=None, language=None):
    """A user in one role's group (REPORTERS or EDITORS); no usable password unless given."""
    user = get_user_model().objects.create_user(username, f"{username}@baobackan.vn", password)
    user.groups.add(Group.objects.get(name=role))
    if language:
        works_in(user, language)
    user.raw_password = password
    return user


class ReviewDesk:
    """A reporter who submits pages to the review workflow and an editor who decides on them."""

    def __init__(self, reporter="phongvien", editor="bientapvien"):
        self.reporter = desk_member(reporter, REPORTERS)
        self.editor = desk_member(editor, EDITORS)
        self.workflow = Workflow.objects.get(name=WORKFLOW)

    def submit(self, page):
        """The page as it is now, saved as the reporter's revision and submitted for review."""
        page.save_revision(user=self.reporter)
        return self.workflow.start(page, self.reporter)

    def decide(self, state, action, comment="Ý kiến biên tập"):
        """The editor's `action` ("approve" or "reject") on the task the page waits at."""
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, self.editor, action, comment=comment)
