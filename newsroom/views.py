import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from kombu import Connection

from articles.models import Article, Series, published_q
from articles.views import cards_html
from base.httpcache import LIST_ARTICLES, article_key, call_key, series_key, tag
from base.pagecache import cached_fragment
from submissions.models import Call

logger = logging.getLogger(__name__)

HOME_LATEST = 9
BROKER_TIMEOUT_SECONDS = 3


def home(request: HttpRequest) -> HttpResponse:
    # Open calls close with time; the rest changes only with the content.
    parts = cached_fragment("home", "", _home_parts)
    open_calls = list(Call.objects.open().select_related("series"))
    response = render(request, "home.html", {**parts, "open_calls": open_calls})
    tag(
        response,
        LIST_ARTICLES,
        *map(article_key, parts["article_ids"]),
        *(series_key(series.pk) for series in parts["active_series"]),
        *(call_key(call.pk) for call in open_calls),
    )
    if open_calls:  # no cache keeps the home page past the first call's deadline
        until = int((open_calls[0].deadline - timezone.now()).total_seconds())
        patch_cache_control(response, s_maxage=max(until, 0))
    return response


def _home_parts() -> dict:
    published = Article.objects.published().for_listing().latest_first()
    # The newest article flagged as featured leads; without one, the newest article does.
    featured = published.filter(is_featured=True).first()
    recent = list(published[: HOME_LATEST + 1])
    if featured is None and recent:
        featured = recent[0]
    latest = [article for article in recent if article != featured][:HOME_LATEST]
    active_series = (
        Series.objects.filter(is_active=True)
        .annotate(article_count=Count("articles", filter=published_q("articles__")))
        .filter(article_count__gt=0)
        .order_by("title")
    )
    return {
        "featured": cards_html([featured], level=3, big=True) if featured else "",
        "latest": cards_html(latest, level=3),
        "active_series": list(active_series),
        "article_ids": [article.pk for article in [featured, *latest] if article],
    }


def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /preview/",
        "Disallow: /submissions/",
        "Disallow: /follow/",
        "Disallow: /search/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_answers()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_answers(settings.CELERY_BROKER_URL)
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable"}
        | {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        status=200 if healthy else 503,
    )


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        logger.exception("Health check: the database does not answer")
        return False


def _broker_answers(url: str) -> bool:
    try:
        with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS) as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
        return True
    except Exception:
        logger.warning("Health check: the broker at its configured URL does not answer")
        return False
