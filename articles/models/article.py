"""The article."""

import datetime
import uuid

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q
from django.utils import translation
from taggit.managers import TaggableManager

from base import links
from base.control_characters import validate_multi_line, validate_one_line
from base.languages import default_language
from base.slugs import free_slug
from base.weburl import web_url

from ..identifiers import (
    normalize_doi,
    validate_doi,
    validate_report_number,
)
from ..search_text import lexeme_prefix, normalise, search_config
from .authors import Author
from .body import BodyRendered, render_with_references
from .byline import _by_position
from .choices import Kind, Rights, Status
from .editions import ReportNumber
from .queries import ArticleQuerySet
from .references import BodyImage, BodyLink
from .video import _video_embed_url, validate_video_url
from .vocabulary import Series, TaggedRegion, TaggedTopic

# The configuration of the vector before editions had languages: migration 0006 computes
# it, and 0023 computes every row again in its own language's (`update_search_vectors`).
SEARCH_CONFIG = "english"
# Caps on what editors type; the body stays well within what renders in under a second
# whatever it holds (see base/markdown.py).
DEK_MAX_CHARS = 1_000
BODY_MAX_CHARS = 60_000


def search_vector_expression():
    """Title weighs more than the standfirst, the standfirst more than the body (one
    configuration for every row: what migration 0006 computed)."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("plain_text", weight="C", config=SEARCH_CONFIG)
    )


# Each row with its own language's configuration, from texts normalised in Python
# (articles/search_text.py), so the same rule reads the articles and the queries. A stemming
# configuration's words are also kept as written (`simple`): a stemmer reads some names'
# dictionary forms unlike their other forms (articles/search.py, `_tsquery_sql`). Every
# lexeme is then prefixed with the row's language ('ru:карабах', `lexeme_prefix`), so that
# PostgreSQL's statistics of the column count each word per language.
_WRITE_VECTORS = r"""
UPDATE {table} AS a SET search_vector = regexp_replace((
    setweight(to_tsvector(v.config::regconfig, v.title) || CASE WHEN v.config = 'simple'
        THEN ''::tsvector ELSE to_tsvector('simple', v.title) END, 'A')
    || setweight(to_tsvector(v.config::regconfig, v.dek) || CASE WHEN v.config = 'simple'
        THEN ''::tsvector ELSE to_tsvector('simple', v.dek) END, 'B')
    || setweight(to_tsvector(v.config::regconfig, v.body) || CASE WHEN v.config = 'simple'
        THEN ''::tsvector ELSE to_tsvector('simple', v.body) END, 'C')
    )::text, '(^| )''', '\1''' || v.prefix, 'g')::tsvector
FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    AS v(id, config, prefix, title, dek, body)
WHERE a.id = v.id
"""
VECTOR_BATCH = 500


def _write_search_vectors(table: str, rows: list[tuple]) -> None:
    """One UPDATE for these rows of (pk, language, title, dek, plain_text)."""
    columns: list[list] = [[], [], [], [], [], []]
    for pk, language, title, dek, text in rows:
        columns[0].append(pk)
        columns[1].append(search_config(language))
        columns[2].append(lexeme_prefix(language))
        columns[3].append(normalise(title or ""))
        columns[4].append(normalise(dek or ""))
        columns[5].append(normalise(text or ""))
    with connection.cursor() as cursor:
        cursor.execute(_WRITE_VECTORS.format(table=connection.ops.quote_name(table)), columns)


def update_search_vector(article: "Article") -> None:
    """The vector of one article from what it holds in memory: one UPDATE."""
    if connection.vendor == "postgresql":
        row = (article.pk, article.language, article.title, article.dek, article.plain_text)
        _write_search_vectors(article._meta.db_table, [row])


def update_search_vectors(articles: "models.QuerySet") -> None:
    """The vectors of these articles, read from the database (a migration may pass its own
    historical model's rows), VECTOR_BATCH at a time."""
    if connection.vendor != "postgresql":
        return
    table = articles.model._meta.db_table
    pks = list(articles.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), VECTOR_BATCH):
        batch = articles.model._base_manager.filter(pk__in=pks[start : start + VECTOR_BATCH])
        rows = batch.values_list("pk", "language", "title", "dek", "plain_text")
        _write_search_vectors(table, list(rows))


# A revision of an article holds its bylines, tags, moves and corrections with it.
REVISION_FOLLOWS = ("bylines", "tagged_topics", "tagged_regions", "moves", "corrections")


@reversion.register(follow=REVISION_FOLLOWS)
class Article(models.Model):
    Kind = Kind
    Status = Status
    Rights = Rights
    title = models.CharField(max_length=250, validators=[validate_one_line])
    slug = models.SlugField(max_length=250, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ANALYSIS)
    dek = models.TextField(
        "standfirst",
        blank=True,
        max_length=DEK_MAX_CHARS,
        validators=[validate_multi_line],
        help_text="One or two sentences.",
    )
    body = models.TextField(
        blank=True,
        max_length=BODY_MAX_CHARS,
        help_text=f"Markdown: headings, footnotes, tables. Up to {BODY_MAX_CHARS:,} characters.",
    )
    body_html = models.TextField(editable=False, blank=True)
    # The body as plain text, for search snippets and the fallback search.
    plain_text = models.TextField(editable=False, blank=True)
    # PostgreSQL full-text search (GIN index); kept up to date by `save()`.
    search_vector = SearchVectorField(null=True, editable=False)
    toc = models.JSONField("table of contents", editable=False, default=list, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(editable=False, default=1)

    authors = models.ManyToManyField(Author, through="Byline", related_name="articles")
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    series_position = models.PositiveSmallIntegerField(null=True, blank=True)
    topics = TaggableManager(through=TaggedTopic, blank=True, related_name="articles")
    regions = TaggableManager(through=TaggedRegion, blank=True, related_name="articles")

    image = models.ImageField("featured image", upload_to="articles/%Y/", blank=True)
    image_alt = models.CharField("image alt text", max_length=300, blank=True)
    image_credit = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(
        blank=True, validators=[validate_video_url], help_text="YouTube or Vimeo only."
    )
    is_featured = models.BooleanField("featured on the home page", default=False)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the article goes (or went) public; shown as its publication date.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Bumped by every save; a form that was opened at another version may not overwrite.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    # Editions (base/languages.py). Each edition is an article of its own language, with its
    # own title, slug, text, status and revisions; the editions of one piece share a
    # translation key, and a translation names the edition it was made from and the
    # revision of that edition's text it followed (stale once the source's published text
    # moves past it). No choices on the language: a new one is settings, not a migration.
    language = models.CharField(max_length=12, default=default_language)
    translation_key = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    translation_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="translations",
    )
    source_revision = models.ForeignKey(
        "reversion.Version",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the source's text moves past `source_revision` (an edit of its title,
    # standfirst or body not marked minor); cleared when the translation follows it again.
    stale_since = models.DateTimeField(null=True, blank=True, editable=False)
    # When the text its translations follow last changed (an edit not marked minor).
    text_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    machine_translated = models.BooleanField(
        "machine translation, not reviewed",
        default=False,
        help_text="Pre-filled by a translation engine. Untick once a person has read it "
        "against the source: it cannot be published before.",
    )

    rights = models.CharField(max_length=20, choices=Rights.choices, default=Rights.EXCLUSIVE)
    source_outlet = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(blank=True)
    source_published_on = models.DateField("original publication date", null=True, blank=True)
    original_author = models.CharField(
        max_length=200, blank=True, help_text="Who wrote the original, for a piece from elsewhere."
    )
    # Citable publishing: a DOI for any kind; a number, takeaways and notes for reports.
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[validate_doi],
        help_text="Optional, e.g. 10.5555/cc.2026.001; shown in every citation.",
    )
    report_number = models.CharField(
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_report_number],
        help_text="Reports only. Left empty, CC-YYYY-NNN is given at publication; "
        "it can be changed until the report is first published.",
    )
    key_takeaways = models.TextField(
        blank=True, max_length=3000, help_text="Reports: one takeaway per line, a few at most."
    )
    recommendations = models.TextField(
        blank=True, max_length=5000, help_text="Reports: one recommendation per line."
    )
    about_report = models.TextField(
        "about this report",
        blank=True,
        max_length=5000,
        help_text="Reports: methodology, funding disclosure.",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule, unpublish, archive and feature articles")
        ]
        indexes = [
            models.Index(fields=["status", "-publish_at"], name="article_status_publish_at"),
            # Lists of public articles walk this in date order and stop at a page's length.
            models.Index(
                fields=["-publish_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_public_by_date",
            ),
            models.Index(
                fields=["-publish_at"], condition=Q(is_featured=True), name="article_featured"
            ),
            # Lists in one language walk this (an edition language holds few articles).
            models.Index(
                fields=["language", "-publish_at", "-id"],
                condition=Q(status__in=["published", "scheduled"]),
                name="article_public_by_language",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=["scheduled", "published"]) | Q(publish_at__isnull=False),
                name="article_public_has_publish_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = free_slug(
                self.title, Article.objects.exclude(pk=self.pk), fallback=self.kind or "article"
            )
        body = render_body(self.body)
        rendered = body.rendered
        self.body_html = rendered.html
        self.plain_text = rendered.text
        self.toc = rendered.toc
        self.reading_minutes = rendered.reading_minutes
        self.lock_version += 1
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body_html",
                "plain_text",
                "toc",
                "reading_minutes",
                "lock_version",
                "updated_at",
            }
        adding = self._state.adding
        super().save(*args, **kwargs)
        update_search_vector(self)
        self.keep_references(body, adding=adding)

    def get_absolute_url(self) -> str:
        """The edition's address, in its own language's part of the site."""
        with translation.override(self.language or default_language()):
            return links.url("articles:detail", self.slug)

    def keep_references(self, body: BodyRendered, *, adding: bool) -> None:
        """Which library images and articles the body names now (see `references`)."""
        if not adding:
            BodyImage.objects.filter(article=self).delete()
            BodyLink.objects.filter(article=self).delete()
        BodyImage.objects.bulk_create(
            BodyImage(article=self, image_id=image_id) for image_id in body.images
        )
        BodyLink.objects.bulk_create(
            BodyLink(article=self, target_id=target, href=href)
            for target, href in body.links.items()
            if target != self.pk
        )

    def clean(self) -> None:
        errors = {}
        if self.image and not self.image_alt:
            errors["image_alt"] = "Describe the image for readers who cannot see it."
        if self.rights != self.Rights.EXCLUSIVE:
            if not self.source_outlet:
                errors["source_outlet"] = "Name the outlet this piece comes from."
            if not self.source_url:
                errors["source_url"] = "Link to the original piece."
        if self.status in (self.Status.SCHEDULED, self.Status.PUBLISHED) and not self.publish_at:
            errors["publish_at"] = "A scheduled or published article needs a publication time."
        if self.kind == self.Kind.BRIEFING and not self.video_url:
            errors["video_url"] = "A video briefing needs its video."
        errors.update(self._report_number_errors())
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None) -> None:
        # Before the validators: a pasted doi.org address is the same DOI.
        self.doi = normalize_doi(self.doi)
        self.report_number = (self.report_number or "").strip().upper() or None
        super().clean_fields(exclude)

    def _report_number_errors(self) -> dict:
        if self.pk is None:
            stored = None
        else:
            stored = Article.objects.filter(pk=self.pk).values_list("report_number", flat=True)
            stored = stored.first()
        if self.first_published_at is not None and stored and self.report_number != stored:
            return {"report_number": f"Published as {stored}: the number cannot change now."}
        if self.report_number and self.report_number != stored:
            taken = ReportNumber.objects.filter(number=self.report_number)
            if self.pk is not None:
                taken = taken.exclude(article_id=self.pk)
            if taken.exists():
                return {"report_number": "This number was given to another report already."}
        return {}

    @property
    def is_report(self) -> bool:
        return self.kind == self.Kind.REPORT

    @property
    def takeaways_list(self) -> list[str]:
        return [line.strip() for line in self.key_takeaways.splitlines() if line.strip()]

    @property
    def recommendations_list(self) -> list[str]:
        return [line.strip() for line in self.recommendations.splitlines() if line.strip()]

    @property
    def is_public(self) -> bool:
        """Whether readers see it now — asked of `published()`, the one definition."""
        return self.pk is not None and Article.objects.published().filter(pk=self.pk).exists()

    @property
    def video_embed_url(self) -> str | None:
        return _video_embed_url(self.video_url) if self.video_url else None

    def open_to_writer(self, user) -> bool:
        """Whether a writer may edit it: their own (made or signed by them), not yet public."""
        if self.pk is None:
            return True
        if self.status not in (self.Status.DRAFT, self.Status.REVIEW):
            return False
        return self.created_by_id == user.pk or self.bylines.filter(author__user=user).exists()

    @property
    def canonical_url(self) -> str:
        if self.rights == self.Rights.REPUBLISHED and web_url(self.source_url):
            return web_url(self.source_url)
        return settings.SITE_URL + self.get_absolute_url()

    @property
    def last_corrected_at(self):
        corrections = list(self.corrections.all())
        return max((c.created_at for c in corrections), default=None)

    def ordered_authors(self) -> list[Author]:
        """The byline, in order; uses the prefetch of `for_listing()` when there is one."""
        return [byline.author for byline in sorted(self.bylines.all(), key=_by_position)]


def render_body(source: str) -> BodyRendered:
    """A body as readers get it, what it names resolved (`body`): saves, previews, checks."""
    return render_with_references(source, articles=Article.objects.all())


def next_publication() -> datetime.datetime | None:
    """For the page cache (settings.PAGE_CACHE_NEXT_PUBLICATION): nothing is kept past it."""
    return Article.objects.next_publication()
