"""Old addresses of imported articles answered with a 301 to where the article lives now.

A fallback: only a request that would end in 404 is looked up, so no page of the site can
be shadowed by an old address, and the lookup costs nothing on the pages that exist. The
redirect points at the article, so a later change of its slug moves the target with it.
Only public articles are redirected to: an old address of a draft stays a 404, and says
nothing about the draft.

An old address is never one of the site's own (`is_reserved`): not the address of an
article (a draft's included, or one whose slug is free today: it is an editor's to give),
of a page, of the API or the admin, of static files or media. The importer refuses those
and reports them, and this middleware never looks them up.
"""

import re
from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

# No address of the site, and no old address, has a control character (C0 or DEL).
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def normalize_path(path: str) -> str:
    """The form an old address is stored and looked up in: decoded, lowercase, no trailing
    slash, no repeated slashes (WordPress answered its URLs in all these spellings)."""
    path = _CONTROL.sub("", unquote(path).strip().lower())
    while "//" in path:
        path = path.replace("//", "/")
    return "/" + path.strip("/")


def is_reserved(path: str) -> bool:
    """Whether `path` is, or may become, an address of the site itself."""
    path = "/" + path.lstrip("/")
    prefixes = ("/api/", "/admin/", settings.STATIC_URL, settings.MEDIA_URL)
    if f"{path.rstrip('/')}/".startswith(tuple(p for p in prefixes if p.startswith("/"))):
        return True
    for candidate in dict.fromkeys((path, path.rstrip("/") + "/")):
        try:
            resolve(candidate)
        except Resolver404:
            continue
        return True
    return False


def redirect_target(path: str) -> str | None:
    from articles.models import Article, Redirect

    if _CONTROL.search(path):  # PostgreSQL refuses a NUL in a text value
        return None
    found = (
        Redirect.objects.filter(
            old_path=normalize_path(path), article__in=Article.objects.published()
        )
        .select_related("article")
        .only("article__slug")
        .first()
    )
    return found.article.get_absolute_url() if found else None


class OldAddressRedirectMiddleware:
    """Listed before the page cache, so that a 404 turned into a 301 is never cached as
    either. (An address with a control character never gets here: base.requests.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if is_reserved(request.path):
            return response
        target = redirect_target(request.path)
        if target is None or target == request.path:
            return response
        return HttpResponsePermanentRedirect(target)
