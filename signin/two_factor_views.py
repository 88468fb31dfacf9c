"""The admin's two-factor screens: the code after the password, setting the app up, recovery codes."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import two_factor
from .forms import CodeForm


def next_url(request):
    """Where to go once done: the page the user was on its way to (this site only), or the dashboard."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return reverse("wagtailadmin_home")


def wrong_code_message(retry_at):
    if retry_at is not None:
        return two_factor.throttled_message(retry_at)
    return _("This code is not right, or was already used.")


def render(request, template, **context):
    context.setdefault("next", next_url(request))
    return TemplateResponse(request, f"signin/two_factor/{template}.html", context)


@never_cache
def verify(request):
    """The second step of signing in: a code from the app, or one of the recovery codes."""
    user = request.user
    if user.is_verified() or not two_factor.has_second_factor(user):
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, retry_at = two_factor.verify(request, form.cleaned_data["code"])
        if device is not None:
            if device == two_factor.app_device(user):
                return redirect(next_url(request))
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request, _("You signed in with a recovery code; %(left)d left.") % {"left": left}
            )
            return redirect("signin_two_factor")
        form.add_error(None, wrong_code_message(retry_at))
    return render(request, "verify", form=form)


@never_cache
def setup(request):
    """Adds an authenticator app: scan the QR code (or type the secret), then type a code from it."""
    user = request.user
    if two_factor.has_second_factor(user):
        # One app per account, replaced only after turning it off from a verified session: a
        # password alone must never be enough to replace someone's app.
        return redirect("signin_two_factor" if user.is_verified() else "signin_two_factor_verify")
    device = two_factor.pending_app_device(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.confirm_app_device(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "recovery_codes", codes=codes, first_time=True)
        form.add_error(
            None, _("This code is not right: check the time on your phone and type the newest code.")
        )
    return render(
        request,
        "setup",
        form=form,
        required=two_factor.is_required_for(user),
        qr_code=two_factor.qr_code_svg(device),
        secret=two_factor.secret_for_typing(device),
    )


@never_cache
def overview(request):
    """Account → Two-factor sign-in: whether it is on, recovery codes left, and what can be done."""
    user = request.user
    return render(
        request,
        "overview",
        enabled=two_factor.has_second_factor(user),
        required=two_factor.is_required_for(user),
        codes_left=two_factor.recovery_codes_left(user),
        next=reverse("wagtailadmin_account"),
    )


@never_cache
@require_POST
def new_recovery_codes(request):
    if not two_factor.has_second_factor(request.user):
        return redirect("signin_two_factor")
    codes = two_factor.replace_recovery_codes(request.user)
    return render(request, "recovery_codes", codes=codes, first_time=False, next=reverse("signin_two_factor"))


@never_cache
def disable(request):
    """Turns two-factor sign-in off, after a fresh code; refused where it is required."""
    user = request.user
    if not two_factor.has_second_factor(user):
        return redirect("signin_two_factor")
    if two_factor.is_required_for(user):
        messages.error(
            request, _("Two-factor sign-in is required for your account: it cannot be turned off.")
        )
        return redirect("signin_two_factor")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        device, retry_at = two_factor.verify(request, form.cleaned_data["code"])
        if device is not None:
            two_factor.remove_second_factor(user)
            messages.success(request, _("Two-factor sign-in is off for your account."))
            return redirect("signin_two_factor")
        form.add_error(None, wrong_code_message(retry_at))
    return render(request, "disable", form=form)
