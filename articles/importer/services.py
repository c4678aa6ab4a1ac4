"""Writing an imported item as an article: the one write path of the importer.

An imported archive is not news. A post that was public on the old site keeps its
original date as its publication date (also as a draft, so that publishing it later keeps
the date); and importing with `--publish` writes no reader alert and no webhook, here or
later: `first_published_at` is set, so the workflow treats it as published before. The
page cache is emptied, a revision is written ("Imported from …"), nothing else: the
article goes through `articles.services.article_import`, the edit code without the news.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from base.pagecache import pages_changed

from .. import content_checks
from ..models import (
    Article,
    ImportRecord,
    Redirect,
    TermProposal,
    Topic,
)
from ..services import ArticleParts, article_import, article_update, publish_blockers
from .items import Item
from .lookups import ImportLookups, free_slug
from .redirects import is_reserved


@dataclass(frozen=True)
class Outcome:
    result: str  # created, updated, unchanged, skipped, failed
    article: Article | None = None
    reason: str = ""
    # What publishing the article would be refused for (articles.services.publish_blockers),
    # so that the report tells the editors now rather than the publish button later.
    blockers: tuple[str, ...] = ()


def archive_item_import(
    *, item: Item, dry_run: bool = False, by=None, lookups: ImportLookups | None = None
) -> Outcome:
    """Create or update the article of `item`, unless it is unchanged or an editor has
    changed the article since its import (then it is left alone, and reported).

    A run passes the same `lookups` to every item, so that its vocabulary and authors are
    read once."""
    if item.skip_reason:
        return Outcome("skipped", reason=item.skip_reason)
    lookups = lookups or ImportLookups()
    try:
        outcome = _import(item, dry_run=dry_run, by=by, lookups=lookups)
    except Exception:
        lookups.forget()
        raise
    if dry_run:
        lookups.forget()
    else:
        lookups.keep()
    return outcome


def _import(item: Item, *, dry_run: bool, by, lookups: ImportLookups) -> Outcome:
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
        authors = _write(article, item, lookups=lookups, by=by)
        blockers = publish_blockers(
            article,
            author_count=len(authors),
            content=content_checks.Content.of(
                article, topic_count=len(item.topics), region_count=len(item.regions)
            ),
        )
        if record is None:
            record = ImportRecord(source=item.source, source_key=item.source_key)
        record.guid = item.guid
        record.article = article
        record.content_hash = digest
        record.article_version = article.lock_version
        record.save()
        if dry_run:
            transaction.set_rollback(True)
    return Outcome("created" if created else "updated", article, blockers=tuple(blockers))


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


def _write(article: Article, item: Item, *, lookups: ImportLookups, by) -> list:
    """Write the article (through `article_import`, with its byline and tags), its old
    addresses and proposed topics; return the authors of its byline."""
    if article.pk is None:
        article.slug = free_slug(item.slug or slugify(item.title), item.source_key)
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
    authors = list(
        dict.fromkeys(
            lookups.author(_author_name(ref.name)) for ref in item.authors if ref.name.strip()
        )
    )
    parts = ArticleParts(
        authors=authors,
        topics=[topic for slug, topic in lookups.topics.items() if slug in item.topics],
        regions=[region for slug, region in lookups.regions.items() if slug in item.regions],
    )
    article_import(article=article, by=by, parts=parts, comment=f"Imported from {item.label}")
    redirects = [Redirect(old_path=path, article=article) for path in _old_paths(item, article)]
    Redirect.objects.bulk_create(
        redirects, update_conflicts=True, unique_fields=["old_path"], update_fields=["article"]
    )
    proposals = [lookups.proposal(name) for name in item.unknown_terms]
    TermProposal.articles.through.objects.bulk_create(
        (
            TermProposal.articles.through(termproposal=proposal, article=article)
            for proposal in proposals
        ),
        ignore_conflicts=True,
    )
    return authors


def _old_paths(item: Item, article: Article) -> list[str]:
    """The old addresses of `item` that may redirect to `article`; the others reported."""
    own = article.get_absolute_url().rstrip("/")
    paths = [path for path in item.old_paths if path != own]
    taken = set(
        Redirect.objects.filter(old_path__in=paths)
        .exclude(article=article)
        .values_list("old_path", flat=True)
    )
    kept = []
    for path in paths:
        if is_reserved(path):
            item.warn(f"old address {path} is an address of this site: no redirect from it")
        elif path in taken:
            item.warn(f"old address {path} already leads to another article: left to it")
        else:
            kept.append(path)
    return kept


def _author_name(name: str) -> str:
    return " ".join(name.split())[:200]


def term_proposal_accept(*, proposal: TermProposal, by) -> Topic:
    """Make a proposed category a topic and put it on the articles that carried it, each
    through `article_update` (a revision, and `article.updated` for partners when public)."""
    with transaction.atomic():
        topic = Topic.objects.filter(name__iexact=proposal.name).first()
        if topic is None:
            topic = Topic.objects.create(
                name=proposal.name, slug=free_slug(proposal.name, "topic", model=Topic)
            )
        for article in proposal.articles.prefetch_related("topics"):
            topics = list(article.topics.all())
            if topic in topics:
                continue
            article_update(
                article=article,
                by=by,
                changed=[],
                parts=ArticleParts(topics=[*topics, topic]),
                comment=f"Topic “{topic.name}” added (proposed by the import)",
            )
        proposal.status = TermProposal.Status.ACCEPTED
        proposal.save(update_fields=["status"])
        pages_changed()
    return topic


def term_proposal_dismiss(*, proposal: TermProposal) -> None:
    proposal.status = TermProposal.Status.DISMISSED
    proposal.save(update_fields=["status"])
