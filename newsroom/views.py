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

from articles import rendering
from articles.models import Article, Series, published_q
from articles.views import cards_html
from base.httpcache import LIST_ARTICLES, article_key, call_key, series_key, tag
from submissions.models import Call

logger = logging.getLogger(__name__)

HOME_LATEST = 9
BROKER_TIMEOUT_SECONDS = 3


def home(request: HttpRequest) -> HttpResponse:
    """Featured and latest as cards (plain values, rendered on write), the active series and
    the open calls: four queries."""
    latest = (
        Article.objects.published()
        .in_language()
        .latest_first()
        .values_list(*rendering.CARD_COLUMNS)
    )
    featured_rows = latest.filter(is_featured=True)[:1]
    recent = rendering.cards_of_rows(latest[: HOME_LATEST + 1])
    # The newest article flagged as featured leads; without one, the newest article does.
    featured = next(iter(rendering.cards_of_rows(featured_rows)), None) or next(iter(recent), None)
    others = [card for card in recent if featured is None or card["id"] != featured["id"]]
    active_series = (
        Series.objects.filter(is_active=True)
        .annotate(article_count=Count("articles", filter=published_q("articles__")))
        .filter(article_count__gt=0)
        .order_by("title")
    )
    open_calls = list(Call.objects.open().select_related("series"))
    active_series = list(active_series)
    shown = [card for card in [featured, *others[:HOME_LATEST]] if card]
    response = render(
        request,
        "home.html",
        {
            "featured": cards_html([featured], level=3, big=True) if featured else "",
            "latest": cards_html(others[:HOME_LATEST], level=3),
            "active_series": active_series,
            "open_calls": open_calls,
        },
    )
    tag(
        response,
        LIST_ARTICLES,
        *(article_key(card["id"]) for card in shown),
        *(series_key(series.pk) for series in active_series),
        *(call_key(call.pk) for call in open_calls),
    )
    if open_calls:  # no cache keeps the home page past the first call's deadline
        until = int((open_calls[0].deadline - timezone.now()).total_seconds())
        patch_cache_control(response, s_maxage=max(until, 0))
    return response


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
