from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from api.views import graphql_view
from signin.passwords import authenticate_for_documents, authenticate_for_page

# A database outage answers 503 with Retry-After (JSON for /graphql/), not a 500.
handler500 = "publishing.availability.server_error"

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    # Wagtail's password forms for documents and pages, with the sign-in's limit on guessing.
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        authenticate_for_documents,
        name="wagtaildocs_authenticate_with_password",
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("graphql/", graphql_view, name="graphql"),
    path("feeds/", include("feeds.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    from cms.media import public_media_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += public_media_urlpatterns()

# Wagtail's page serving comes last: it answers every path not matched above. Vietnamese pages
# have no language prefix (/tin-tuc/...), English ones start with /en/ (/en/news/...).
urlpatterns += i18n_patterns(
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        authenticate_for_page,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
