import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import reversion
from django.conf import settings
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy
from taggit.managers import TaggableManager
from taggit.models import ItemBase, TagBase

from base import links
from base.control_characters import validate_multi_line, validate_one_line
from base.markdown import render_markdown
from base.weburl import web_url

from .identifiers import (
    normalize_doi,
    normalize_orcid,
    validate_doi,
    validate_orcid,
    validate_report_number,
)


class AuthorQuerySet(models.QuerySet):
    def public(self) -> "AuthorQuerySet":
        """Authors with at least one public article. No one else has a page, a feed, an API
        entry or a sitemap line: an accepted contributor appears with their first article."""
        return self.filter(pk__in=Byline.objects.filter(published_q("article__")).values("author"))


class Author(models.Model):
    name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(
        "professional title",
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text='e.g. "Senior Fellow"',
    )
    affiliation = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if any.",
    )
    is_contributor = models.BooleanField(
        "outside contributor", default=False, help_text="Not on the Center's staff."
    )
    # Private: how an accepted contributor is recognised when they submit again.
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="e.g. 0000-0002-1825-0097; shown on the author page and in citations.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return links.url("articles:author", self.slug)

    def clean_fields(self, exclude=None) -> None:
        # Before the validators: a pasted https://orcid.org/… address is the same iD.
        self.orcid = normalize_orcid(self.orcid)
        super().clean_fields(exclude)

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""


class Series(models.Model):
    title = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return links.url("articles:series", self.slug)


class _Vocabulary(TagBase):
    """A tag vocabulary (topics, regions) with a public page per tag."""

    # taggit's own name field, with the rule for one-line text added.
    name = models.CharField(
        verbose_name=pgettext_lazy("A tag name", "name"),
        unique=True,
        max_length=100,
        validators=[validate_one_line],
    )
    description = models.TextField(blank=True)
    # What `articles.suggest` looks for in a text to suggest this tag (besides its name).
    keywords = models.TextField(
        blank=True,
        help_text="Words and names that suggest this tag, one per line (names, demonyms, "
        "capitals, variants). A line with a capital letter matches only as written; an "
        "all-lowercase line matches in any case.",
    )
    url_name: str

    class Meta:
        abstract = True
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return links.url(self.url_name, self.slug)


class Topic(_Vocabulary):
    url_name = "articles:topic"


class Region(_Vocabulary):
    url_name = "articles:region"


@reversion.register()
class TaggedTopic(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )

    class Meta:
        unique_together = [("content_object", "tag")]


@reversion.register()
class TaggedRegion(ItemBase):
    tag = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_regions"
    )

    class Meta:
        unique_together = [("content_object", "tag")]


def published_q(prefix: str = "", now: datetime.datetime | None = None) -> Q:
    """What is public (now, or at `now`): published, or scheduled with its time passed.

    The single definition, used by `Article.objects.published()` and, with a relation
    prefix, by counts of published articles per topic, region or series.
    """
    if now is None:
        now = timezone.now()
    return Q(**{f"{prefix}status": Article.Status.PUBLISHED}) | Q(
        **{f"{prefix}status": Article.Status.SCHEDULED, f"{prefix}publish_at__lte": now}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None) -> "ArticleQuerySet":
        return self.filter(published_q(now=now))

    def next_publication(self) -> datetime.datetime | None:
        """When the next scheduled article becomes public, if one is waiting."""
        waiting = self.filter(status=Article.Status.SCHEDULED, publish_at__gt=timezone.now())
        return waiting.order_by("publish_at").values_list("publish_at", flat=True).first()

    def previewable(self) -> "ArticleQuerySet":
        """Unpublished work a preview link may show: a draft, one in review or one scheduled
        and not yet due. Never an archived article, nor one readers already see."""
        return self.filter(
            status__in=[Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.SCHEDULED]
        ).exclude(published_q())

    def latest_first(self) -> "ArticleQuerySet":
        return self.order_by("-publish_at", "-id")

    def for_listing(self) -> "ArticleQuerySet":
        """Everything a list of article cards shows, in a fixed number of queries; the heavy
        text columns are left in the database."""
        return (
            self.defer(*HEAVY_FIELDS)
            .select_related("series")
            .prefetch_related(
                models.Prefetch(
                    "bylines", queryset=Byline.objects.select_related("author").order_by("position")
                ),
                "topics",
            )
        )

    def for_citation(self) -> "ArticleQuerySet":
        """What a citation, a PDF edition or the Crossref file reads, in a fixed number of
        queries: bylines with authors, topics, moves, corrections, the current PDF."""
        return self.select_related("series", "pdf_edition").prefetch_related(
            models.Prefetch(
                "bylines", queryset=Byline.objects.select_related("author").order_by("position")
            ),
            "topics",
            "moves",
            "corrections",
        )

    def for_detail(self) -> "ArticleQuerySet":
        """An article page's article: its own row, without the columns the page does not show
        (the Markdown source, the plain text, the search vector). What other rows it shows
        (byline, tags, timeline, corrections, series, PDF edition) comes from
        `detail_relations()`."""
        return self.defer(*DETAIL_DEFERRED)

    def tagged_topic(self, topic: "Topic") -> "ArticleQuerySet":
        return self.filter(tagged_topics__tag=topic)

    def tagged_region(self, region: "Region") -> "ArticleQuerySet":
        return self.filter(tagged_regions__tag=region)

    def by_author(self, author: Author) -> "ArticleQuerySet":
        return self.filter(bylines__author=author)

    def mine(self, user) -> "ArticleQuerySet":
        """What `user` started or signs, each article once (no join on the bylines)."""
        signed = Byline.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(created_by=user) | Q(pk__in=signed))

    def related_to(self, article: "Article", limit: int = 4) -> list["Article"]:
        """The articles sharing the most topics and regions with `article`, newest first among
        equals, as cards (`for_listing()`). Four queries: the shared counts, then the pick with
        its bylines and topics."""
        shared = _shared_tag_counts(article)
        levels, enough = [], 0
        for level in sorted(set(shared.values()), reverse=True):
            levels.append(level)
            enough += sum(1 for n in shared.values() if n == level)
            if enough >= limit:
                break
        if not levels:
            return []
        by_level = {level: [pk for pk, n in shared.items() if n == level] for level in levels}
        return list(
            self.filter(pk__in=[pk for ids in by_level.values() for pk in ids])
            .annotate(
                shared=Case(
                    *(When(pk__in=ids, then=Value(level)) for level, ids in by_level.items()),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            )
            .for_listing()
            .order_by("-shared", "-publish_at", "-id")[:limit]
        )


# How many of the most-sharing articles the related pick looks at; articles sharing fewer
# tags than the 2,000th are never the best four unless fewer than four share more.
RELATED_CANDIDATES = 2000


def _shared_tag_counts(article: "Article") -> dict[int, int]:
    """For the other articles with a topic or region of `article`: how many they share.

    Counted in the database (index-only scans) and cut to the RELATED_CANDIDATES that share
    the most; a level of sharing cut in the middle is dropped rather than half used.
    """
    topic_ids = [t.pk for t in article.topics.all()]
    region_ids = [r.pk for r in article.regions.all()]
    if not topic_ids and not region_ids:
        return {}
    parts, params = [], []
    for table, ids in (("articles_taggedtopic", topic_ids), ("articles_taggedregion", region_ids)):
        if ids:
            marks = ", ".join(["%s"] * len(ids))
            # Table names are ours and every value is a parameter.
            parts.append(f"SELECT content_object_id FROM {table} WHERE tag_id IN ({marks})")  # noqa: S608
            params += ids
    union = " UNION ALL ".join(parts)
    sql = (
        "SELECT content_object_id, COUNT(*) AS n FROM (" + union + ") AS shared "  # noqa: S608
        "WHERE content_object_id <> %s GROUP BY content_object_id ORDER BY n DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, article.pk, RELATED_CANDIDATES + 1])
        rows = cursor.fetchall()
    if len(rows) > RELATED_CANDIDATES:
        cut = rows[RELATED_CANDIDATES][1]
        rows = [(pk, n) for pk, n in rows if n > cut] or rows[:RELATED_CANDIDATES]
    return dict(rows)


VIDEO_HOSTS = {
    "www.youtube.com": "youtube",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
    "player.vimeo.com": "vimeo",
}


def validate_video_url(url: str) -> None:
    if url and urlparse(url).hostname not in VIDEO_HOSTS:
        raise ValidationError("Videos can only come from YouTube or Vimeo.")
    if url and _video_embed_url(url) is None:
        raise ValidationError("This does not look like the address of a single video.")


def _video_embed_url(url: str) -> str | None:
    parsed = urlparse(url)
    host = VIDEO_HOSTS.get(parsed.hostname or "")
    if host == "youtube":
        if parsed.hostname == "youtu.be":
            video_id = parsed.path.strip("/")
        else:
            video_id = parse_qs(parsed.query).get("v", [""])[0]
        if video_id.replace("-", "").replace("_", "").isalnum():
            return f"https://www.youtube-nocookie.com/embed/{video_id}"
    if host == "vimeo":
        video_id = parsed.path.rstrip("/").rsplit("/", 1)[-1]
        if video_id.isdigit():
            return f"https://player.vimeo.com/video/{video_id}"
    return None


SEARCH_CONFIG = "english"
# Caps on what editors type; the body stays well within what renders in under a second
# whatever it holds (see newsroom/markdown.py).
DEK_MAX_CHARS = 1_000
BODY_MAX_CHARS = 60_000
HEAVY_FIELDS = ("body", "body_html", "plain_text", "search_vector", "toc")


def search_vector_expression():
    """Title weighs more than the standfirst, the standfirst more than the body."""
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("plain_text", weight="C", config=SEARCH_CONFIG)
    )


def update_search_vectors(articles: "models.QuerySet") -> None:
    if connection.vendor == "postgresql":
        articles.update(search_vector=search_vector_expression())


# A revision of an article holds its bylines, tags, moves and corrections with it.
REVISION_FOLLOWS = ("bylines", "tagged_topics", "tagged_regions", "moves", "corrections")


@reversion.register(follow=REVISION_FOLLOWS)
class Article(models.Model):
    class Kind(models.TextChoices):
        ANALYSIS = "analysis", "Analysis"
        COMMENTARY = "commentary", "Commentary"
        REPORT = "report", "Report"
        SIMULATION = "simulation", "Simulation"
        BRIEFING = "briefing", "Video briefing"
        REPUBLISHED = "republished", "Republished"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    class Rights(models.TextChoices):
        EXCLUSIVE = "exclusive", "Exclusive — republishing requires credit to the Center"
        REPUBLISHED = "republished", "Republished from another outlet"
        EXCERPT = "excerpt", "Excerpt of a piece published elsewhere"

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
            self.slug = slugify(self.title)[:250]
        rendered = render_markdown(self.body)
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
        super().save(*args, **kwargs)
        update_search_vectors(Article.objects.filter(pk=self.pk))

    def get_absolute_url(self) -> str:
        return links.url("articles:detail", self.slug)

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

    def detail_relations(self) -> dict[str, Any]:
        """What an article page shows from other rows than the article's: the byline (with
        authors), topics, regions, timeline, corrections, series and PDF edition; six
        queries. The result can be kept (pickled) and given back to `use_relations()`."""
        models.prefetch_related_objects(
            [self],
            models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
            *DETAIL_RELATIONS[1:],
        )
        relations: dict[str, Any] = {
            name: list(getattr(self, name).all()) for name in DETAIL_RELATIONS
        }
        # The series and the PDF edition in one query, with the plain text when the page's own
        # query left it out (the JSON-LD counts its words).
        row = (
            Article.objects.select_related("series", "pdf_edition")
            .only("plain_text", "series", "pdf_edition")
            .get(pk=self.pk)
        )
        relations["series"] = row.series
        relations["pdf_edition"] = getattr(row, "pdf_edition", None)
        if "plain_text" in self.get_deferred_fields():
            self.plain_text = row.plain_text
        return relations

    def use_relations(self, relations: dict[str, Any]) -> None:
        """Make `article.bylines.all()`, `.topics.all()` and the rest answer from these, as a
        prefetch would, and `article.series` and `article.pdf_edition` without a query."""
        prefetched = self.__dict__.setdefault("_prefetched_objects_cache", {})
        for name in DETAIL_RELATIONS:
            # A bare queryset holding the objects: asking the manager for one would build
            # the whole query first (taggit's does), only for it never to run.
            queryset = models.QuerySet(self._meta.get_field(name).related_model)
            queryset._result_cache, queryset._prefetch_done = relations[name], True
            prefetched[name] = queryset
        Article.series.field.set_cached_value(self, relations["series"])
        Article.pdf_edition.related.set_cached_value(self, relations["pdf_edition"])

    def ordered_authors(self) -> list[Author]:
        """The byline, in order; uses the prefetch of `for_listing()` when there is one."""
        return [byline.author for byline in sorted(self.bylines.all(), key=_by_position)]


DETAIL_RELATIONS = ("bylines", "topics", "regions", "moves", "corrections")
# Columns an article page never shows: left in the database.
DETAIL_DEFERRED = ("body", "plain_text", "search_vector")


def _by_position(byline: "Byline") -> int:
    return byline.position


@reversion.register()
class Byline(models.Model):
    """An author of an article, in byline order."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="byline_unique_author")
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article}"


@reversion.register()
class Move(models.Model):
    """One step of a simulation's sequence of moves, shown as a timeline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="moves")
    position = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=100, help_text='e.g. "Day 1" or "Week 2"')
    actor = models.CharField(max_length=200)
    action = models.TextField()
    expected_response = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.phase}: {self.actor}"


@reversion.register()
class Correction(models.Model):
    """A public, dated correction note shown at the end of an article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.created_at:%Y-%m-%d} to {self.article}"


class ReportNumber(models.Model):
    """Every report number ever given, so that none is given twice, even after a deletion."""

    number = models.CharField(max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    article = models.ForeignKey(
        Article, null=True, on_delete=models.SET_NULL, related_name="report_numbers"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="report_number_unique_seq")
        ]

    def __str__(self) -> str:
        return self.number


class PdfEdition(models.Model):
    """The current PDF edition of a public article, kept in media storage.

    Not a field of Article: writing it from a worker must not bump the article's
    `lock_version` (an editor's open form would then be refused) nor its `updated_at`.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="pdf_edition"
    )
    file = models.FileField(upload_to="editions/", max_length=300)
    etag = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)
    # The article's lock_version it was made from: an older one means a new edition is due.
    made_from_version = models.PositiveIntegerField(default=0)
    corrected_on = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"PDF edition of {self.article_id}"


class PdfPrint(models.Model):
    """The newest print of an article's PDF edition that has not succeeded: running, or
    failed (`failed_at`, with the reason for the editors). Gone once a print succeeds.

    Not fields of PdfEdition: an edition is a file readers fetch, and a first print that
    fails has none. Written when a print starts, so that a print stopped from outside (the
    worker's hard time limit, a killed process) shows as failed once it is overdue.
    """

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="pdf_print"
    )
    started_at = models.DateTimeField()
    failed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"PDF print of {self.article_id}"


class ArticleNote(models.Model):
    """An internal note between editors and writers; shown only in the admin."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "internal note"

    def __str__(self) -> str:
        return f"Note on {self.article}"


def _default_preview_expiry():
    return timezone.now() + settings.PREVIEW_LINK_LIFETIME


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows an unpublished article as it will look."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_preview_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("articles:preview", args=[self.token])

    @property
    def token(self) -> str:
        # No timestamp in it: the same link every time it is shown; expiry is in the row.
        return signing.Signer(salt=PREVIEW_SALT).sign(str(self.pk))

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


PREVIEW_SALT = "articles.preview-link"


def next_publication() -> datetime.datetime | None:
    """For the page cache (settings.PAGE_CACHE_NEXT_PUBLICATION): nothing is kept past it."""
    return Article.objects.next_publication()


# The archive importer's records and the old addresses it keeps (articles/importer/).
from .importer.models import ImportRecord, Redirect, TermProposal  # noqa: E402, F401
from .search_words import SearchWord  # noqa: E402, F401  (the words "did you mean" offers)
