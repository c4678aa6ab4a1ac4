"""Purging the HTTP cache in front of the site: a channel of the outbox.

An article event (published, updated, unpublished) becomes one purge row naming the keys of
the pages that show the article (`base.httpcache`): its own page, the lists of its authors,
topics, regions and series, and every list of the latest articles. Vocabulary edits write
their rows through `outbox.purges.PurgesTagsAdmin`. `PurgeTransport` sends a batch of rows as
few requests as each configured cache allows (settings.HTTP_CACHE_PURGE):

- Varnish with vmod xkey: `PURGE /` with the keys in an `xkey-purge` header, accepted by the
  VCL from its ACL only (deploy/varnish/default.vcl);
- Fastly: `POST /service/{service_id}/purge` with the keys in a `Surrogate-Key` header and
  the API token in `Fastly-Key` (up to 256 keys a request);
- Cloudflare: `POST /client/v4/zones/{zone_id}/purge_cache` with `{"tags": [...]}` and a
  Bearer token (up to 30 tags a request).

Every failure is transient: the outbox retries it with backoff, the dashboard shows it, and a
purge written while the cache is down lands once it is back.
"""

import json
import logging
from collections.abc import Iterable, Iterator

import urllib3
from django.conf import settings

from articles.models import Article, Byline, TaggedRegion, TaggedTopic
from base.httpcache import LIST_ARTICLES, article_key, edition_key, list_key
from outbox.models import Notification
from outbox.purges import PURGE, purge_row, purging
from outbox.transports import Done, Transport

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 5
# Keys per request: Fastly's documented batch limit, Cloudflare's per-request tag limit, and
# for Varnish what keeps the header well under its 8 KB request header limit.
BATCH = {"varnish": 100, "fastly": 256, "cloudflare": 30}


class PurgeError(Exception):
    """The cache did not take the purge (down, refused, a 5xx): worth another try later."""


# --- Who is concerned: the pages showing an article ----------------------------------------


def keys_for_article(article_id: int) -> list[str]:
    """The keys of every page that shows the article as it is now."""
    keys = {LIST_ARTICLES, article_key(article_id)}
    keys |= {
        list_key("author", pk)
        for pk in Byline.objects.filter(article_id=article_id).values_list("author_id", flat=True)
    }
    keys |= {
        list_key("topic", pk)
        for pk in TaggedTopic.objects.filter(content_object_id=article_id).values_list(
            "tag_id", flat=True
        )
    }
    keys |= {
        list_key("region", pk)
        for pk in TaggedRegion.objects.filter(content_object_id=article_id).values_list(
            "tag_id", flat=True
        )
    }
    row = Article.objects.filter(pk=article_id).values("series_id", "translation_key").first()
    if row is not None and row["series_id"] is not None:
        keys.add(list_key("series", row["series_id"]))
    if row is not None:  # the other editions' switchers and hreflang name this one
        keys.add(edition_key(row["translation_key"]))
    return sorted(keys)


def purges_for(announcement: Notification) -> list[Notification]:
    """The audience of an article event: one purge row, keyed by the announcement so that a
    second expansion writes nothing twice. A page the article has just left (a topic taken
    off) shows its card, which carries the article's key."""
    if not purging():
        return []
    keys = keys_for_article(announcement.context["article_id"])
    return [purge_row(keys=keys, key=f"{PURGE}:{announcement.key}", event=announcement.event)]


# --- Delivery -------------------------------------------------------------------------------


class PurgeTransport(Transport):
    """A batch of purge rows goes out as one set of keys to every configured cache: all rows
    are done when every cache took every key, or all are retried (a purge twice is harmless)."""

    def deliver(self, rows: list[Notification], done: Done) -> None:
        keys = purge_keys_of(rows)
        try:
            for backend in settings.HTTP_CACHE_PURGE:
                send(backend, keys)
        except Exception as error:
            logger.warning("Purge of %d key(s) failed: %s", len(keys), error)
            for row in rows:
                done(row, error)
            return
        logger.info("Purged %d key(s) from %d cache(s)", len(keys), len(settings.HTTP_CACHE_PURGE))
        for row in rows:
            done(row, None)


def send(backend: dict, keys: list[str]) -> None:
    kind = backend.get("kind")
    if kind not in SENDERS:
        raise PurgeError(f"Unknown cache kind {kind!r} in HTTP_CACHE_PURGE.")
    for chunk in _chunks(keys, BATCH[kind]):
        SENDERS[kind](backend, chunk)


def _varnish(backend: dict, keys: list[str]) -> None:
    url = backend["url"].rstrip("/") + "/"
    _request("PURGE", url, headers={"xkey-purge": " ".join(keys)})


def _fastly(backend: dict, keys: list[str]) -> None:
    url = f"{settings.FASTLY_API_URL.rstrip('/')}/service/{backend['service_id']}/purge"
    headers = {"Fastly-Key": backend["token"], "Surrogate-Key": " ".join(keys)}
    _request("POST", url, headers={**headers, "Accept": "application/json"})


def _cloudflare(backend: dict, keys: list[str]) -> None:
    url = f"{settings.CLOUDFLARE_API_URL.rstrip('/')}/zones/{backend['zone_id']}/purge_cache"
    headers = {"Authorization": f"Bearer {backend['token']}", "Content-Type": "application/json"}
    answer = _request("POST", url, headers=headers, body=json.dumps({"tags": keys}).encode())
    try:
        success = json.loads(answer).get("success")
    except ValueError:
        success = False
    if success is not True:
        raise PurgeError(f"Cloudflare did not confirm the purge: {answer[:200]!r}")


SENDERS = {"varnish": _varnish, "fastly": _fastly, "cloudflare": _cloudflare}


def _request(method: str, url: str, *, headers: dict, body: bytes | None = None) -> bytes:
    try:
        response = _pool().request(
            method,
            url,
            headers=headers,
            body=body,
            timeout=urllib3.Timeout(total=TIMEOUT_SECONDS),
            retries=False,
            redirect=False,
        )
    except urllib3.exceptions.HTTPError as error:  # refused, timed out, dropped
        raise PurgeError(f"{method} {_where(url)}: {type(error).__name__}") from error
    if not 200 <= response.status < 300:
        raise PurgeError(f"{method} {_where(url)} answered {response.status}")
    return response.data


def _where(url: str) -> str:
    """The URL without anything secret in it (tokens travel in headers, never in URLs)."""
    return url.split("?", 1)[0]


_POOL: urllib3.PoolManager | None = None


def _pool() -> urllib3.PoolManager:
    global _POOL
    if _POOL is None:
        _POOL = urllib3.PoolManager(num_pools=4, maxsize=2)
    return _POOL


def _chunks(keys: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def purge_keys_of(rows: Iterable[Notification]) -> list[str]:
    return sorted({key for row in rows for key in row.context.get("keys", [])})
