"""The read-only REST API of what is published: articles, topics, regions, series, authors."""

import datetime

from django import forms
from django.conf import settings
from django.db.models import Count
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import renderers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from base.api import PublicationCursor, with_validators

from . import citations, rendering, search
from .models import Article, Author, Byline, Region, Series, Topic, published_q

# --- Serializers -----------------------------------------------------------------------------
from .serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    AuthorSerializer,
    SeriesSerializer,
    TagWithCountSerializer,
    includes,
)


class CslJsonRenderer(renderers.JSONRenderer):
    """?format=csl on an article: the CSL-JSON item that reference managers read."""

    media_type = "application/vnd.citationstyles.csl+json"
    format = "csl"


# --- Filters ---------------------------------------------------------------------------------


class _SlugsFilter(filters.BaseInFilter, filters.CharFilter):
    """Several slugs, comma-separated or repeated: ?topic=drones,energy or ?topic=a&topic=b."""


class _ArticleFilterForm(forms.Form):
    def clean(self):
        # `published_before=` is a mistake (a blank field), not "no filter": say so.
        for name in ("published_after", "published_before"):
            if name in self.data and not self.data[name].strip():
                self.add_error(name, "Give a date in ISO 8601, e.g. 2024-05-01T00:00:00Z.")
        return super().clean()


class ArticleFilter(filters.FilterSet):
    topic = _SlugsFilter(method="filter_tags", help_text="Topic slugs, comma-separated.")
    region = _SlugsFilter(method="filter_tags", help_text="Region slugs, comma-separated.")
    match = filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="filter_noop",
        help_text="With several topics or regions: articles with any of them (default) or all.",
    )
    series = filters.CharFilter(field_name="series__slug", help_text="A series slug.")
    author = filters.CharFilter(method="filter_author", help_text="An author slug.")
    kind = filters.ChoiceFilter(choices=Article.Kind.choices)
    language = filters.ChoiceFilter(
        choices=lambda: settings.LANGUAGES,
        help_text="Editions in this language only (default: every language).",
    )
    published_after = filters.IsoDateTimeFilter(method="filter_date", help_text="ISO 8601.")
    published_before = filters.IsoDateTimeFilter(method="filter_date", help_text="ISO 8601.")
    q = filters.CharFilter(method="filter_search", help_text="The site's search (web syntax).")

    class Meta:
        model = Article
        fields = []
        form = _ArticleFilterForm

    def __init__(self, data=None, *args, **kwargs):
        # ?topic=a&topic=b means the same as ?topic=a,b
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for name in ("topic", "region"):
                values = data.getlist(name)
                if len(values) > 1:
                    data[name] = ",".join(values)
        super().__init__(data, *args, **kwargs)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_tags(self, queryset, name, slugs):
        model, relation = (
            (Topic, "tagged_topics") if name == "topic" else (Region, "tagged_regions")
        )
        slugs = [s for s in slugs if s]
        found = dict(model.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        unknown = sorted(set(slugs) - set(found))
        if unknown:
            raise ValidationError({name: [f"Unknown {name}: {', '.join(unknown)}."]})
        if self.data.get("match") == "all":
            for pk in found.values():
                queryset = queryset.filter(
                    pk__in=Article.objects.filter(**{f"{relation}__tag": pk})
                )
            return queryset
        return queryset.filter(
            pk__in=Article.objects.filter(**{f"{relation}__tag__in": list(found.values())})
        )

    def filter_date(self, queryset, name, value):
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
        try:
            moment = value.astimezone(datetime.UTC)
        except (OverflowError, ValueError) as error:
            raise ValidationError({name: ["This date is out of range."]}) from error
        lookup = "publish_at__gte" if name == "published_after" else "publish_at__lt"
        return queryset.filter(**{lookup: moment})

    def filter_author(self, queryset, name, slug):
        if not Author.objects.public().filter(slug=slug).exists():
            raise ValidationError({"author": [f"Unknown author: {slug}."]})
        return queryset.filter(pk__in=Byline.objects.filter(author__slug=slug).values("article"))

    def filter_search(self, queryset, name, value):
        # With ?language=, the search is in that language (its configuration, its most
        # recent matches); without, in every language, each edition read as its own.
        language = self.form.cleaned_data.get("language") or None
        results = search.search(value, language=language)
        if results.query.is_empty:
            raise ValidationError({"q": ["The query has no words to search for."]})
        return queryset.filter(pk__in=results.articles.values("pk"))


# --- Views -----------------------------------------------------------------------------------

ARTICLE_PARAMETERS = [
    OpenApiParameter(
        "include",
        OpenApiTypes.STR,
        enum=["markdown", "citation", "markdown,citation"],
        description="Also send the Markdown body, the CSL-JSON citation, or both.",
    ),
    OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        enum=["json", "csl"],
        description="csl: answer with the article's CSL-JSON item only.",
    ),
]


ORDERING = OpenApiParameter(
    "ordering",
    OpenApiTypes.STR,
    enum=["-published", "published"],
    description="By publication date: newest first (default) or oldest first.",
)


@extend_schema_view(
    list=extend_schema(summary="Published articles, newest first", parameters=[ORDERING]),
    retrieve=extend_schema(summary="One published article", parameters=ARTICLE_PARAMETERS),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = ArticleFilter
    pagination_class = PublicationCursor

    def get_queryset(self):
        if self.action == "list":  # plain values: each article's item was rendered on write
            return Article.objects.published()
        return (
            Article.objects.published()
            .select_related("series", "pdf_edition")
            .prefetch_related("topics", "regions", "moves")
            .with_bylines()
        )

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def get_renderers(self):
        if self.action == "retrieve":
            return [*super().get_renderers(), CslJsonRenderer()]
        return super().get_renderers()

    def list(self, request, *args, **kwargs):
        """Two queries: the filtered page's rows with their items (rendered on write, plain
        JSON), and none per article."""
        rows = self.filter_queryset(self.get_queryset()).values(*rendering.API_COLUMNS)
        items = rendering.api_items_of_rows(self.paginate_queryset(rows))
        response = self.get_paginated_response(items)
        newest = max((a["updated_at"] for a in items), default=None)
        return with_validators(response, _parse(newest))

    def retrieve(self, request, *args, **kwargs):
        includes(request)
        article = self.get_object()
        if request.accepted_renderer.format == CslJsonRenderer.format:
            return with_validators(Response(citations.csl_item(article)), article.updated_at)
        response = Response(self.get_serializer(article).data)
        return with_validators(response, article.updated_at)


def _parse(value):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else value


def _counted(model):
    return model.objects.with_published_count()


LISTING_LANGUAGE = OpenApiParameter(
    "language",
    OpenApiTypes.STR,
    enum=[code for code, _ in settings.LANGUAGES],
    description="The language of the names and descriptions (default: English); where one "
    "has none in it, the English one.",
)


class _Listing(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    pagination_class = None

    def list(self, request, *args, **kwargs):
        return with_validators(super().list(request, *args, **kwargs), max_age=300)

    def get_serializer_context(self) -> dict:
        language = self.request.query_params.get("language", "") if self.request else ""
        if language and language not in dict(settings.LANGUAGES):
            codes = ", ".join(code for code, _ in settings.LANGUAGES)
            raise ValidationError({"language": [f"Unknown language “{language}”; use {codes}."]})
        return {**super().get_serializer_context(), "language": language or None}


@extend_schema_view(
    list=extend_schema(
        summary="Topics, with their published-article counts", parameters=[LISTING_LANGUAGE]
    )
)
class TopicViewSet(_Listing):
    serializer_class = TagWithCountSerializer

    def get_queryset(self):
        return _counted(Topic)


@extend_schema_view(
    list=extend_schema(
        summary="Regions, with their published-article counts", parameters=[LISTING_LANGUAGE]
    )
)
class RegionViewSet(_Listing):
    serializer_class = TagWithCountSerializer

    def get_queryset(self):
        return _counted(Region)


@extend_schema_view(
    list=extend_schema(
        summary="Series, with their published-article counts", parameters=[LISTING_LANGUAGE]
    )
)
class SeriesViewSet(_Listing):
    serializer_class = SeriesSerializer

    def get_queryset(self):
        return Series.objects.annotate(
            article_count=Count("articles", filter=published_q("articles__"))
        ).order_by("title")


@extend_schema_view(
    list=extend_schema(
        summary="Authors who have published with the Center", parameters=[LISTING_LANGUAGE]
    )
)
class AuthorViewSet(_Listing):
    serializer_class = AuthorSerializer

    def get_queryset(self):
        return Author.objects.public().order_by("name")
