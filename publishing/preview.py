"""
Previews of drafts, with or without a frontend.

With no frontend configured for the site, Wagtail's preview panel shows the draft rendered by
the CMS's own templates. With one (PREVIEW_FRONTEND_URL / PREVIEW_FRONTEND_URLS), the panel
loads the frontend with `?content_type=...&token=...`, and the frontend reads the draft through
GraphQL with `page(token:)`.

A token is a random value signed with a timestamp: it names one stored preview (one page's
draft) and says nothing about the page. It expires after PREVIEW_TOKEN_MAX_AGE seconds. A forged,
expired or unknown token, or one used for the wrong page type, raises the same
InvalidPreviewToken, so its error reveals nothing about which pages exist.
"""

import datetime
import secrets

from django.core import signing
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import Page, Site
from wagtail_headless_preview.models import HeadlessPreviewMixin, PagePreview
from wagtail_headless_preview.settings import headless_preview_settings

from . import app_settings

TOKEN_SALT = "newsroom.preview-token"  # noqa: S105 (a namespace, not a secret)
CLEAN_UP_EVERY_SECONDS = 300
CLEAN_UP_CACHE_KEY = "preview:last-clean-up"


class InvalidPreviewToken(Exception):
    """Raised for every unusable token, with one message for all (the API shows it as it is)."""

    MESSAGE = "Invalid or expired preview token. Open the preview again from the page editor."

    def __init__(self):
        super().__init__(self.MESSAGE)


def signer():
    return signing.TimestampSigner(salt=TOKEN_SALT)


def frontend_url_for(site):
    urls = headless_preview_settings.CLIENT_URLS
    if site is not None and site.hostname in urls:
        return urls[site.hostname]
    return urls.get("default")


def token_is_current(token):
    try:
        signer().unsign(token, max_age=app_settings.PREVIEW_TOKEN_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired included
        return False
    return True


def page_from_token(token, page_class=None):
    """The draft a token stands for, or InvalidPreviewToken — the same one for every failure."""
    if not isinstance(token, str) or not token_is_current(token):
        raise InvalidPreviewToken
    try:
        page = PagePreview.objects.get(token=token).as_page()
    except (PagePreview.DoesNotExist, ValueError, KeyError, AttributeError, LookupError) as error:
        raise InvalidPreviewToken from error
    if page_class is not None and not isinstance(page, page_class):
        raise InvalidPreviewToken
    # A preview of a page that has been deleted since stops working with it. (A preview of a page
    # being created has no id yet: there is nothing to delete.)
    if page.pk is not None and not Page.objects.filter(pk=page.pk).exists():
        raise InvalidPreviewToken
    return page


def delete_expired_previews():
    """Remove stored previews whose token has expired. Returns how many were removed."""
    max_age = datetime.timedelta(seconds=app_settings.PREVIEW_TOKEN_MAX_AGE)
    # created_at is a date: rows older than the token lifetime plus a day are certainly stale.
    oldest_possible = (timezone.now() - max_age).date() - datetime.timedelta(days=1)
    deleted, _ = PagePreview.objects.filter(created_at__lt=oldest_possible).delete()
    stale = [
        pk for pk, token in PagePreview.objects.values_list("pk", "token") if not token_is_current(token)
    ]
    if stale:
        deleted += PagePreview.objects.filter(pk__in=stale).delete()[0]
    return deleted


def delete_expired_previews_now_and_then():
    if cache.add(CLEAN_UP_CACHE_KEY, True, timeout=CLEAN_UP_EVERY_SECONDS):
        delete_expired_previews()


class PreviewableMixin(HeadlessPreviewMixin):
    """Preview through the frontend when the site has one, else through the CMS's templates."""

    @classmethod
    def get_preview_signer(cls):
        return signer()

    @classmethod
    def get_page_from_preview_token(cls, token):
        return page_from_token(token, cls)

    def get_client_root_url(self, request):
        return frontend_url_for(Site.find_for_request(request))

    def get_preview_url(self, request, token):
        """The frontend's preview route with the token, also when its URL has a query of its own."""
        root = self.get_client_root_url(request)
        query = urlencode({"content_type": self.get_content_type_str(), "token": token})
        return f"{root}{'&' if '?' in root else '?'}{query}"

    def create_page_preview(self):
        preview, _ = self.update_page_preview(signer().sign(secrets.token_urlsafe(24)))
        return preview

    def serve_preview(self, request, mode_name):
        if not self.get_client_root_url(request):
            # Skip the headless mixin: Wagtail renders the draft with our templates.
            return super(HeadlessPreviewMixin, self).serve_preview(request, mode_name)
        delete_expired_previews_now_and_then()
        preview = self.create_page_preview()
        return render(
            request,
            "wagtail_headless_preview/preview.html",
            {"preview_url": self.get_preview_url(request, preview.token)},
        )
