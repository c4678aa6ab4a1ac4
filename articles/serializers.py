"""What the API says of an article, an author, a tag, a series: the serializers.

Shared by the API's views, the webhooks' payload (`articles.announcements`) and the list
items rendered on write (`articles.rendering`).

Names of authors, tags and series are given in one language: an article's own (its edition's),
or the one a list of them was asked in (`?language=`, the serializer's `language` context),
else the default language's.
"""

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from base.languages import default_language

from . import citations
from .models import Article, Author, Series

# --- Serializers -----------------------------------------------------------------------------


class InLanguage(serializers.CharField):
    """An author's, tag's or series' name (or description) in the serializer's `language`,
    else the default language's."""

    def __init__(self, part: str = "name", **kwargs) -> None:
        self.part = part
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        language = self.context.get("language") or default_language()
        return value.name_in(language) if self.part == "name" else value.description_in(language)


class AuthorSerializer(serializers.ModelSerializer):
    name = InLanguage()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Author
        # Never the e-mail address: it is private.
        fields = ["name", "slug", "title", "affiliation", "bio", "is_contributor", "orcid", "url"]

    def get_url(self, obj: Author) -> str:
        return _page_url(obj, self.context)


class BylineSerializer(serializers.Serializer):
    name = InLanguage()
    slug = serializers.CharField()
    title = serializers.CharField()
    orcid = serializers.CharField(help_text="ORCID iD, or an empty string.")


class TagSerializer(serializers.Serializer):
    name = InLanguage()
    slug = serializers.CharField()


class TagWithCountSerializer(TagSerializer):
    article_count = serializers.IntegerField(help_text="Published articles with this tag.")
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        return _page_url(obj, self.context)


class SeriesSerializer(serializers.ModelSerializer):
    title = InLanguage()
    description = InLanguage("description")
    article_count = serializers.IntegerField(help_text="Published articles in the series.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = Series
        fields = ["title", "slug", "description", "is_active", "article_count", "url"]

    def get_url(self, obj: Series) -> str:
        return _page_url(obj, self.context)


class MoveSerializer(serializers.Serializer):
    phase = serializers.CharField()
    actor = serializers.CharField()
    action = serializers.CharField()
    expected_response = serializers.CharField()


class ArticleSerializer(serializers.ModelSerializer):
    authors = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    series = serializers.SerializerMethodField()
    rights = serializers.SerializerMethodField()
    published_at = serializers.DateTimeField(source="publish_at")
    canonical_url = serializers.CharField()
    image = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = Article
        fields = [
            "title", "slug", "language", "kind", "dek", "authors", "topics", "regions", "series",
            "rights", "published_at", "first_published_at", "updated_at", "reading_minutes",
            "canonical_url", "image", "links",
        ]  # fmt: skip

    # Authors, tags and series named in the edition's language.

    @extend_schema_field(BylineSerializer(many=True))
    def get_authors(self, obj: Article) -> list[dict]:
        return BylineSerializer(obj.ordered_authors(), many=True, context=_in(obj)).data

    @extend_schema_field(TagSerializer(many=True))
    def get_topics(self, obj: Article) -> list[dict]:
        return TagSerializer(obj.topics.all(), many=True, context=_in(obj)).data

    @extend_schema_field(TagSerializer(many=True))
    def get_regions(self, obj: Article) -> list[dict]:
        return TagSerializer(obj.regions.all(), many=True, context=_in(obj)).data

    def get_series(self, obj: Article) -> dict | None:
        if obj.series is None:
            return None
        title = obj.series.name_in(obj.language)
        return {"title": title, "slug": obj.series.slug, "position": obj.series_position}

    def get_rights(self, obj: Article) -> dict:
        return {
            "type": obj.rights,
            "notice": obj.get_rights_display(),
            "source_outlet": obj.source_outlet or None,
            "source_url": obj.source_url or None,
            "original_date": obj.source_published_on,
            "original_author": obj.original_author or None,
        }

    def get_image(self, obj: Article) -> dict | None:
        if not obj.image:
            return None
        return {
            "url": settings.SITE_URL + obj.image.url,
            "alt": obj.image_alt,
            "credit": obj.image_credit,
        }

    def get_links(self, obj: Article) -> dict:
        return {
            "html": settings.SITE_URL + obj.get_absolute_url(),
            "api": settings.SITE_URL + f"/api/v1/articles/{obj.slug}/",
        }


class ArticleDetailSerializer(ArticleSerializer):
    body_html = serializers.CharField(help_text="The body as sanitized HTML.")
    body_markdown = serializers.SerializerMethodField(
        help_text="The body's Markdown source, with ?include=markdown; otherwise null."
    )
    timeline = MoveSerializer(many=True, source="moves.all", help_text="For simulations.")
    report = serializers.SerializerMethodField(help_text="For reports; otherwise null.")
    doi = serializers.CharField(help_text="The DOI, or an empty string.")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF edition, once it is made.")
    citation = serializers.SerializerMethodField(
        help_text="The CSL-JSON item, with ?include=citation; otherwise null."
    )

    class Meta(ArticleSerializer.Meta):
        fields = [
            *ArticleSerializer.Meta.fields,
            "body_html",
            "body_markdown",
            "timeline",
            "doi",
            "report",
            "pdf_url",
            "citation",
        ]

    def get_report(self, obj: Article) -> dict | None:
        if not obj.is_report:
            return None
        return {
            "number": obj.report_number,
            "key_takeaways": obj.takeaways_list,
            "recommendations": obj.recommendations_list,
            "about": obj.about_report,
        }

    def get_pdf_url(self, obj: Article) -> str | None:
        return citations.pdf_url(obj)

    def get_citation(self, obj: Article) -> dict | None:
        return citations.csl_item(obj) if _includes(self.context, "citation") else None

    def get_body_markdown(self, obj: Article) -> str | None:
        return obj.body if _includes(self.context, "markdown") else None


def _page_url(thing, context: dict) -> str:
    """The page of an author, tag or series in the serializer's language (`/ru/topics/…`)."""
    with translation.override(context.get("language") or default_language()):
        return settings.SITE_URL + thing.get_absolute_url()


def _in(article: Article) -> dict:
    return {"language": article.language}


INCLUDES = ("markdown", "citation")


def includes(request) -> set[str]:
    """The extras asked for with ?include=a,b; anything we do not know is a 400."""
    wanted = {
        part.strip()
        for value in request.query_params.getlist("include")
        for part in value.split(",")
    }
    unknown = sorted(wanted - set(INCLUDES))
    if unknown:
        names = ", ".join(f"“{name}”" for name in unknown)
        raise ValidationError({"include": [f"Unknown include {names}; use {', '.join(INCLUDES)}."]})
    return wanted


def _includes(context: dict, name: str) -> bool:
    request = context.get("request")
    return request is not None and name in includes(request)
