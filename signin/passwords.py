"""
Page and collection passwords (Wagtail's password view restrictions) with the sign-in's limit:
after `LOGIN_FAILURE_LIMIT` wrong passwords from one address (an IPv6 client's /64) at one
restriction within `LOGIN_LOCKOUT_MINUTES`, that address is refused there, the right password
too, until the lockout ends. Wagtail's own views check the password; these wrap them.
"""

from functools import wraps

from django.core.exceptions import NON_FIELD_ERRORS
from wagtail import views as page_views
from wagtail.documents.views import serve as document_views

from .lockout import active_lockout, address_key, lockout_message, record_failure
from .models import Lockout


def throttled(view, target_of):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        target = target_of(**kwargs)
        address = address_key(request)
        lockout = active_lockout(Lockout.Kind.RESTRICTION, f"{target}@{address}")
        if lockout is None:
            response = view(request, *args, **kwargs)
            if request.method != "POST" or response.status_code != 200:  # 302: the right password
                return response
            lockout = record_failure(target, address)
            if lockout is None:
                return response
        else:
            request.method = "GET"  # the password is not even checked: the form again, empty
            response = view(request, *args, **kwargs)
        form = response.context_data["form"]
        # Not add_error(): the form may be unbound. Its errors are shown above the field.
        form.errors.setdefault(NON_FIELD_ERRORS, form.error_class(error_class="nonfield"))
        form.errors[NON_FIELD_ERRORS].append(lockout_message(lockout))
        response.status_code = 429
        return response

    return wrapped


authenticate_for_page = throttled(
    page_views.authenticate_with_password,
    lambda page_view_restriction_id, page_id: f"page-restriction-{page_view_restriction_id}",
)
authenticate_for_documents = throttled(
    document_views.authenticate_with_password,
    lambda restriction_id: f"collection-restriction-{restriction_id}",
)
