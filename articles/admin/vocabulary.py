"""Authors, series, topics and regions: the vocabularies articles are filed under, with
their names in each language of the site."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Count

from base.control_characters import validate_one_line
from base.httpcache import article_key
from base.languages import default_language, language_name, text_direction
from base.pagecache import EmptiesPageCacheAdmin
from outbox.purges import PurgesTagsAdmin

from .. import rendering
from ..models import Author, Region, Series, Topic
from ..models.vocabulary import DESCRIPTION_MAX_CHARS, NAME_MAX_CHARS

NAMES_FIELDSET = "Names in other languages"


def _other_languages() -> list[tuple[str, str]]:
    """The site's languages but the default one, whose names are the model's own fields."""
    return [(code, name) for code, name in settings.LANGUAGES if code != default_language()]


def _names_field(code: str, part: str) -> str:
    return f"names_{code}_{part}"


def _names_form(base: type[forms.ModelForm], parts: tuple[str, ...]) -> type[forms.ModelForm]:
    """`base` with a name (and description) field per language of settings, read from and
    written to the row's `names`; built when asked, so a language added to settings has its
    fields without a change here. Each field is typed in its language's direction."""
    fields = {}
    for code, english in _other_languages():
        attrs = {"lang": code, "dir": text_direction(code)}
        label = f"{english} ({language_name(code)})"
        fields[_names_field(code, "name")] = forms.CharField(
            label=f"Name in {label}",
            required=False,
            max_length=NAME_MAX_CHARS,
            validators=[validate_one_line],
            widget=forms.TextInput(attrs={**attrs, "class": "vTextField"}),
        )
        if "description" in parts:
            fields[_names_field(code, "description")] = forms.CharField(
                label=f"Description in {english}",
                required=False,
                max_length=DESCRIPTION_MAX_CHARS,
                widget=forms.Textarea(attrs={**attrs, "rows": 3, "class": "vLargeTextField"}),
            )

    def __init__(self, *args, **kwargs):
        base.__init__(self, *args, **kwargs)
        for code, _ in _other_languages():
            given = (self.instance.names or {}).get(code) or {}
            for part in parts:
                name = _names_field(code, part)
                if name in self.fields:
                    self.fields[name].initial = given.get(part, "")

    def save(self, commit=True):
        for code, _ in _other_languages():
            self.instance.set_names_in(
                code,
                name=self.cleaned_data.get(_names_field(code, "name"), ""),
                description=self.cleaned_data.get(_names_field(code, "description"), ""),
            )
        return base.save(self, commit)

    methods = {"__init__": __init__, "save": save}
    return type(f"{base.__name__}WithNames", (base,), {**fields, **methods})


class _NamesInLanguages:
    """The change page's fields for the names in the other languages, in a fieldset of their
    own after the model's fields; the list shows which languages have a name."""

    names_parts: tuple[str, ...] = ("name", "description")

    def _names_fields(self) -> list[str]:
        return [
            _names_field(code, part) for code, _ in _other_languages() for part in self.names_parts
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = _names_form(kwargs.get("form", self.form), self.names_parts)
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        names = self._names_fields()
        # `names` itself is edited through the fields per language, never as raw JSON.
        own = [f for f in self.get_fields(request, obj) if f not in names and f != "names"]
        return [
            (None, {"fields": own}),
            (
                NAMES_FIELDSET,
                {
                    "fields": names,
                    "description": "Left empty, a language shows the English name"
                    + (" and description." if "description" in self.names_parts else "."),
                },
            ),
        ]

    @admin.display(description="other languages")
    def names_languages(self, obj) -> str:
        given = obj.names or {}
        return ", ".join(code for code, _ in _other_languages() if code in given) or "—"


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
    _NamesInLanguages,
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    # An author's name in each script; the title, affiliation and bio stay as written.
    names_parts = ("name",)
    ordering = ["name"]
    list_display = [
        "name", "title", "affiliation", "is_contributor", "names_languages", "article_count"
    ]  # fmt: skip
    list_filter = ["is_contributor"]
    search_fields = ["name", "title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(
    _NamesInLanguages,
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    ordering = ["title"]
    list_display = ["title", "is_active", "names_languages", "article_count"]
    list_filter = ["is_active"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(
    _NamesInLanguages,
    _RendersArticlesShowingIt,
    _PurgesPagesShowingIt,
    EmptiesPageCacheAdmin,
    _ArticleCountMixin,
    admin.ModelAdmin,
):
    count_relation = "tagged_articles"
    ordering = ["name"]
    list_display = ["name", "slug", "names_languages", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(TopicAdmin):
    pass
