"""What an HTTP cache in front of the site (Varnish, Fastly, Cloudflare) may keep, and the
tags that say which change empties which page.

A view names what its page shows with `tag(response, article_key(7), LIST_ARTICLES, …)`;
`HttpCacheMiddleware` turns a tagged answer to an anonymous reader into one that shared
caches keep (`s-maxage`, grace) and writes its tags in the header each cache reads. When
something readers see changes, a purge row of the outbox names the same keys
(`outbox.purges`, `notifications.purges`). An untagged answer is left as its view made it:
nothing would ever purge it, so no shared cache is told to keep it long.
"""

from collections.abc import Callable, Iterable

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Any page listing the latest articles: home, the archive, the feeds, the sitemap.
LIST_ARTICLES = "list-articles"
# The things a page may show, by the name of their model; each has a key and a list key.
KINDS = ("article", "author", "topic", "region", "series", "call")
# Answers a shared cache may keep when tagged: a page, a moved page, a missing or gone one
# (a tagged 404 or 410 is purged when the thing it stands for comes back).
CACHEABLE_STATUSES = frozenset({200, 301, 404, 410})
# Each vendor's separator between tags in one header line (xkey: spaces or commas; Fastly's
# Surrogate-Key: spaces; Cloudflare's Cache-Tag: commas).
TAG_SEPARATORS = {"xkey": " ", "surrogate-key": " ", "cache-tag": ","}


def article_key(pk: int) -> str:
    return f"article-{pk}"


def edition_key(translation_key) -> str:
    """Every edition of one piece (their pages link each other)."""
    return f"editions-{translation_key}"


def author_key(pk: int) -> str:
    return f"author-{pk}"


def topic_key(pk: int) -> str:
    return f"topic-{pk}"


def region_key(pk: int) -> str:
    return f"region-{pk}"


def series_key(pk: int) -> str:
    return f"series-{pk}"


def call_key(pk: int) -> str:
    return f"call-{pk}"


def list_key(kind: str, pk: int) -> str:
    """The page listing one topic's, region's, author's or series' articles."""
    return f"list-{kind}-{pk}"


def object_keys(obj: Model) -> list[str]:
    """The keys of pages that show `obj` (an Author, Topic…), by its model's name; none for a
    model no page is tagged with."""
    kind = obj._meta.model_name
    if kind not in KINDS or obj.pk is None:
        return []
    return [f"{kind}-{obj.pk}", list_key(kind, obj.pk)]


def tag(response: HttpResponse, *keys: str) -> None:
    """Record that `response` shows the things named by `keys`."""
    tags = getattr(response, "cache_tags", None)
    if tags is None:
        tags = response.cache_tags = set()
    tags.update(key for key in keys if key)


def tags_of(response: HttpResponse) -> set[str]:
    return getattr(response, "cache_tags", None) or set()


def header_value(header: str, keys: Iterable[str]) -> str:
    return TAG_SEPARATORS.get(header.lower(), " ").join(sorted(keys))


class HttpCacheMiddleware:
    """Lets shared caches keep tagged public answers, and tells them the tags.

    It sits above the session, CSRF and authentication middleware so that it sees every
    cookie they set; a page that sets one is nobody's to share.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        tags = tags_of(response)
        if tags and shareable(request, response):
            # A view that knows its page turns stale sooner (a deadline) has said so.
            seconds = min(settings.HTTP_CACHE_SECONDS, _s_maxage(response))
            patch_cache_control(
                response,
                public=True,
                max_age=min(settings.HTTP_CACHE_BROWSER_SECONDS, seconds),
                s_maxage=seconds,
                stale_while_revalidate=settings.HTTP_CACHE_STALE_WHILE_REVALIDATE,
                stale_if_error=settings.HTTP_CACHE_STALE_IF_ERROR,
            )
            for header in settings.HTTP_CACHE_TAG_HEADERS:
                response[header] = header_value(header, tags)
        return response


def shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether a cache shared by every reader may keep this answer."""
    control = response.get("Cache-Control", "").lower()
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "authorization" not in request.headers
        and response.status_code in CACHEABLE_STATUSES
        and not response.cookies
        and not response.has_header("Set-Cookie")
        and not response.streaming
        and not any(word in control for word in ("private", "no-store", "no-cache"))
        and response.get("Vary", "").strip() != "*"
    )


def _s_maxage(response: HttpResponse) -> float:
    for directive in response.get("Cache-Control", "").split(","):
        name, _, value = directive.strip().partition("=")
        if name.lower() == "s-maxage" and value.strip().isdigit():
            return int(value)
    return float("inf")
