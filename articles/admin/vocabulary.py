"""Authors, series, topics and regions: the vocabularies articles are filed under."""

from django.contrib import admin
from django.db.models import Count

from base.httpcache import article_key
from base.pagecache import EmptiesPageCacheAdmin
from outbox.purges import PurgesTagsAdmin

from .. import rendering
from ..models import Author, Region, Series, Topic


def _with_article_count(queryset, relation: str):
    return queryset.annotate(article_count=Count(relation, distinct=True))


class _RendersArticlesShowingIt:
    """An author, a series or a tag is shown on articles' pages and cards, which were rendered
    on write: saving or deleting it renders those again."""

    # Asked for before the save: the renders then run after the commit before the purges
    # the mixins below ask for, so the HTTP cache fetches the pages rendered anew.

    def save_model(self, request, obj, form, change):
        if change:
            rendering.dependents_render(ids=rendering.dependents_of(obj))
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        rendering.dependents_render(ids=rendering.dependents_of(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        ids = sorted({pk for thing in queryset for pk in rendering.dependents_of(thing)})
        rendering.dependents_render(ids=ids)
        super().delete_queryset(request, queryset)


class _PurgesPagesShowingIt(PurgesTagsAdmin):
    """The HTTP cache forgets the pages naming it, and every page showing one of its
    articles' cards (home, lists, related analyses: tagged with the article)."""

    def purge_keys(self, obj) -> list[str]:
        return [*super().purge_keys(obj), *map(article_key, rendering.dependents_of(obj))]


class _ArticleCountMixin:
    count_relation = "articles"

    def get_queryset(self, request):
        return _with_article_count(super().get_queryset(request), self.count_relation)

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    ordering = ["name"]
    list_display = ["name", "title", "affiliation", "is_contributor", "article_count"]
    list_filter = ["is_contributor"]
    search_fields = ["name", "title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    ordering = ["title"]
    list_display = ["title", "is_active", "article_count"]
    list_filter = ["is_active"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    count_relation = "tagged_articles"
    ordering = ["name"]
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(TopicAdmin):
    pass
