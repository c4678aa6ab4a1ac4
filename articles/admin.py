from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db import models
from django.db.models import Count, Prefetch

from .models import Article, Author, Byline, Correction, Move, Region, Series, Topic

# Tag vocabularies are picked with the admin's autocomplete (with a "+" to add a new tag),
# not typed as free text, so that "Drones" and "drones " never become two topics.
TAG_FIELDS = ("topics", "regions")


def _titled_filter(title: str) -> type[admin.RelatedOnlyFieldListFilter]:
    """A related-object filter whose sidebar heading is ours, not the relation's name."""

    class TitledFilter(admin.RelatedOnlyFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class MoveInline(admin.TabularInline):
    model = Move
    extra = 0
    fields = ["position", "phase", "actor", "action", "expected_response"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 36})}
    }
    verbose_name_plural = "simulation timeline (moves)"


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "note"]
    verbose_name_plural = "public corrections"


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "byline", "publish_at", "is_featured", "updated_at"]
    list_filter = [
        "status",
        "kind",
        "is_featured",
        "rights",
        ("series", _titled_filter("series")),
        ("tagged_topics__tag", _titled_filter("topic")),
        ("tagged_regions__tag", _titled_filter("region")),
        ("bylines__author", _titled_filter("author")),
    ]
    search_fields = ["title", "dek", "slug", "bylines__author__name"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series"]
    inlines = [BylineInline, MoveInline, CorrectionInline]
    readonly_fields = ["first_published_at", "created_at", "updated_at", "reading_minutes"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "dek", "body"]}),
        ("Tags and series", {"fields": ["topics", "regions", ("series", "series_position")]}),
        ("Publication", {"fields": ["status", "publish_at", "is_featured"]}),
        ("Media", {"fields": ["image", "image_alt", "image_credit", "video_url"]}),
        (
            "Rights",
            {
                "fields": ["rights", "source_outlet", "source_url", "source_published_on"],
                "description": "Exclusive pieces carry the Center's credit-required notice; "
                "republished pieces point search engines to the original.",
            },
        ),
        (
            "Record",
            {
                "fields": ["first_published_at", "created_at", "updated_at", "reading_minutes"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in TAG_FIELDS:
            widget = AutocompleteSelectMultiple(db_field, self.admin_site)
            return forms.ModelMultipleChoiceField(
                queryset=db_field.remote_field.model.objects.all(),
                required=False,
                widget=RelatedFieldWidgetWrapper(
                    widget, db_field.remote_field, self.admin_site, can_add_related=True
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def view_on_site(self, obj: Article) -> str | None:
        return obj.get_absolute_url() if obj.is_public else None

    @admin.display(description="authors")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.ordered_authors())


def _with_article_count(queryset, relation: str):
    return queryset.annotate(article_count=Count(relation, distinct=True))


class _ArticleCountMixin:
    count_relation = "articles"

    def get_queryset(self, request):
        return _with_article_count(super().get_queryset(request), self.count_relation)

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(_ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "title", "affiliation", "is_contributor", "article_count"]
    list_filter = ["is_contributor"]
    search_fields = ["name", "title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(_ArticleCountMixin, admin.ModelAdmin):
    list_display = ["title", "is_active", "article_count"]
    list_filter = ["is_active"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(_ArticleCountMixin, admin.ModelAdmin):
    count_relation = "tagged_articles"
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(TopicAdmin):
    pass
