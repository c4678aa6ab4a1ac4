"""Writing an imported item as an article: the one write path of the importer.

An imported archive is not news. A post that was public on the old site keeps its
original date as its publication date (also as a draft, so that publishing it later keeps
the date); and importing with `--publish` writes no reader alert and no webhook, here or
later: `first_published_at` is set, so the workflow treats it as published before. The
page cache is emptied, a revision is written ("Imported from …"), nothing else.
"""

from dataclasses import dataclass

import reversion
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from newsroom.pagecache import pages_changed

from ..models import Article, Author, Byline, Region, TaggedRegion, TaggedTopic, Topic
from .items import Item
from .models import ImportRecord, Redirect, TermProposal


@dataclass(frozen=True)
class Outcome:
    result: str  # created, updated, unchanged, skipped, failed
    article: Article | None = None
    reason: str = ""


def archive_item_import(*, item: Item, dry_run: bool = False, by=None) -> Outcome:
    """Create or update the article of `item`, unless it is unchanged or an editor has
    changed the article since its import (then it is left alone, and reported)."""
    if item.skip_reason:
        return Outcome("skipped", reason=item.skip_reason)
    digest = item.content_hash()
    with transaction.atomic():
        record = _record(item)
        if record is not None:
            if record.article is None:
                return Outcome("skipped", reason="the article was deleted since its import")
            if record.edited_since_import:
                return Outcome(
                    "skipped",
                    record.article,
                    "edited since its import: not overwritten",
                )
            if record.content_hash == digest:
                return Outcome("unchanged", record.article)
        created = record is None
        article = record.article if record else Article()
        was_public = article.pk is not None and article.is_public
        _write(article, item)
        # One revision with the article and everything it follows, serialized once.
        with reversion.create_revision():
            reversion.set_comment(f"Imported from {item.label}")
            if by is not None:
                reversion.set_user(by)
            reversion.add_to_revision(article)
        if was_public or article.status != Article.Status.DRAFT:
            pages_changed()
        if record is None:
            record = ImportRecord(source=item.source, source_key=item.source_key)
        record.guid = item.guid
        record.article = article
        record.content_hash = digest
        record.article_version = article.lock_version
        record.save()
        if dry_run:
            transaction.set_rollback(True)
    return Outcome("created" if created else "updated", article)


def _record(item: Item) -> ImportRecord | None:
    match = Q(source_key=item.source_key)
    if item.guid:
        match |= Q(guid=item.guid, source=item.source)
    return (
        ImportRecord.objects.select_for_update(of=("self",))
        .select_related("article")
        .filter(match)
        .order_by("pk")
        .first()
    )


def _write(article: Article, item: Item) -> None:
    if article.pk is None:
        article.slug = _free_slug(item.slug or slugify(item.title), item.source_key)
    article.title = item.title[:250]
    article.kind = item.kind
    article.dek = item.dek
    article.body = item.body
    # An import publishes; it never takes a public article down (a run without --publish
    # after one with it leaves what readers see alone).
    if not (item.status == Article.Status.DRAFT and item.was_public and article.is_public):
        article.status = item.status
    article.publish_at = item.date if item.was_public else None
    article.first_published_at = item.date if item.was_public else None
    article.rights = item.rights
    article.source_outlet = item.source_outlet[:200]
    article.source_url = item.source_url[:200]
    article.source_published_on = item.source_published_on
    article.original_author = item.original_author[:200]
    article.video_url = item.video_url
    if item.image_name:
        article.image.name = item.image_name
        article.image_alt = item.image_alt[:300]
    article.save()
    # Written in bulk (a post of an archive has a handful of each), then followed into
    # the revision by the one `add_to_revision(article)` of the caller.
    _bylines(article, item)
    _tags(article, TaggedTopic, Topic, item.topics)
    _tags(article, TaggedRegion, Region, item.regions)
    redirects = [
        Redirect(old_path=path, article=article)
        for path in item.old_paths
        if path != article.get_absolute_url().rstrip("/")
    ]
    Redirect.objects.bulk_create(
        redirects, update_conflicts=True, unique_fields=["old_path"], update_fields=["article"]
    )
    for name in item.unknown_terms:
        proposal = TermProposal.objects.filter(name__iexact=name).first()
        if proposal is None:
            proposal = TermProposal.objects.create(name=name[:100])
        proposal.articles.add(article)


def _tags(article: Article, through, vocabulary, slugs: list[str]) -> None:
    through.objects.filter(content_object=article).delete()
    through.objects.bulk_create(
        through(content_object=article, tag_id=pk)
        for pk in vocabulary.objects.filter(slug__in=slugs).values_list("pk", flat=True)
    )


def _bylines(article: Article, item: Item) -> None:
    authors = [_author(ref.name) for ref in item.authors if ref.name.strip()]
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, author=author, position=position)
        for position, author in enumerate(dict.fromkeys(authors))
    )


def _author(name: str) -> Author:
    name = " ".join(name.split())[:200]
    found = Author.objects.filter(Q(name__iexact=name) | Q(slug=slugify(name))).first()
    if found is not None:
        return found
    slug = _free_slug(slugify(name), "author", model=Author)
    return Author.objects.create(name=name, slug=slug)


def _free_slug(text: str, fallback: str, *, model=Article) -> str:
    base = slugify(text)[:200] or slugify(fallback)[:200] or "imported"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def term_proposal_accept(*, proposal: TermProposal, by) -> Topic:
    """Make a proposed category a topic and put it on the articles that carried it."""
    with transaction.atomic():
        topic = Topic.objects.filter(name__iexact=proposal.name).first()
        if topic is None:
            topic = Topic.objects.create(
                name=proposal.name, slug=_free_slug(proposal.name, "topic", model=Topic)
            )
        for article in proposal.articles.all():
            with reversion.create_revision():
                article.topics.add(topic)
                reversion.add_to_revision(article)
                reversion.set_user(by)
                reversion.set_comment(f"Topic “{topic.name}” added (proposed by the import)")
        proposal.status = TermProposal.Status.ACCEPTED
        proposal.save(update_fields=["status"])
        pages_changed()
    return topic


def term_proposal_dismiss(*, proposal: TermProposal) -> None:
    proposal.status = TermProposal.Status.DISMISSED
    proposal.save(update_fields=["status"])
