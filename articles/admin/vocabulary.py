"""Authors, series, topics and regions: the vocabularies articles are filed under."""

from django.contrib import admin
from django.db.models import Count

from base.httpcache import article_key
from base.pagecache import EmptiesPageCacheAdmin
from outbox.purges import PurgesTagsAdmin

from ..models import Article, Author, Region, Series, Topic


def _with_article_count(queryset, relation: str):
    return queryset.annotate(article_count=Count(relation, distinct=True))


class _PurgesPagesShowingIt(PurgesTagsAdmin):
    """The HTTP cache forgets the pages naming it, and every page showing one of its
    articles' cards (home, lists, related analyses: tagged with the article)."""

    def purge_keys(self, obj) -> list[str]:
        return [*super().purge_keys(obj), *map(article_key, _articles_showing(obj))]


def _articles_showing(thing) -> list[int]:
    relation = {Author: "bylines__author", Series: "series", Topic: "topics", Region: "regions"}
    pks = Article.objects.filter(**{relation[type(thing)]: thing}).values_list("pk", flat=True)
    return sorted(set(pks))


class _ArticleCountMixin:
    count_relation = "articles"

    def get_queryset(self, request):
        return _with_article_count(super().get_queryset(request), self.count_relation)

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(
    _PurgesPagesShowingIt, EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin
):
    ordering = ["name"]
    list_display = ["name", "title", "affiliation", "is_contributor", "article_count"]
    list_filter = ["is_contributor"]
    search_fields = ["name", "title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(
    _PurgesPagesShowingIt, EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin
):
    ordering = ["title"]
    list_display = ["title", "is_active", "article_count"]
    list_filter = ["is_active"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(
    _PurgesPagesShowingIt, EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin
):
    count_relation = "tagged_articles"
    ordering = ["name"]
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(TopicAdmin):
    pass
