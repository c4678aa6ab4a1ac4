"""The ceiling for the API benchmark: plain Django views that build the same JSON by hand
(no REST framework, no serializers), served beside the real API by bench/ceiling_wsgi.py."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, JsonResponse
from django.urls import path

from articles.models import Article, Byline
from newsroom.urls import urlpatterns as site_urlpatterns


def _articles():
    return (
        Article.objects.published()
        .select_related("series")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            "topics",
            "regions",
        )
    )


def _json(a: Article, detail: bool = False) -> dict:
    data = {
        "title": a.title,
        "slug": a.slug,
        "kind": a.kind,
        "dek": a.dek,
        "authors": [
            {"name": x.name, "slug": x.slug, "title": x.title} for x in a.ordered_authors()
        ],
        "topics": [{"name": t.name, "slug": t.slug} for t in a.topics.all()],
        "regions": [{"name": r.name, "slug": r.slug} for r in a.regions.all()],
        "series": {"title": a.series.title, "slug": a.series.slug, "position": a.series_position}
        if a.series
        else None,
        "rights": {"type": a.rights, "source_url": a.source_url or None},
        "published_at": a.publish_at.isoformat(),
        "updated_at": a.updated_at.isoformat(),
        "reading_minutes": a.reading_minutes,
        "links": {"html": settings.SITE_URL + a.get_absolute_url()},
    }
    if detail:
        data["body_html"] = a.body_html
    return data


def article_list(request):
    page = (
        _articles()
        .defer("body", "body_html", "plain_text", "search_vector", "toc")
        .order_by("-publish_at", "-id")[:20]
    )
    return JsonResponse({"next": None, "results": [_json(a) for a in page]})


def article_detail(request, slug):
    article = _articles().filter(slug=slug).first()
    if article is None:
        raise Http404
    return JsonResponse(_json(article, detail=True))


urlpatterns = [
    path("ceiling/articles/", article_list),
    path("ceiling/articles/<slug:slug>/", article_detail),
    *site_urlpatterns,
]
