"""The query vocabulary of articles: what is public, what a page or a list reads."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import connection, models
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from base.languages import current_language

from .byline import Byline
from .imports import ImportRecord

if TYPE_CHECKING:
    from .article import Article
    from .authors import Author
    from .vocabulary import Region, Topic
from .choices import Status

HEAVY_FIELDS = ("body", "body_html", "plain_text", "search_vector", "toc")


def published_q(prefix: str = "", now: datetime.datetime | None = None) -> Q:
    """What is public (now, or at `now`): published, or scheduled with its time passed.

    The single definition, used by `Article.objects.published()` and, with a relation
    prefix, by counts of published articles per topic, region or series.
    """
    if now is None:
        now = timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED}) | Q(
        **{f"{prefix}status": Status.SCHEDULED, f"{prefix}publish_at__lte": now}
    )


class ArticleQuerySet(models.QuerySet):
    def published(self, now: datetime.datetime | None = None) -> ArticleQuerySet:
        return self.filter(published_q(now=now))

    def in_language(self, language: str | None = None) -> ArticleQuerySet:
        """The editions in `language`: by default the language of the page being built."""
        return self.filter(language=language or current_language())

    def next_publication(self) -> datetime.datetime | None:
        """When the next scheduled article becomes public, if one is waiting."""
        waiting = self.filter(status=Status.SCHEDULED, publish_at__gt=timezone.now())
        return waiting.order_by("publish_at").values_list("publish_at", flat=True).first()

    def previewable(self) -> ArticleQuerySet:
        """Unpublished work a preview link may show: a draft, one in review or one scheduled
        and not yet due. Never an archived article, nor one readers already see."""
        return self.filter(status__in=[Status.DRAFT, Status.REVIEW, Status.SCHEDULED]).exclude(
            published_q()
        )

    def latest_first(self) -> ArticleQuerySet:
        return self.order_by("-publish_at", "-id")

    def for_listing(self) -> ArticleQuerySet:
        """Everything a list of article cards shows, in a fixed number of queries; the heavy
        text columns are left in the database."""
        return (
            self.defer(*HEAVY_FIELDS)
            .select_related("series")
            .with_bylines()
            .prefetch_related("topics")
        )

    def for_citation(self) -> ArticleQuerySet:
        """What a citation, a PDF edition or the Crossref file reads, in a fixed number of
        queries: bylines with authors, topics, moves, corrections, the current PDF."""
        return (
            self.select_related("series", "pdf_edition")
            .with_bylines()
            .prefetch_related("topics", "moves", "corrections")
        )

    def with_bylines(self) -> ArticleQuerySet:
        """The byline in order, each with its author, in one query more."""
        return self.prefetch_related(bylines_with_authors())

    def tagged_topic(self, topic: Topic) -> ArticleQuerySet:
        return self.filter(tagged_topics__tag=topic)

    def tagged_region(self, region: Region) -> ArticleQuerySet:
        return self.filter(tagged_regions__tag=region)

    def by_author(self, author: Author) -> ArticleQuerySet:
        return self.filter(bylines__author=author)

    def imported(self) -> ArticleQuerySet:
        """What the archive importer made (each has its `ImportRecord`)."""
        return self.filter(pk__in=ImportRecord.objects.values("article_id"))

    def mine(self, user) -> ArticleQuerySet:
        """What `user` started or signs, each article once (no join on the bylines)."""
        signed = Byline.objects.filter(author__user=user).values("article_id")
        return self.filter(Q(created_by=user) | Q(pk__in=signed))

    def related_to(self, article: Article, limit: int = 4) -> list[Article]:
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


def _shared_tag_counts(article: Article) -> dict[int, int]:
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
    # Only articles of the page's language, and never an edition of the same piece: the
    # editions of a piece share all its tags and would crowd out everything else.
    sql = (
        "SELECT shared.content_object_id, COUNT(*) AS n FROM (" + union + ") AS shared "  # noqa: S608
        "JOIN articles_article AS a ON a.id = shared.content_object_id "
        "WHERE a.language = %s AND a.translation_key <> %s "
        "GROUP BY shared.content_object_id ORDER BY n DESC LIMIT %s"
    )
    key = (
        article.translation_key.hex
        if connection.vendor != "postgresql"
        else article.translation_key
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, article.language, key, RELATED_CANDIDATES + 1])
        rows = cursor.fetchall()
    if len(rows) > RELATED_CANDIDATES:
        cut = rows[RELATED_CANDIDATES][1]
        rows = [(pk, n) for pk, n in rows if n > cut] or rows[:RELATED_CANDIDATES]
    return dict(rows)


def bylines_with_authors() -> models.Prefetch:
    """The prefetch of a byline in order with its authors (for an article or a list)."""
    return models.Prefetch(
        "bylines", queryset=Byline.objects.select_related("author").order_by("position")
    )
