"""Every write to an article goes through here: edits, autosaves and the editorial workflow.

`article_create` and `article_update` own what an edit causes: the revision and its comment,
`last_edited_by`, the optimistic lock, the page cache and `article.updated` for partners.
One table says which status moves exist and who may make them; one guard checks it; one
service per move. The admin's form, its list actions, the `publish_due` task and any future
API call these functions and nothing else.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst

from base.pagecache import pages_changed
from base.roles import can_edit, is_editor

from . import checks, editions
from .announcements import announce_published, announce_unpublished, announce_updated
from .models import Article, Author, Byline, Correction, Move, Region, Topic
from .revisions import versions_of

logger = logging.getLogger(__name__)

Status = Article.Status
User = AbstractBaseUser | AnonymousUser


class TransitionError(ValidationError):
    """A status change that is not allowed, with the reason a person can read."""


class StaleEditError(TransitionError):
    """Someone saved the article after this edit was opened; the edit would overwrite it."""

    def __init__(self, message: str, *, current: Article):
        super().__init__(message, code="lost_update")
        self.current = current


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    editors_only: bool
    needs_content: bool = False


SUBMIT = Transition("submit", "Send to review", editors_only=False)
RETURN = Transition("return", "Back to draft", editors_only=False)
PUBLISH = Transition("publish", "Publish now", editors_only=True, needs_content=True)
SCHEDULE = Transition("schedule", "Schedule", editors_only=True, needs_content=True)
UNPUBLISH = Transition("unpublish", "Unpublish", editors_only=True)
ARCHIVE = Transition("archive", "Archive", editors_only=True)
RESTORE = Transition("restore", "Restore to draft", editors_only=True)

# (from, to) -> the move. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.DRAFT, Status.REVIEW): SUBMIT,
    (Status.REVIEW, Status.DRAFT): RETURN,
    (Status.DRAFT, Status.PUBLISHED): PUBLISH,
    (Status.REVIEW, Status.PUBLISHED): PUBLISH,
    (Status.SCHEDULED, Status.PUBLISHED): PUBLISH,
    (Status.DRAFT, Status.SCHEDULED): SCHEDULE,
    (Status.REVIEW, Status.SCHEDULED): SCHEDULE,
    (Status.SCHEDULED, Status.SCHEDULED): SCHEDULE,
    (Status.SCHEDULED, Status.DRAFT): UNPUBLISH,
    (Status.PUBLISHED, Status.DRAFT): UNPUBLISH,
    (Status.DRAFT, Status.ARCHIVED): ARCHIVE,
    (Status.REVIEW, Status.ARCHIVED): ARCHIVE,
    (Status.PUBLISHED, Status.ARCHIVED): ARCHIVE,
    (Status.ARCHIVED, Status.DRAFT): RESTORE,
}
TARGETS = {move.name: to for (_, to), move in TRANSITIONS.items()}


def available_transitions(article: Article, user: User) -> list[Transition]:
    moves = []
    for (source, _), move in TRANSITIONS.items():
        if source == article.status and move not in moves:
            try:
                check_transition(article=article, to=TARGETS[move.name], by=user, full=False)
            except TransitionError:
                continue
            moves.append(move)
    return moves


def check_transition(
    *,
    article: Article,
    to: str,
    by: User,
    publish_at: datetime.datetime | None = None,
    author_count: int | None = None,
    content: checks.Content | None = None,
    full: bool = True,
) -> Transition:
    """Raise TransitionError unless `by` may move `article` to status `to` now.

    `author_count` and `content` let a form check what it has not saved yet. `full=False`
    checks only the table and the user's role, not the content or the time (to offer the
    moves). Publishing and scheduling run the content checks (`articles.checks`): each
    error is named in the refusal.
    """
    move = TRANSITIONS.get((article.status, to))
    if move is None:
        raise TransitionError(
            f"An article that is {article.get_status_display().lower()} cannot be moved to "
            f"“{Status(to).label.lower()}”."
        )
    if move.editors_only and not is_editor(by):
        raise TransitionError(f"Only editors can {move.label.lower()}.")
    if not move.editors_only and not can_edit(by, article):
        raise TransitionError("You can only change your own drafts and articles in review.")
    if not full:
        return move
    if move is SCHEDULE:
        when = publish_at or article.publish_at
        if when is None:
            raise TransitionError("Choose the date and time of publication to schedule it.")
        if when <= timezone.now():
            raise TransitionError("That time has passed: choose a time in the future.")
    if move.needs_content:
        _check_ready(article, author_count, content or checks.Content.of(article))
    return move


def _check_ready(article: Article, author_count: int | None, content: checks.Content) -> None:
    reasons = publish_blockers(article, author_count=author_count, content=content)
    if reasons:
        raise TransitionError(reasons)


def publish_blockers(
    article: Article, *, author_count: int | None = None, content: checks.Content | None = None
) -> list[str]:
    """What publishing `article` would be refused for, one message each (none: ready).
    Also read by the archive import, to report what an editor will have to fix."""
    content = content or checks.Content.of(article)
    missing = []
    if not content.title.strip():
        missing.append("a title")
    if not content.body.strip():
        missing.append("a body")
    if author_count is None:
        author_count = article.bylines.count() if article.pk else 0
    if author_count < 1:
        missing.append("at least one author")
    reasons = []
    if missing:
        reasons.append("To publish, the article needs " + " and ".join(missing) + ".")
    reasons += [finding.message for finding in checks.errors(checks.run_checks(content))]
    return reasons


def _transition(*, article: Article, to: str, by: User | None, comment: str, **changes) -> Article:
    """Lock the row, check the move against its current state, apply it, record it."""
    with transaction.atomic(), reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if by is not None:
            check_transition(article=locked, to=to, by=by, publish_at=changes.get("publish_at"))
        was_public_before = locked.first_published_at is not None
        locked.status = to
        for field, value in changes.items():
            setattr(locked, field, value)
        if to == Status.PUBLISHED and locked.first_published_at is None:
            # A scheduled article went public at its time, not when a worker noticed.
            now = timezone.now()
            due = locked.publish_at is not None and locked.publish_at <= now
            locked.first_published_at = locked.publish_at if due else now
        if by is not None and by.is_authenticated:
            locked.last_edited_by = by
            reversion.set_user(by)
        reversion.set_comment(comment)
        was_public = Article.objects.filter(pk=locked.pk).published().exists()
        if to == Status.PUBLISHED:
            editions.report_number_assign(article=locked)
        locked.save()
        pages_changed()
        if to == Status.PUBLISHED or was_public:
            editions.pdf_edition_schedule(article=locked)  # made, or removed when not public
        if to == Status.PUBLISHED:
            announce_published(article=locked, first_time=not was_public_before)
        elif was_public and to in (Status.DRAFT, Status.ARCHIVED):
            announce_unpublished(article=locked)
    _refresh(article, locked)
    return article


def _refresh(article: Article, locked: Article) -> None:
    """Give the caller's instance the saved state, so that a later save does not undo it."""
    for field in Article._meta.concrete_fields:
        setattr(article, field.attname, getattr(locked, field.attname))


# --- Edits ---------------------------------------------------------------------------------

# What the history calls a field: the form's label, not the column's name.
FIELD_LABELS = {
    "dek": "Standfirst",
    "topics": "Topics",
    "regions": "Regions",
    "image": "Featured image",
    "image_alt": "Image alt text",
    "bylines": "Authors",
    "moves": "Simulation timeline",
    "corrections": "Corrections",
    "notes": "Internal notes",
    "preview_links": "Preview links",
}
# Fields of the form that are not the article's.
FORM_ONLY_FIELDS = {"opened_version", "reverted_from"}
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
    *, article: Article, opened_version: int | None, by: User | None = None
) -> Article:
    """Lock the article's row and refuse if it was saved after `opened_version` was read.

    The row stays locked until the caller's transaction ends, so nobody saves in between.
    `by`'s own autosaves do not count: a Save pressed while an autosave was on its way is
    not refused by it.
    """
    current = (
        Article.objects.select_for_update(of=("self",))
        .select_related("last_edited_by")
        .get(pk=article.pk)
    )
    stale = opened_version is not None and opened_version != current.lock_version
    if stale and by is not None and _own_autosave_since(current, by, opened_version):
        stale = False
    if stale:
        who = current.last_edited_by
        name = (who.get_full_name() or who.username) if who else "Someone"
        raise StaleEditError(
            f"{name} saved this article at {current.updated_at:%H:%M on %d %B %Y} (UTC), "
            "after you opened it, so your changes were not saved. They are still in the "
            "form below: copy what you need, reload the article, and apply them again.",
            current=current,
        )
    return current


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


def check_feature(*, article: Article, by: User, featured: bool) -> None:
    if not is_editor(by):
        raise TransitionError("Only editors can feature an article on the home page.")
    if featured and not article.is_public:
        raise TransitionError("Only a published article can be featured.")


def article_create(
    *,
    article: Article,
    by: User,
    authors: Iterable[Author] | None = None,
    topics: Iterable[Topic] | None = None,
    regions: Iterable[Region] | None = None,
    moves: Iterable[dict] | None = None,
    related: Callable[[Article], None] | None = None,
    comment: str = "Created as a draft",
) -> Article:
    """Save a new article (a draft unless told otherwise) with its byline, tags and moves.

    `article` is an unsaved instance holding the fields; `related` saves what a form adds
    (its inlines) once the article has its id.
    """
    if article.pk is not None:
        raise TransitionError("This article exists already; edit it instead.")
    with transaction.atomic(), reversion.create_revision():
        check_edit(article=article, by=by)
        article.created_by = by if by.is_authenticated else None
        _save_edit(
            article=article,
            by=by,
            authors=authors,
            topics=topics,
            regions=regions,
            moves=moves,
            related=related,
        )
        reversion.set_comment(comment)
    return article


def article_update(
    *,
    article: Article,
    by: User,
    changed: Iterable[str],
    opened_version: int | None = None,
    authors: Iterable[Author] | None = None,
    topics: Iterable[Topic] | None = None,
    regions: Iterable[Region] | None = None,
    moves: Iterable[dict] | None = None,
    related: Callable[[Article], None] | None = None,
    comment: str | None = None,
) -> Article:
    """Save an edit of an existing article: `article` holds the new field values.

    Refused when someone saved after `opened_version` (StaleEditError) or when `by` may not
    make it. One revision, commented with the form's labels of what changed; the page cache
    is emptied; partners get `article.updated` when readers can see the change.
    """
    changed = list(dict.fromkeys(changed))
    with transaction.atomic(), reversion.create_revision():
        check_not_stale(article=article, opened_version=opened_version, by=by)
        check_edit(article=article, by=by, changed=changed)
        _save_edit(
            article=article,
            by=by,
            authors=authors,
            topics=topics,
            regions=regions,
            moves=moves,
            related=related,
        )
        reversion.set_comment(comment or describe_changes(changed))
        if set(changed) - PRIVATE_CHANGES - FORM_ONLY_FIELDS:
            announce_updated(article=article)
    return article


# What autosave keeps: the text being typed. Everything else waits for "Save".
AUTOSAVE_FIELDS = ("title", "dek", "body")
AUTOSAVE_COMMENT = "Autosaved"
AUTOSAVE_STATUSES = (Status.DRAFT, Status.REVIEW)


def article_autosave(
    *, article: Article, by: User, changes: dict[str, str], opened_version: int | None
) -> Article:
    """Keep the text of an article being written, without the writer pressing Save.

    Only drafts and articles in review save themselves (a public article changes when
    someone presses Save). A new article (no id yet) is created as a draft. The optimistic
    lock holds: if someone saved after `opened_version`, StaleEditError carries their
    version. Consecutive autosaves by one person, with no other save between them, are one
    revision: each replaces the one before.
    """
    unknown = set(changes) - set(AUTOSAVE_FIELDS)
    if unknown:
        raise TransitionError("Autosave keeps only the title, the standfirst and the body.")
    if article.pk is None:
        for name, value in changes.items():
            setattr(article, name, value)
        return article_create(article=article, by=by, comment=AUTOSAVE_COMMENT)
    with transaction.atomic():
        current = check_not_stale(article=article, opened_version=opened_version)
        if current.status not in AUTOSAVE_STATUSES:
            raise TransitionError(
                "Only drafts and articles in review save themselves; press Save to change "
                "a scheduled or published article."
            )
        check_edit(article=current, by=by)
        previous = versions_of(current).first()
        replaces = (
            previous
            if previous is not None
            and previous.revision.comment == AUTOSAVE_COMMENT
            and previous.revision.user_id == getattr(by, "pk", None)
            else None
        )
        for name, value in changes.items():
            setattr(current, name, value)
        with reversion.create_revision():
            _save_edit(
                article=current,
                by=by,
                authors=None,
                topics=None,
                regions=None,
                moves=None,
                related=None,
            )
            reversion.set_comment(AUTOSAVE_COMMENT)
        if replaces is not None:
            replaces.revision.delete()
    _refresh(article, current)
    return article


def describe_changes(changed: Iterable[str]) -> str:
    labels = [field_label(name) for name in changed if name not in FORM_ONLY_FIELDS]
    return "Edited: " + ", ".join(labels) if labels else "Saved without changes"


def _save_edit(
    *,
    article: Article,
    by: User,
    authors: Iterable[Author] | None,
    topics: Iterable[Topic] | None,
    regions: Iterable[Region] | None,
    moves: Iterable[dict] | None,
    related: Callable[[Article], None] | None,
) -> None:
    article.body = normalize_newlines(article.body)
    article.dek = normalize_newlines(article.dek)
    if by.is_authenticated:
        article.last_edited_by = by
        reversion.set_user(by)
    article.save()
    if authors is not None:
        article.bylines.all().delete()
        for position, author in enumerate(authors):
            reversion.add_to_revision(
                Byline.objects.create(article=article, author=author, position=position)
            )
    if topics is not None:
        article.topics.set(list(topics))
    if regions is not None:
        article.regions.set(list(regions))
    if moves is not None:
        article.moves.all().delete()
        for position, move in enumerate(moves):
            reversion.add_to_revision(
                Move.objects.create(article=article, **{"position": position, **move})
            )
    if related is not None:
        related(article)
    pages_changed()


# --- Corrections ---------------------------------------------------------------------------


def correction_add(*, article: Article, note: str, by: User | None) -> Correction:
    """Publish a dated correction: readers see it at once, partners are told, and a
    corrected PDF edition is made."""
    with transaction.atomic():
        correction = Correction.objects.create(article=article, note=note.strip())
        pages_changed()
        announce_updated(article=article)  # webhooks and a new PDF edition
    logger.info("Correction %s added to article %s by %s", correction.pk, article.pk, by)
    return correction


# --- The workflow ------------------------------------------------------------------------


def article_submit_for_review(*, article: Article, by: User) -> Article:
    return _transition(article=article, to=Status.REVIEW, by=by, comment="Sent to review")


def article_return_to_draft(*, article: Article, by: User) -> Article:
    return _transition(article=article, to=Status.DRAFT, by=by, comment="Returned to draft")


def article_publish(*, article: Article, by: User) -> Article:
    now = timezone.now()
    publish_at = article.publish_at
    # A republished article keeps its original date; anything else goes out now.
    if publish_at is None or publish_at > now or article.first_published_at is None:
        publish_at = now
    return _transition(
        article=article, to=Status.PUBLISHED, by=by, comment="Published", publish_at=publish_at
    )


def article_schedule(*, article: Article, by: User, publish_at: datetime.datetime) -> Article:
    return _transition(
        article=article,
        to=Status.SCHEDULED,
        by=by,
        comment=f"Scheduled for {publish_at:%Y-%m-%d %H:%M} UTC",
        publish_at=publish_at,
    )


def article_unpublish(*, article: Article, by: User) -> Article:
    return _transition(
        article=article, to=Status.DRAFT, by=by, comment="Unpublished", is_featured=False
    )


def article_archive(*, article: Article, by: User) -> Article:
    return _transition(
        article=article, to=Status.ARCHIVED, by=by, comment="Archived", is_featured=False
    )


def article_restore(*, article: Article, by: User) -> Article:
    return _transition(article=article, to=Status.DRAFT, by=by, comment="Restored from archive")


SERVICES = {
    SUBMIT.name: article_submit_for_review,
    RETURN.name: article_return_to_draft,
    PUBLISH.name: article_publish,
    UNPUBLISH.name: article_unpublish,
    ARCHIVE.name: article_archive,
    RESTORE.name: article_restore,
}


def article_apply_transition(
    *, article: Article, name: str, by: User, publish_at: datetime.datetime | None = None
) -> Article:
    """Run the move called `name` (a button or an admin action names it)."""
    if name == SCHEDULE.name:
        if publish_at is None:
            raise TransitionError("Choose the date and time of publication to schedule it.")
        return article_schedule(article=article, by=by, publish_at=publish_at)
    if name not in SERVICES:
        raise TransitionError(f"There is no such step as “{name}”.")
    return SERVICES[name](article=article, by=by)


def article_feature(*, article: Article, by: User, featured: bool = True) -> Article:
    check_feature(article=article, by=by, featured=featured)
    with transaction.atomic(), reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        locked.is_featured = featured
        locked.last_edited_by = by
        reversion.set_user(by)
        reversion.set_comment("Featured on the home page" if featured else "No longer featured")
        locked.save()
        pages_changed()
    _refresh(article, locked)
    return article


def publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Flip scheduled articles whose time has come to published, each exactly once.

    Readers already see them (visibility is decided in the query); this records the
    publication and announces it. Two overlapping runs cannot both take an article: each
    locks the row and re-reads its status first.
    """
    now = now or timezone.now()
    due = Article.objects.filter(status=Status.SCHEDULED, publish_at__lte=now)
    published = []
    for article_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = (
                Article.objects.select_for_update()
                .filter(pk=article_id, status=Status.SCHEDULED, publish_at__lte=now)
                .first()
            )
            if article is None:
                continue  # another run published it, or an editor changed it meanwhile
            _transition(
                article=article,
                to=Status.PUBLISHED,
                by=None,
                comment="Published at its scheduled time",
            )
            published.append(article_id)
    return published
