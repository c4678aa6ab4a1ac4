"""A full-page cache for anonymous readers, inside Django: for a site without an HTTP cache
in front (`make run`, a single host). In production Varnish or a CDN holds whole pages
(base/httpcache.py, deploy/varnish/), and this one may be turned off (PAGE_CACHE_SECONDS=0).

Pages are stored under a *generation* number kept in the same cache. Anything that changes
what readers see (an article published, edited, unpublished, archived, featured or reverted;
an author, series, topic, region or call edited or deleted) bumps the generation once its
transaction commits, so every page that could show it is emptied at once. A page is never
kept past the moment the next scheduled article becomes public.

What is kept is plain data (status, headers, body bytes; a fragment's string, number or
list), under keys that carry the release (base/release.py): a deploy never reads an entry
written by other code, and an entry that cannot be read is a miss, never an error.

The generation and the pages must live where every process sees them: with a local-memory
cache each gunicorn worker would keep its own and go on serving what another one emptied.
Settings turn the page cache off without a shared cache (CACHE_URL) outside a DEBUG run, and
a system check refuses PAGE_CACHE_SECONDS with a local-memory cache (base/checks.py).

A page is keyed by its path and the parameters its view says it used (the page number of a
list), so unknown parameters and page numbers past the end never make new entries.

Kept: only `text/html` answers (status 200, no cookie set, not private/no-store) to GET or
HEAD requests whose first choice is HTML, from someone without a session, outside the paths
below; an answer whose `Vary` names a header the key does not account for is not kept.
Citation formats asked for at an article's URL are answered before this cache is reached
(articles.cite_views.CitationNegotiationMiddleware sits above it).
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, get_max_age, patch_cache_control
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string

from . import release as running

logger = logging.getLogger(__name__)

GENERATION_KEY = "pagecache:generation"
NEVER_CACHED = (
    "/admin/",
    "/preview/",
    "/submit",
    "/submissions/",
    "/follow/",
    "/healthz",
    "/api/",
    "/static/",
    "/media/",
    # Free text in the query: every search would be an entry of its own.
    "/search/",
)


def pages_changed() -> None:
    """Empty the page cache (and the fragments cached with it) once the transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)


def generation() -> int:
    """The current content generation: part of every page and fragment key."""
    return cache.get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)


def _fresh_generation() -> int:
    # Never back to an earlier number if the cache loses the key (restart, eviction): pages
    # kept under old generations stay unreachable.
    return time.time_ns() // 1000


def _key(*parts: object) -> str:
    return ":".join(["pagecache", running.release(), str(generation()), *map(str, parts)])


def cached_fragment(name: str, key: str, render: Callable[[], Any]) -> Any:
    """A part of a page that changes only with the content (a count, a list of months, a
    rendered block), kept under the generation, so it is emptied with the page cache, and
    never past the next scheduled publication. Only strings and plain data. Off when
    FRAGMENT_CACHE_SECONDS is 0."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return render()
    cache_key = _key("fragment", name, key)
    found = _read(cache_key)
    if found is not None:
        return found[0]
    value = render()
    timeout = seconds_until_next_due(settings.FRAGMENT_CACHE_SECONDS)
    if timeout > 0:
        cache.set(cache_key, (value,), timeout)
    return value


def _read(key: str) -> tuple | None:
    """What was kept under `key`, or None: an entry that cannot be read is a miss."""
    try:
        found = cache.get(key)
    except Exception:  # an entry no longer readable (a changed class, a broken value)
        logger.warning("Unreadable page cache entry %s, taken as a miss", key, exc_info=True)
        return None
    return found if isinstance(found, tuple) else None


def seconds_until_next_due(longest: int) -> int:
    """Until the next scheduled article becomes public, at most `longest` seconds."""
    now = time.time()
    next_due = _next_publication(now)
    return int(min(longest, next_due - now) if next_due else longest)


def _next_publication(now: float) -> float:
    """When the next scheduled article becomes public (a timestamp, 0 for none).

    Worked out once per generation: scheduling or publishing bumps it. The only change it
    cannot see is the time itself, so a moment that has passed is worked out again. Which
    query answers it is the project's to say (PAGE_CACHE_NEXT_PUBLICATION): this module
    imports no app."""
    key = _key("next-publication")
    known = _read(key)
    if known is not None and (known[0] == 0 or known[0] > now):
        return known[0]
    moment = import_string(settings.PAGE_CACHE_NEXT_PUBLICATION)()
    found = moment.timestamp() if moment is not None else 0.0
    # Kept while it holds, and a day at most: old generations' entries do not pile up.
    cache.set(key, (found,), timeout=min(86400, max(1, int(found - now) + 1)) if found else 86400)
    return found


def use_page_number(request: HttpRequest, number: int) -> None:
    """Called by list views: the page number they served is part of the page's key."""
    request.page_cache_variant = f"page={number}" if number > 1 else ""


def _without_language(path: str) -> str:
    """The path without its language prefix: "/ru/search/" is a search as "/search/" is
    (its free text is not in the key, so it was kept and served for any other query)."""
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


def _requested_variant(request: HttpRequest) -> str:
    """The only parameter a cached page depends on, normalised: everything else is ignored."""
    if not request.META.get("QUERY_STRING"):
        return ""
    page = request.GET.get("page", "")
    return f"page={int(page)}" if page.isdigit() and 1 < int(page) < 10**6 else ""


_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A 304 to a reader who has this copy already (ConditionalGetMiddleware runs below us)."""
    if not any(header in request.META for header in _CONDITIONS):
        return response
    last_modified = response.get("Last-Modified")
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(last_modified) if last_modified else None,
        response=response,
    )


def _wants_html(request: HttpRequest) -> bool:
    """Whether the client's first choice is an HTML page. Anything else (a reference
    manager asking for BibTeX, a feed reader, `application/xhtml+xml` first) goes past the
    cache: the answer to it is not the page a browser is kept."""
    if request.META.get("HTTP_ACCEPT", "*/*") in ("", "*/*"):
        return True
    first = request.accepted_types[0] if request.accepted_types else None
    return first is None or first.match("text/html")


# The request headers an answer may vary on and still be kept: only requests classified as
# asking for HTML (`Accept`) and without a session (`Cookie`) read or write the cache.
_KEYED_HEADERS = {"accept", "cookie"}


def _varies_on_unkeyed_headers(response: HttpResponse) -> bool:
    named = (header.strip().lower() for header in response.get("Vary", "").split(","))
    return any(header and header not in _KEYED_HEADERS for header in named)


def _as_data(response: HttpResponse) -> dict:
    return {
        "status": response.status_code,
        "headers": list(response.items()),
        "content": response.content,
    }


def _as_response(data: dict) -> HttpResponse:
    response = HttpResponse(data["content"], status=data["status"])
    for name, value in data["headers"]:
        response[name] = value
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        prefix = ("page", request.method == "HEAD", request.path)
        found = _read(_key(*prefix, _requested_variant(request)))
        if found is not None:
            try:
                cached = _as_response(found[0])
            except Exception:  # an entry of another shape: a miss
                logger.warning("Unreadable cached page for %s", request.path, exc_info=True)
            else:
                cached["X-Page-Cache"] = "hit"
                return _conditional(request, cached)
        response = self.get_response(request)
        self._store(request, response, prefix)
        return response

    def _store(self, request: HttpRequest, response: HttpResponse, prefix: tuple) -> None:
        if not self._cacheable_response(response):
            return
        timeout = seconds_until_next_due(settings.PAGE_CACHE_SECONDS)
        if timeout <= 0:
            return
        # Under the variant the view served (page 3 of a list), not the one asked for.
        key = _key(*prefix, getattr(request, "page_cache_variant", ""))
        patch_cache_control(response, public=True, max_age=min(timeout, 60))
        response["X-Page-Cache"] = "miss"

        def keep(rendered: HttpResponse) -> None:
            cache.set(key, (_as_data(rendered),), timeout)

        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(keep)
        else:
            keep(response)

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not _without_language(request.path).startswith(NEVER_CACHED)
            and _wants_html(request)
        )

    def _cacheable_response(self, response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not _varies_on_unkeyed_headers(response)
            and not response.cookies
            and not response.streaming
            and not any(word in control for word in ("private", "no-store", "no-cache"))
            and get_max_age(response) != 0
        )


class EmptiesPageCacheAdmin:
    """For the admins of things shown on public pages: every save or delete empties the cache."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pages_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pages_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages_changed()
