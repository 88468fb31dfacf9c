"""The admin's second sign-in step: no admin page opens for a session that still owes a code."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse

from .two_factor import has_second_factor, is_required_for

# Pages a signed-in user reaches before the second step: signing out, the step itself, and what
# those pages load. Everything else under the admin waits for the code.
OPEN_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",  # the icon sprite every admin page loads into itself
    "signin_two_factor_verify",
    "signin_two_factor_setup",
)


class SecondFactorMiddleware:
    """
    After the password, sends a user with an authenticator app to enter a code, and a user who
    must have one (`TWO_FACTOR_REQUIRED`) but has none to set it up. Needs django-otp's
    OTPMiddleware before it. Elsewhere (pages, documents, GraphQL) such a session is anonymous.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None
        self.open_paths = None

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            # No session, nobody signed in: the session is not even read, so answers to
            # anonymous clients (GraphQL, feeds, media) do not vary by cookie.
            return self.get_response(request)
        if self.admin_prefix is None:  # the URLconf is not loaded when middleware is built
            self.admin_prefix = reverse("wagtailadmin_home")
            self.open_paths = {reverse(name) for name in OPEN_URL_NAMES}
        user = request.user
        if user.is_authenticated and not user.is_verified():
            step = self.step_owed(user)
            if step is not None:
                if request.path_info.startswith(self.admin_prefix):
                    if request.path_info not in self.open_paths:
                        return self.send_to(request, step)
                else:
                    # Outside the admin the session counts for nothing yet: pages and documents
                    # restricted to signed-in users stay closed to a password alone.
                    request.user = AnonymousUser()
                    request.user.is_verified = lambda: False
        return self.get_response(request)

    @staticmethod
    def step_owed(user):
        """The second step this signed-in but unverified user still owes, as a URL name, or None."""
        if has_second_factor(user):
            return "signin_two_factor_verify"
        if is_required_for(user):
            return "signin_two_factor_setup"
        return None

    def send_to(self, request, url_name):
        after = request.get_full_path() if request.method == "GET" else self.admin_prefix
        return redirect(f"{reverse(url_name)}?{urlencode({'next': after})}")
