"""
Which uploaded files may be served as plain files, and which only through the CMS.

Images (`original_images/`, and the renditions in `images/`) are public files: GraphQL hands out
their URLs, and caches and CDNs keep them. Documents are not: one in a collection with a view
restriction must reach only the readers the restriction lets in, so every document is served by
Wagtail's view (`/documents/<id>/<file name>`, WAGTAILDOCS_SERVE_METHOD = "serve_view"), which
checks its collection first. Whatever serves media as files — Django in development (below),
nginx (ops/nginx/newsroom.conf) or a bucket's policy (ops/s3-media-policy.json) — serves these prefixes
only.
"""

import re

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

PUBLIC_PREFIXES = ("original_images/", "images/")


def public_media_urlpatterns():
    """Development only: the public media prefixes as plain files, never `documents/`."""
    prefix = re.escape(settings.MEDIA_URL.lstrip("/"))
    public = "|".join(re.escape(folder) for folder in PUBLIC_PREFIXES)
    return [
        re_path(
            rf"^{prefix}(?P<path>(?:{public}).*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
