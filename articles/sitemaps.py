from collections import defaultdict

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from base.httpcache import LIST_ARTICLES, tag
from base.languages import hreflang

from .models import Article, Author, Region, Series, Topic, published_q


class ArticleSitemap(Sitemap):
    """Every public edition, each with its piece's other public editions as alternates
    (`hreflang`, itself and `x-default` included) when there is more than one."""

    changefreq = "monthly"
    priority = 0.8
    limit = 5000

    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at", "language", "translation_key")
            .order_by("-publish_at", "-id")
        )

    def lastmod(self, item: Article):
        return item.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        keys = {url["item"].translation_key for url in urls}
        editions = defaultdict(list)
        for row in (
            Article.objects.published()
            .filter(translation_key__in=keys)
            .values("slug", "language", "translation_key")
        ):
            editions[row["translation_key"]].append(row)
        for url in urls:
            item, group = url["item"], editions[url["item"].translation_key]
            origin = url["location"].removesuffix(item.get_absolute_url())
            rows = [
                {"language": edition["language"], "url": Article(**edition).get_absolute_url()}
                for edition in group
            ]
            url["alternates"] = [
                {"lang_code": code, "location": origin + href} for code, href in hreflang(rows)
            ]
        return urls


class _WithPublished(Sitemap):
    """Pages of things that have at least one published article, dated by the newest one."""

    changefreq = "weekly"
    priority = 0.5
    model: type
    relation: str

    def items(self):
        return (
            self.model.objects.annotate(
                published=Count(self.relation, filter=published_q(f"{self.relation}__")),
                newest=Max(
                    f"{self.relation}__updated_at", filter=published_q(f"{self.relation}__")
                ),
            )
            .filter(published__gt=0)
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.newest


class TopicSitemap(_WithPublished):
    model, relation = Topic, "tagged_articles__content_object"


class RegionSitemap(_WithPublished):
    model, relation = Region, "tagged_articles__content_object"


class AuthorSitemap(_WithPublished):
    model, relation = Author, "bylines__article"


class SeriesSitemap(_WithPublished):
    model, relation = Series, "articles"


class PagesSitemap(Sitemap):
    priority = 0.6
    changefreq = "daily"

    def items(self):
        return ["home", "articles:topics", "articles:regions", "articles:archive"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "regions": RegionSitemap,
    "authors": AuthorSitemap,
    "series": SeriesSitemap,
}


def sitemap(request: HttpRequest, **kwargs) -> HttpResponse:
    """Django's sitemap, tagged as a list of the latest articles: a publication, an edit (a
    new slug) or an unpublication changes it."""
    response = django_sitemap(request, **kwargs)
    tag(response, LIST_ARTICLES)
    return response
