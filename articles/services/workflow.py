"""The editorial workflow: one table of status moves, one guard, one service per move."""

import dataclasses
import datetime
import logging

import reversion
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from base.pagecache import pages_changed
from base.roles import can_edit, is_editor
from base.workflow import EDITOR, WRITER, Transition, TransitionError

from .. import content_checks, editions, list_counts, rendering
from ..announcements import announce_published, announce_unpublished
from ..models import Article

logger = logging.getLogger(__name__)

Status = Article.Status
User = AbstractBaseUser | AnonymousUser


class StaleEditError(TransitionError):
    """Someone saved the article after this edit was opened; the edit would overwrite it."""

    def __init__(self, message: str, *, current: Article):
        super().__init__(message, code="lost_update")
        self.current = current


SUBMIT = Transition("submit", "Send to review", by=WRITER)
RETURN = Transition("return", "Back to draft", by=WRITER)
PUBLISH = Transition("publish", "Publish now", by=EDITOR, needs_content=True)
SCHEDULE = Transition("schedule", "Schedule", by=EDITOR, needs_content=True)
UNPUBLISH = Transition("unpublish", "Unpublish", by=EDITOR)
ARCHIVE = Transition("archive", "Archive", by=EDITOR)
RESTORE = Transition("restore", "Restore to draft", by=EDITOR)

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
    content: content_checks.Content | None = None,
    full: bool = True,
) -> Transition:
    """Raise TransitionError unless `by` may move `article` to status `to` now.

    `author_count` and `content` let a form check what it has not saved yet. `full=False`
    checks only the table and the user's role, not the content or the time (to offer the
    moves). Publishing and scheduling run the content checks (`articles.content_checks`): each
    error is named in the refusal.
    """
    move = TRANSITIONS.get((article.status, to))
    if move is None:
        raise TransitionError(
            f"An article that is {article.get_status_display().lower()} cannot be moved to "
            f"“{Status(to).label.lower()}”."
        )
    if move.by == EDITOR and not is_editor(by):
        raise TransitionError(f"Only editors can {move.label.lower()}.")
    if move.by == WRITER and not can_edit(by, article):
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
        _check_ready(article, author_count, content or content_checks.Content.of(article))
    return move


def _check_ready(
    article: Article, author_count: int | None, content: content_checks.Content
) -> None:
    reasons = publish_blockers(article, author_count=author_count, content=content)
    if reasons:
        raise TransitionError(reasons)


def publish_blockers(
    article: Article,
    *,
    author_count: int | None = None,
    content: content_checks.Content | None = None,
) -> list[str]:
    """What publishing `article` would be refused for, one message each (none: ready): the
    errors of the content checks, the list the editor's panel shows. Also read by the
    archive import, to report what an editor will have to fix."""
    content = content or content_checks.Content.of(article, author_count=author_count)
    if author_count is not None or content.author_count is None:
        if author_count is None:
            author_count = article.bylines.count() if article.pk else 0
        content = dataclasses.replace(content, author_count=author_count)
    return [
        finding.message for finding in content_checks.errors(content_checks.run_checks(content))
    ]


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
        with list_counts.lists_followed(locked):  # in or out of its lists, or another month
            locked.save()
        rendering.article_render_on_save(article=locked)
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


def check_feature(*, article: Article, by: User, featured: bool) -> None:
    if not is_editor(by):
        raise TransitionError("Only editors can feature an article on the home page.")
    if featured and not article.is_public:
        raise TransitionError("Only a published article can be featured.")


def article_feature(*, article: Article, by: User, featured: bool = True) -> Article:
    check_feature(article=article, by=by, featured=featured)
    with transaction.atomic(), reversion.create_revision():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        locked.is_featured = featured
        locked.last_edited_by = by
        reversion.set_user(by)
        reversion.set_comment("Featured on the home page" if featured else "No longer featured")
        locked.save()
        rendering.article_render_on_save(article=locked)
        pages_changed()
    _refresh(article, locked)
    return article


def publish_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Flip scheduled articles whose time has come to published, each exactly once.

    Readers already see them (visibility is decided in the query); this records the
    publication, announces it and counts it in its lists (until then they show it one short:
    see `list_counts`). Two overlapping runs cannot both take an article: each
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
