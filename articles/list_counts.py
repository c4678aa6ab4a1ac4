"""The counts of the public lists (a topic's, a region's, an author's, a series', a year's and
a month's articles, per language), kept on write so that a list page never counts.

Every write that can change what a list holds goes through `lists_followed`: a workflow move
(publish, schedule, unpublish, archive, restore, and `publish_due`), an edit or a creation
(`edits._save_edit`: topics, regions, authors, series, language, date; the editions kept in
step with their source too), an import (its batch, once committed). A deletion goes through
`lists_refresh(..., leaving=...)` before the rows go; `load_demo` counts again every list
kept. A list counted nowhere yet is counted on its first read and kept.

Each count is made again from scratch, with the queryset the page lists (`list_articles`),
never adjusted by one: a count is then only as wrong as the last write left it, and the next
write of the list puts it right.

The lag: a scheduled article is public from its time on (`published_q`), but it enters the
counts when `publish_due` records its publication, which Celery beat runs every minute
(`publish-due-articles` in settings): for up to about a minute after its time, a list shows
the article among its cards and a count one short.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from threading import local

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Article, Byline, ListCount, TaggedRegion, TaggedTopic

# A list: its key as the pages name it ("topic:12"), and a language.
List = tuple[str, str]


def list_articles(key: str, language: str):
    """The public articles of the list `key` in `language`: what the list page shows."""
    kind, *parts = key.split(":")
    articles = Article.objects.published().in_language(language)
    if kind == "topic":
        return articles.filter(tagged_topics__tag_id=int(parts[0]))
    if kind == "region":
        return articles.filter(tagged_regions__tag_id=int(parts[0]))
    if kind == "author":
        return articles.filter(bylines__author_id=int(parts[0]))
    if kind == "series":
        return articles.filter(series_id=int(parts[0]))
    if kind == "year":
        return articles.filter(publish_at__year=int(parts[0]))
    if kind == "month":
        return articles.filter(publish_at__year=int(parts[0]), publish_at__month=int(parts[1]))
    raise ValueError(f"No such list as {key!r}")


def list_count(key: str, language: str) -> int:
    """How many articles the list holds: one lookup by its key. A list never counted is
    counted now and kept (a write that counts it meanwhile wins: it is newer)."""
    kept = ListCount.objects.filter(key=key, language=language).values_list("count", flat=True)
    for count in kept[:1]:
        return count
    count = list_articles(key, language).count()
    ListCount.objects.bulk_create(
        [ListCount(key=key, language=language, count=count)], ignore_conflicts=True
    )
    return count


def lists_of(article_ids: Iterable[int]) -> set[List]:
    """The lists these articles are in now: none for an article readers cannot see."""
    rows = (
        Article.objects.filter(pk__in=list(article_ids))
        .published()
        .values_list("pk", "language", "publish_at", "series_id")
    )
    language_of: dict[int, str] = {}
    lists: set[List] = set()
    for pk, language, publish_at, series_id in rows:
        language_of[pk] = language
        if publish_at is not None:
            day = timezone.localtime(publish_at)  # as `publish_at__year` reads it
            lists.add((f"year:{day.year}", language))
            lists.add((f"month:{day.year}:{day.month}", language))
        if series_id:
            lists.add((f"series:{series_id}", language))
    if not language_of:
        return lists
    public = list(language_of)
    for kind, pairs in (
        ("topic", TaggedTopic.objects.filter(content_object_id__in=public).values_list(
            "content_object_id", "tag_id")),
        ("region", TaggedRegion.objects.filter(content_object_id__in=public).values_list(
            "content_object_id", "tag_id")),
        ("author", Byline.objects.filter(article_id__in=public).values_list(
            "article_id", "author_id")),
    ):  # fmt: skip
        lists |= {(f"{kind}:{thing}", language_of[pk]) for pk, thing in pairs}
    return lists


def lists_refresh(lists: Iterable[List], *, leaving: Iterable[int] = ()) -> None:
    """Count these lists again and keep the counts, without the articles `leaving` (about to
    be deleted).

    Each list's row is locked before it is counted, in one order for every writer: a write
    committed meanwhile is then seen by the count of whichever writer locks the row last,
    so two publications in one topic cannot leave it one short (PostgreSQL's read committed
    gives a statement after the lock a new snapshot)."""
    lists = sorted(set(lists))
    if not lists:
        return
    leaving = list(leaving)
    with transaction.atomic():
        ListCount.objects.bulk_create(
            [ListCount(key=key, language=language, count=0) for key, language in lists],
            ignore_conflicts=True,
        )
        which = Q()
        for key, language in lists:
            which |= Q(key=key, language=language)
        rows = ListCount.objects.select_for_update().filter(which).order_by("key", "language")
        for row in rows:
            counted = list_articles(row.key, row.language)
            if leaving:
                counted = counted.exclude(pk__in=leaving)
            row.count = counted.count()
            row.save(update_fields=["count", "counted_at"])


def lists_refresh_all() -> None:
    """Count again every list kept (after a load that wrote articles by itself)."""
    lists_refresh(ListCount.objects.values_list("key", "language"))


_pending = local()


def lists_refresh_on_commit(lists: Iterable[List]) -> None:
    """Count these lists again once the transaction commits, with the others asked for in
    it: an import's batch of 100 articles counts each list it touched once, not per article.
    Lists left by a rolled-back transaction are counted with the next commit: harmless."""
    pending = getattr(_pending, "lists", None)
    if pending is None:
        pending = _pending.lists = set()
    pending |= set(lists)
    transaction.on_commit(_refresh_pending, robust=True)


def _refresh_pending() -> None:
    lists, _pending.lists = getattr(_pending, "lists", None) or set(), set()
    lists_refresh(lists)


@contextmanager
def lists_followed(article: Article, *, after_commit: bool = False) -> Iterator[None]:
    """Around a write of `article` (its row, tags or byline): the lists it was in and the
    lists it is in afterwards are counted again, in the write's transaction (or, with
    `after_commit`, once it commits)."""
    before = lists_of([article.pk]) if article.pk is not None else set()
    yield
    changed = before | lists_of([article.pk])
    if after_commit:
        lists_refresh_on_commit(changed)
    else:
        lists_refresh(changed)
