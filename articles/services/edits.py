"""Edits of an article: create, update, autosave, corrections; each one revision."""

import datetime
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from base.pagecache import pages_changed
from base.release import release
from base.roles import can_edit, is_editor

from .. import list_counts, rendering
from ..announcements import announce_updated
from ..models import (
    REVISION_FOLLOWS,
    Article,
    ArticleNote,
    Author,
    Byline,
    Correction,
    Move,
    PreviewLink,
    Region,
    TaggedRegion,
    TaggedTopic,
    Topic,
)
from ..revisions import revision_write, versions_of
from .workflow import StaleEditError, TransitionError, _refresh

logger = logging.getLogger(__name__)

Status = Article.Status
User = AbstractBaseUser | AnonymousUser


# --- What an edit changes ------------------------------------------------------------------


@dataclass(frozen=True)
class CorrectionChange:
    """A public correction written or rewritten (`id` of an existing one), or removed."""

    note: str
    created_at: datetime.datetime | None = None
    id: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class PreviewLinkChange:
    """A preview link made (no `id`), given a new expiry, or revoked."""

    expires_at: datetime.datetime
    id: int | None = None
    revoke: bool = False


@dataclass(frozen=True)
class ArticleParts:
    """What an edit changes besides the article's own columns, as plain data. A part left
    None (notes: empty) is left as it is; a part given is what the article has afterwards
    (corrections and preview links: the changes to make)."""

    authors: Sequence[Author] | None = None
    topics: Sequence[Topic] | None = None
    regions: Sequence[Region] | None = None
    moves: Sequence[dict] | None = None
    corrections: Sequence[CorrectionChange] | None = None
    notes: Sequence[str] = ()
    preview_links: Sequence[PreviewLinkChange] | None = None

    def given(self) -> list[str]:
        """The names of the parts this edit changes."""
        return [
            name
            for name in PART_NAMES
            if (self.notes if name == "notes" else getattr(self, name) is not None)
        ]


PART_NAMES = ("authors", "topics", "regions", "moves", "corrections", "notes", "preview_links")


# --- Edits ---------------------------------------------------------------------------------

# What the history calls a field: the form's label, not the column's name.
FIELD_LABELS = {
    "dek": "Standfirst",
    "topics": "Topics",
    "regions": "Regions",
    "image": "Featured image",
    "image_alt": "Image alt text",
    "authors": "Authors",
    "moves": "Simulation timeline",
    "corrections": "Corrections",
    "notes": "Internal notes",
    "preview_links": "Preview links",
}
# Fields of the form that are not the article's.
FORM_ONLY_FIELDS = {"opened_version", "reverted_from", "minor_edit"}
# Changes readers never see: they do not tell partners the article was updated.
PRIVATE_CHANGES = {"notes", "preview_links"}


def field_label(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    try:
        return capfirst(str(Article._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def normalize_newlines(text: str) -> str:
    """Browsers send text areas with CRLF; the article keeps LF, so only real edits differ."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_not_stale(
    *,
    article: Article,
    opened_version: int | None,
    by: User | None = None,
    strict: bool = False,
    tab: str = "",
) -> Article:
    """Lock the article's row and refuse if it was saved after `opened_version` was read.

    The row stays locked until the caller's transaction ends, so nobody saves in between.
    `by`'s own autosaves do not count unless `strict`: a Save pressed while an autosave was
    on its way is not refused by it — when the page says which `tab` it is, only that
    tab's own autosaves (one in `by`'s other tab is a save like anyone else's). The
    refusal names `by`'s own other tab as such.
    """
    current = (
        Article.objects.select_for_update(of=("self",))
        .select_related("last_edited_by")
        .get(pk=article.pk)
    )
    stale = opened_version is not None and opened_version != current.lock_version
    if (
        stale
        and not strict
        and by is not None
        and _own_autosave_since(current, by, opened_version)
        and (not tab or autosaved_in(current) in ("", tab))
    ):
        stale = False
    if stale:
        raise StaleEditError(stale_edit_message(current, by), current=current)
    return current


def saved_by_self(current: Article, by: User | None) -> bool:
    """Whether the newer save was `by`'s own, from another tab or window."""
    return by is not None and by.is_authenticated and current.last_edited_by_id == by.pk


def saved_by_name(current: Article) -> str:
    who = current.last_edited_by
    return (who.get_full_name() or who.username) if who else "Someone"


def stale_edit_message(current: Article, by: User | None) -> str:
    when = f"{current.updated_at:%H:%M on %d %B %Y} (UTC)"
    if saved_by_self(current, by):
        return (
            f"You saved this article in another tab or window at {when}, after this page "
            "was opened, so the changes here are not saved yet. Both versions are shown: "
            "keep the one in this page, or open the other."
        )
    return (
        f"{saved_by_name(current)} saved this article at {when}, after you opened it, so "
        "your changes are not saved yet. Both versions are shown: keep yours over theirs, "
        "or open theirs."
    )


# Which tab wrote an article's version by autosave, kept a day: plain data in the cache,
# under a key that carries the release.
AUTOSAVE_TAB_SECONDS = 86_400


def _autosave_tab_key(article: Article) -> str:
    return f"autosave-tab:{release()}:{article.pk}:{article.lock_version}"


def autosaved_in(article: Article) -> str:
    """The tab that autosaved the article's current version ("" when unknown)."""
    return cache.get(_autosave_tab_key(article)) or ""


def _own_autosave_since(current: Article, by: User, opened_version: int) -> bool:
    """Whether every save since `opened_version` was an autosave by `by`.

    Consecutive autosaves by one person are one revision, so this holds when the newest
    revision is `by`'s autosave and the revision before it is no newer than the form.
    """
    if current.last_edited_by_id != getattr(by, "pk", None):
        return False
    newest = versions_of(current).first()
    if newest is None or newest.revision.comment != AUTOSAVE_COMMENT:
        return False
    return newest.revision.user_id == by.pk and opened_version < current.lock_version


def check_edit(*, article: Article, by: User, changed: Iterable[str] = ()) -> None:
    """Raise TransitionError unless `by` may make this edit (fields in `changed`)."""
    if not can_edit(by, article):
        raise TransitionError("You can only change your own drafts and articles in review.")
    if "publish_at" in changed:
        if not is_editor(by):
            raise TransitionError("Only editors set the publication time.")
        check_publish_at(article=article, publish_at=article.publish_at)


def check_publish_at(*, article: Article, publish_at: datetime.datetime | None) -> None:
    """A scheduled article keeps a time in the future (publishing now is its own step)."""
    scheduled = article.status == Status.SCHEDULED
    if scheduled and publish_at is not None and publish_at <= timezone.now():
        raise TransitionError(
            "A scheduled article needs a time in the future; to publish it now, use “Publish now”."
        )


def article_create(
    *,
    article: Article,
    by: User,
    parts: ArticleParts = ArticleParts(),
    comment: str = "Created as a draft",
) -> Article:
    """Save a new article (a draft unless told otherwise) with its parts (byline, tags,
    moves, notes…). `article` is an unsaved instance holding the fields."""
    if article.pk is not None:
        raise TransitionError("This article exists already; edit it instead.")
    with transaction.atomic(), reversion.create_revision():
        check_edit(article=article, by=by)
        article.created_by = by if by.is_authenticated else None
        _save_edit(article=article, by=by, parts=parts)
        reversion.set_comment(comment)
    return article


def article_update(
    *,
    article: Article,
    by: User,
    changed: Iterable[str],
    opened_version: int | None = None,
    parts: ArticleParts = ArticleParts(),
    comment: str | None = None,
    minor: bool = False,
) -> Article:
    """Save an edit of an existing article: `article` holds the new field values, `changed`
    names the fields that changed, `parts` the rest of what the edit changes.

    Refused when someone saved after `opened_version` (StaleEditError) or when `by` may not
    make it. One revision, commented with the labels of what changed; the page cache is
    emptied; partners get `article.updated` when readers can see the change. The edit of a
    source reaches its translations (`_reach_translations`): its shared facts are kept in
    step, and a change of its text makes them stale unless the edit is `minor`.
    """
    changed = list(dict.fromkeys([*changed, *parts.given()]))
    if not changes_anything(changed):
        # Nothing to record: no revision, no announcement, but a stale form is still told.
        with transaction.atomic():
            check_not_stale(article=article, opened_version=opened_version, by=by)
            check_edit(article=article, by=by)
        return article
    with transaction.atomic(), reversion.create_revision():
        check_not_stale(article=article, opened_version=opened_version, by=by)
        check_edit(article=article, by=by, changed=changed)
        _slug_follows_translated_title(article, changed)
        _save_edit(article=article, by=by, parts=parts)
        reversion.set_comment(comment or describe_changes(changed))
        if set(changed) - PRIVATE_CHANGES - FORM_ONLY_FIELDS:
            announce_updated(article=article)
    _reach_translations(source=article, changed=changed, parts=parts, by=by, minor=minor)
    return article


# --- What an edit of a source does to its translations --------------------------------------

# The text a translation follows: an edit of one of these (not marked minor) makes the
# source's translations stale.
TRANSLATED_TEXT = ("title", "dek", "body", "moves", "key_takeaways", "recommendations")
# The facts all editions of a piece share, kept in step from the source on every edit of
# it (a translation's form shows them but does not take them). The DOI and the report
# number belong to the source alone; the alt text, the timeline's words and the report's
# texts are copied when a translation starts and then translated with the rest.
SHARED_FIELDS = (
    "kind", "series", "series_position", "image", "image_credit", "video_url", "rights",
    "source_outlet", "source_url", "source_published_on", "original_author",
)  # fmt: skip
SHARED_PARTS = ("authors", "topics", "regions")


def _reach_translations(
    *, source: Article, changed: Iterable[str], parts: ArticleParts, by: User, minor: bool
) -> None:
    changed = set(changed)
    fields = [name for name in SHARED_FIELDS if name in changed]
    shared = ArticleParts(**{name: getattr(parts, name) for name in SHARED_PARTS})
    text_changed = bool(changed & set(TRANSLATED_TEXT)) and not minor
    if not (fields or shared.given() or text_changed):
        return
    # The time of the edit's revision: a translation that follows this revision (or a later
    # one) is not older than the change.
    newest = versions_of(source).first() if text_changed else None
    now = newest.revision.date_created if newest is not None else timezone.now()
    if text_changed:
        Article.objects.filter(pk=source.pk).update(text_changed_at=now)
        source.text_changed_at = now
    translations = list(Article.objects.filter(translation_of=source))
    if not translations:
        return
    if text_changed:
        newly_stale = Article.objects.filter(translation_of=source, stale_since=None)
        public = list(
            newly_stale.filter(status__in=rendering.RENDERED_STATUSES).values_list("pk", flat=True)
        )
        newly_stale.update(stale_since=now)
        # Their pages say the original was revised after them.
        rendering.articles_render(ids=public, purge_after=True)
    if not (fields or shared.given()):
        return
    labels = ", ".join(field_label(name) for name in [*fields, *shared.given()])
    for edition in translations:
        with transaction.atomic(), reversion.create_revision():
            for name in fields:
                setattr(
                    edition,
                    f"{name}_id" if name == "series" else name,
                    getattr(source, f"{name}_id" if name == "series" else name),
                )
            _save_edit(article=edition, by=by, parts=shared)
            reversion.set_comment(f"Kept in step with its source: {labels}")
            if edition.is_public:
                announce_updated(article=edition)


def _slug_follows_translated_title(article: Article, changed: Iterable[str]) -> None:
    """A translation starts with its source's title, and so with a slug made of it; until it
    is first published, its slug follows the title it is given (unless the edit sets it)."""
    if (
        article.translation_of_id is None
        or article.first_published_at is not None
        or "title" not in changed
        or "slug" in changed
    ):
        return
    article.slug = ""  # Article.save makes it from the title, free of collisions


# What autosave keeps: the text being typed. Everything else waits for "Save".
AUTOSAVE_FIELDS = ("title", "dek", "body")
AUTOSAVE_COMMENT = "Autosaved"
AUTOSAVE_STATUSES = (Status.DRAFT, Status.REVIEW)


KEPT_OVER_COMMENT = "Kept this version over the one saved at {at:%H:%M} (UTC) by {name}"


def article_autosave(
    *,
    article: Article,
    by: User,
    changes: dict[str, str],
    opened_version: int | None,
    keep_over: bool = False,
    tab: str = "",
) -> Article:
    """Keep the text of an article being written, without the writer pressing Save.

    Only drafts and articles in review save themselves (a public article changes when
    someone presses Save). A new article (no id yet) is created as a draft. The optimistic
    lock holds: if someone saved after `opened_version`, StaleEditError carries their
    version. Consecutive autosaves by one person, with no other save between them, are one
    revision: each replaces the one before. Text the article already has writes nothing.

    `keep_over`: the writer was shown the newer version and its differences
    (`opened_version` is now that one) and keeps the text in the editor over it: a revision
    of its own, which later autosaves do not replace, so both versions stay in the history.
    """
    unknown = set(changes) - set(AUTOSAVE_FIELDS)
    if unknown:
        raise TransitionError("Autosave keeps only the title, the standfirst and the body.")
    if article.pk is None:
        for name, value in changes.items():
            setattr(article, name, value)
        return article_create(article=article, by=by, comment=AUTOSAVE_COMMENT)
    with transaction.atomic():
        current = check_not_stale(
            article=article, opened_version=opened_version, by=by, strict=True
        )
        if current.status not in AUTOSAVE_STATUSES:
            raise TransitionError(
                "Only drafts and articles in review save themselves; press Save to change "
                "a scheduled or published article."
            )
        check_edit(article=current, by=by)
        changes = {k: normalize_newlines(v) for k, v in changes.items()}
        if all(getattr(current, name) == value for name, value in changes.items()):
            _refresh(article, current)
            return article
        previous = versions_of(current).first()
        replaces = (
            previous
            if previous is not None
            and not keep_over
            and previous.revision.comment == AUTOSAVE_COMMENT
            and previous.revision.user_id == getattr(by, "pk", None)
            else None
        )
        comment = (
            KEPT_OVER_COMMENT.format(at=current.updated_at, name=saved_by_name(current))
            if keep_over
            else AUTOSAVE_COMMENT
        )
        for name, value in changes.items():
            setattr(current, name, value)
        with reversion.create_revision():
            _slug_follows_translated_title(current, changes)
            _save_edit(article=current, by=by, parts=ArticleParts())
            reversion.set_comment(comment)
        _reach_translations(
            source=current, changed=changes, parts=ArticleParts(), by=by, minor=False
        )
        if tab:
            cache.set(_autosave_tab_key(current), tab[:64], AUTOSAVE_TAB_SECONDS)
        if replaces is not None:
            replaces.revision.delete()
    _refresh(article, current)
    return article


def changes_anything(changed: Iterable[str]) -> bool:
    """Whether an edit that changed the fields and parts in `changed` changes the article
    (the form's own bookkeeping, such as the version it was opened at, does not)."""
    return any(name not in FORM_ONLY_FIELDS for name in changed)


def describe_changes(changed: Iterable[str]) -> str:
    labels = [field_label(name) for name in changed if name not in FORM_ONLY_FIELDS]
    return "Edited: " + ", ".join(labels) if labels else "Saved without changes"


def _save_edit(
    *, article: Article, by: User, parts: ArticleParts, render: bool = True
) -> dict[str, list]:
    """Write the article and the parts given; return the rows written of each part a
    revision follows (`REVISION_FOLLOWS`), by that name. Inside a revision (every edit but an
    import) they are added to it as they are written."""
    article.body = normalize_newlines(article.body)
    article.dek = normalize_newlines(article.dek)
    if by.is_authenticated:
        article.last_edited_by = by
        if reversion.is_active():
            reversion.set_user(by)
    # The lists it leaves and joins are counted again (an import's, once its batch commits).
    with list_counts.lists_followed(article, after_commit=not render):
        article.save()
        written = _write_followed_parts(article, parts)
    if reversion.is_active():
        for rows in written.values():
            for row in rows:
                reversion.add_to_revision(row)
    _save_corrections(article, parts.corrections or ())
    for text in parts.notes:
        ArticleNote.objects.create(article=article, text=text, created_by=_person(by))
    _save_preview_links(article, by, parts.preview_links or ())
    if render:  # what readers will see, rendered now (an import is rendered when first read)
        rendering.article_render_on_save(article=article)
    pages_changed()
    return written


def _write_followed_parts(article: Article, parts: ArticleParts) -> dict[str, list]:
    """Byline, tags and timeline, each replaced in two queries when given."""
    written: dict[str, list] = {}
    if parts.authors is not None:
        article.bylines.all().delete()
        written["bylines"] = Byline.objects.bulk_create(
            Byline(article=article, author=author, position=position)
            for position, author in enumerate(dict.fromkeys(parts.authors))
        )
    for name, through, tags in (
        ("tagged_topics", TaggedTopic, parts.topics),
        ("tagged_regions", TaggedRegion, parts.regions),
    ):
        if tags is not None:
            through.objects.filter(content_object=article).delete()
            written[name] = through.objects.bulk_create(
                through(content_object=article, tag=tag) for tag in dict.fromkeys(tags)
            )
    if parts.moves is not None:
        article.moves.all().delete()
        written["moves"] = Move.objects.bulk_create(
            Move(article=article, position=position, **move)
            for position, move in enumerate(parts.moves)
        )
    return written


def _person(by: User):
    return by if by.is_authenticated else None


def _save_corrections(article: Article, changes: Iterable[CorrectionChange]) -> None:
    existing = article.corrections.in_bulk([c.id for c in changes if c.id is not None])
    for change in changes:
        correction = existing.get(change.id) if change.id is not None else None
        if correction is not None and change.delete:
            correction.delete()
            continue
        if correction is None:
            if change.id is not None or change.delete:
                continue  # removed by someone else meanwhile
            correction = Correction(article=article)
        correction.note = change.note.strip()
        if change.created_at is not None:
            correction.created_at = change.created_at
        correction.save()  # saved, not updated: the revision keeps it


def _save_preview_links(article: Article, by: User, changes: Iterable[PreviewLinkChange]) -> None:
    for change in changes:
        if change.id is None:
            PreviewLink.objects.create(
                article=article, created_by=_person(by), expires_at=change.expires_at
            )
            continue
        rows = article.preview_links.filter(pk=change.id)
        rows.update(expires_at=change.expires_at)
        if change.revoke:
            rows.filter(revoked_at=None).update(revoked_at=timezone.now())


# --- Imports ---------------------------------------------------------------------------------


def article_import(
    *, article: Article, by: User | None, parts: ArticleParts, comment: str
) -> Article:
    """Save an article from an imported archive: the edit code, but not news.

    No announcement (no reader alert, no webhook, no PDF, no "updated" for partners): an
    archive brought in is not something that happened today. The revision is written in
    bulk from the rows just written (`revisions.revision_write`), as django-reversion would
    write it, without reading them back. The caller's transaction holds it all.
    """
    by = by or AnonymousUser()
    if article.pk is None:
        article.created_by = _person(by)
    created = article.pk is None
    written = _save_edit(article=article, by=by, parts=parts, render=False)
    followed = [*written.values()]
    if not created:  # what the import did not rewrite stays in the revision
        for name in REVISION_FOLLOWS:
            if name not in written:
                followed.append(list(getattr(article, name).all()))
    revision_write(
        article, [row for rows in followed for row in rows], comment=comment, user=_person(by)
    )
    return article


# --- Corrections ---------------------------------------------------------------------------


def correction_add(*, article: Article, note: str, by: User | None) -> Correction:
    """Publish a dated correction: readers see it at once, partners are told, and a
    corrected PDF edition is made."""
    with transaction.atomic():
        correction = Correction.objects.create(article=article, note=note.strip())
        rendering.article_render_on_save(article=article)
        pages_changed()
        announce_updated(article=article)  # webhooks and a new PDF edition
    logger.info("Correction %s added to article %s by %s", correction.pk, article.pk, by)
    return correction
