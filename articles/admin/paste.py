"""Pasting into the body: the clipboard's HTML (from Word, Google Docs, a web page) made
Markdown on the server by the importer's converter (`articles.importer.clipboard`), for
static/js/editor/paste.js to put where the text was to go."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from base.limits import body_too_large, checked_before_the_body, count

from ..importer.clipboard import CLIPBOARD_MAX_CHARS, UnreadableClipboard, clipboard_to_markdown
from ..models import BODY_MAX_CHARS

# Each paste is one request, so a person pastes far fewer times a minute than this; a
# script hammering the converter (a second of CPU for the largest clipboard) does not.
PASTE_RATE = "30/m"


def _by_person(group: str, request: HttpRequest) -> str:
    return f"user:{request.user.pk}"


class ArticlePasteMixin:
    """Adds the paste endpoint to the article admin."""

    def get_urls(self):
        view = checked_before_the_body(_paste_size_guard)(require_POST(self.paste_view))
        return [
            path("paste/", self.admin_site.admin_view(view), name="articles_article_paste"),
            *super().get_urls(),
        ]

    def paste_view(self, request: HttpRequest) -> JsonResponse:
        """`markdown` for the clipboard's `html`, and a `notice` of what was left out; or
        an `error` saying why not (always 200: the script then pastes the plain text)."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        if count(request, group="article-paste", rate=PASTE_RATE, key=_by_person):
            return _refused("Too many pastes in a minute; wait a moment.")
        html = request.POST.get("html", "")
        if len(html) > CLIPBOARD_MAX_CHARS:
            return _refused(_TOO_LONG)
        try:
            first_footnote = max(1, int(request.POST.get("next_footnote", "1")))
        except ValueError:
            first_footnote = 1
        try:
            pasted = clipboard_to_markdown(html, first_footnote=first_footnote)
        except UnreadableClipboard as error:
            return _refused(str(error))
        if len(pasted.markdown) > BODY_MAX_CHARS:
            return _refused(_TOO_LONG)
        pictures = pasted.pictures_left_out
        notice = (
            ngettext(
                "The picture in the pasted text was left out: add it from the image library.",
                "%(count)d pictures in the pasted text were left out: add them from the "
                "image library.",
                pictures,
            )
            % {"count": pictures}
            if pictures
            else ""
        )
        return JsonResponse({"markdown": pasted.markdown, "notice": notice})


_TOO_LONG = (
    f"The pasted text is longer than an article can be ({BODY_MAX_CHARS:,} characters); "
    "paste it in parts."
)


def _refused(reason: str) -> JsonResponse:
    return JsonResponse({"error": reason})


def _paste_size_guard(request: HttpRequest) -> HttpResponse | None:
    """Refused in JSON before it is read (Django would answer a page the script cannot
    read for a request over DATA_UPLOAD_MAX_MEMORY_SIZE)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and body_too_large(request, limit):
        return _refused(_TOO_LONG)
    return None
