from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


class LoginForm(WagtailLoginForm):
    """
    Wagtail's login form gives its password field no label, so Django falls back to the field's
    name, "Password", which no catalog translates: the one English word on the Vietnamese login page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
