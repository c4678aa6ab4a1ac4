"""A full-page cache for anonymous readers of the public site.

Pages are stored under a *generation* number kept in the same cache. Anything that changes
what readers see (an article published, edited, unpublished, archived, featured or reverted;
an author, series, topic, region or call edited or deleted) bumps the generation once its
transaction commits, so every page that could show it is emptied at once. A page is never
kept past the moment the next scheduled article becomes public.

The generation and the pages must live where every process sees them: with a local-memory
cache each gunicorn worker would keep its own and go on serving what another one emptied.
Settings turn the page cache off without a shared cache (CACHE_URL) outside a DEBUG run, and
a system check refuses PAGE_CACHE_SECONDS with a local-memory cache (base/checks.py).

A page is keyed by its path and the parameters its view says it used (the page number of a
list), so unknown parameters and page numbers past the end never make new entries. A page
being rebuilt after the generation moved is built by one process; the others wait for it.

Kept: only `text/html` answers (status 200, no cookie set, not private/no-store) to GET or
HEAD requests whose first choice is HTML, from someone without a session, outside the paths
below; an answer whose `Vary` names a header the key does not account for is not kept.
Citation formats asked for at an article's URL are answered before this cache is reached
(articles.cite_views.CitationNegotiationMiddleware sits above it).
"""

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    get_conditional_response,
    get_max_age,
    patch_cache_control,
)
from django.utils.http import parse_http_date_safe
from django.utils.module_loading import import_string

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
# While one process rebuilds a page, the others wait this long for it before building it too.
REBUILD_WAIT_SECONDS = 3.0
_REBUILD_POLL_SECONDS = 0.02


def pages_changed() -> None:
    """Empty the page cache (and the fragments cached with it) once the transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        value = cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        value = _fresh_generation()
        cache.set(GENERATION_KEY, value, timeout=None)
    _remember_generation(value)


def generation() -> int:
    """The current content generation: part of every page and fragment key.

    A process trusts the number it last read for PAGE_CACHE_GENERATION_SECONDS (1): a hit
    then needs no round trip at all, and a change made elsewhere shows within that time
    (at once in the process that made it)."""
    if _known["value"] is not None and time.monotonic() < _known["until"]:
        return _known["value"]
    value = cache.get_or_set(GENERATION_KEY, _fresh_generation, timeout=None)
    _remember_generation(value)
    return value


_known: dict = {"value": None, "until": 0.0}


def _remember_generation(value: int) -> None:
    _known["value"] = value
    _known["until"] = time.monotonic() + settings.PAGE_CACHE_GENERATION_SECONDS


def forget_local_copies(**kwargs) -> None:
    """Drop this process's copies of the generation and of pages (tests clear the cache)."""
    _known["value"] = None
    with _local_lock:
        _local_copies.clear()


@receiver(setting_changed)
def _cache_settings_changed(setting: str, **kwargs) -> None:
    if setting in ("PAGE_CACHE_SECONDS", "FRAGMENT_CACHE_SECONDS", "CACHES"):
        forget_local_copies()


def _fresh_generation() -> int:
    # Never back to an earlier number if the cache loses the key (restart, eviction): pages
    # kept under old generations, here or in a process's own copies, stay unreachable.
    return time.time_ns() // 1000


def cached_fragment(name: str, key: str, render: Callable[[], Any]) -> Any:
    """A part of a page that changes only with the content (a rendered block, a count), kept
    under the generation, so it is emptied with the page cache, and never past the next
    scheduled publication. Off when FRAGMENT_CACHE_SECONDS is 0."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return render()
    cache_key = f"fragments:{generation()}:{name}:{key}"
    found, value = _shared_get(cache_key)
    if not found:
        value = render()
        timeout = seconds_until_next_due(settings.FRAGMENT_CACHE_SECONDS)
        if timeout > 0:
            _shared_set(cache_key, value, timeout)
    return value


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
    key = f"pagecache:{generation()}:next-publication"
    known = cache.get(key)
    if isinstance(known, float) and (known == 0 or known > now):
        return known
    moment = import_string(settings.PAGE_CACHE_NEXT_PUBLICATION)()
    found = moment.timestamp() if moment is not None else 0.0
    # Kept while it holds, and a day at most: old generations' entries do not pile up.
    cache.set(key, found, timeout=min(86400, max(1, int(found - now) + 1)) if found else 86400)
    return found


def use_page_number(request: HttpRequest, number: int) -> None:
    """Called by list views: the page number they served is part of the page's key."""
    request.page_cache_variant = f"page={number}" if number > 1 else ""


def _requested_variant(request: HttpRequest) -> str:
    """The only parameter a cached page depends on, normalised: everything else is ignored."""
    if not request.META.get("QUERY_STRING"):
        return ""
    page = request.GET.get("page", "")
    return f"page={int(page)}" if page.isdigit() and 1 < int(page) < 10**6 else ""


# What this process read from or wrote to the shared cache lately (pages and fragments),
# pickled, with the moment each expires: a hit then costs no round trip to the shared cache.
# The generation is in every key, so a copy here is never staler than the shared one; the
# expiry keeps it from outliving the next scheduled publication, as the shared one does.
LOCAL_COPIES = 512
_local_copies: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
_local_lock = threading.Lock()  # threaded servers (runserver, gthread workers)


def _shared_get(key: str) -> tuple[bool, Any]:
    """(found, value): a fresh copy of what `_shared_set` stored, unless it has expired."""
    with _local_lock:
        entry = _local_copies.get(key)
        if entry is not None:
            _local_copies.move_to_end(key)
    if entry is None:
        entry = cache.get(key)
        if not isinstance(entry, tuple):
            return False, None
        _keep_locally(key, entry)
    expires_at, pickled = entry
    if time.time() >= expires_at:
        with _local_lock:
            _local_copies.pop(key, None)
        return False, None
    # Each request gets its own objects: nothing one request changes shows in another.
    return True, pickle.loads(pickled)  # noqa: S301 (our own bytes, never the client's)


def _shared_set(key: str, value: Any, timeout: int) -> None:
    entry = (time.time() + timeout, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    cache.set(key, entry, timeout)
    _keep_locally(key, entry)


def _keep_locally(key: str, entry: tuple[float, bytes]) -> None:
    with _local_lock:
        _local_copies[key] = entry
        if len(_local_copies) > LOCAL_COPIES:
            _local_copies.popitem(last=False)


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


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        prefix = f"pagecache:{generation()}:{request.method == 'HEAD'}:{request.path}?"
        key = prefix + _requested_variant(request)
        cached = _shared_get(key)[1]
        if cached is None and not cache.add(f"{key}:building", 1, timeout=30):
            cached = self._wait_for(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return _conditional(request, cached)
        try:
            response = self.get_response(request)
            self._store(request, response, prefix)
        finally:
            cache.delete(f"{key}:building")
        return response

    def _wait_for(self, key: str) -> HttpResponse | None:
        """Another process is building this page: wait for it rather than build it again."""
        deadline = time.monotonic() + REBUILD_WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(_REBUILD_POLL_SECONDS)
            cached = _shared_get(key)[1]
            if cached is not None or cache.get(f"{key}:building") is None:
                return cached
        return None

    def _store(self, request: HttpRequest, response: HttpResponse, prefix: str) -> None:
        if not self._cacheable_response(response):
            return
        timeout = seconds_until_next_due(settings.PAGE_CACHE_SECONDS)
        if timeout <= 0:
            return
        # Under the variant the view served (page 3 of a list), not the one asked for.
        key = prefix + getattr(request, "page_cache_variant", "")
        patch_cache_control(response, public=True, max_age=min(timeout, 60))
        response["X-Page-Cache"] = "miss"
        if hasattr(response, "render") and callable(response.render):
            response.add_post_render_callback(lambda r: _shared_set(key, r, timeout))
        else:
            _shared_set(key, response, timeout)

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(NEVER_CACHED)
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
