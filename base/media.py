"""Uploaded media served by the site itself (with DEBUG on, as in `make run`).

A file under /media/ is served from the site's own origin, so whatever a browser would run
there (an HTML page, an SVG with a script) would run as the site. The types a browser
shows as a picture and never runs are served inline; every other file is a download, and
no browser may guess a type other than the one sent. In production the web server or the
object storage in front serves /media/ and must send the same two headers.
"""

from pathlib import PurePosixPath

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.static import serve

INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"})


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if response.status_code == 200 and content_type not in INLINE_TYPES:
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=PurePosixPath(path).name
        )
    return response
