"""A full-page cache for anonymous readers of the public site.

Pages are stored under a *generation* number. Anything that changes what readers see
(publishing, updating, unpublishing, archiving, featuring, reverting an article) bumps the
generation once its transaction commits, so every page that could show it is emptied at
once. A page is never kept past the moment the next scheduled article becomes public.

Never cached: anyone with a session (editors), anything but GET/HEAD with status 200, a
response that sets a cookie or says private/no-store (previews, forms), and the paths below.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_max_age, patch_cache_control

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
)


def pages_changed() -> None:
    """Empty the page cache once the current transaction commits."""
    transaction.on_commit(_bump)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet
        cache.set(GENERATION_KEY, 1, timeout=None)


def _generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = f"pagecache:{_generation()}:{request.method == 'HEAD'}:{request.get_full_path()}"
        cached = cache.get(key)
        if cached is not None:
            cached["X-Page-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if self._cacheable_response(response):
            timeout = self._timeout()
            if timeout > 0:
                patch_cache_control(response, public=True, max_age=min(timeout, 60))
                response["X-Page-Cache"] = "miss"
                if hasattr(response, "render") and callable(response.render):
                    response.add_post_render_callback(lambda r: cache.set(key, r, timeout))
                else:
                    cache.set(key, response, timeout)
        return response

    def _cacheable_request(self, request: HttpRequest) -> bool:
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(NEVER_CACHED)
        )

    def _cacheable_response(self, response: HttpResponse) -> bool:
        control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            and not any(word in control for word in ("private", "no-store", "no-cache"))
            and get_max_age(response) != 0
        )

    def _timeout(self) -> int:
        """Until the next scheduled article is due, at most PAGE_CACHE_SECONDS."""
        from articles.models import Article

        now = timezone.now()
        next_due = (
            Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__gt=now)
            .order_by("publish_at")
            .values_list("publish_at", flat=True)
            .first()
        )
        limit = datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS)
        if next_due is not None:
            limit = min(limit, next_due - now)
        return int(limit.total_seconds())
