"""Contributor simulations: every change of a submission goes through here.

One table of allowed moves, one guard, one service per move; each move writes a
`SubmissionEvent` and, when it concerns the contributor, an e-mail through the outbox. The
form, the tracking page, the admin and any future API call these functions.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Byline, Move
from newsroom.pagecache import pages_changed
from notifications.services import notify

from . import stash
from .models import (
    Attachment,
    Submission,
    SubmissionEvent,
    SubmissionMove,
    SubmissionVersion,
    private_storage,
)

logger = logging.getLogger(__name__)

Status = Submission.Status

CONTRIBUTOR = "contributor"
SYSTEM = "system"


class TransitionError(ValidationError):
    """A move the status table does not allow, or that this person may not make."""


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    by_editor: bool


CONFIRM = Step("confirm", "Confirm the address", by_editor=False)
START_REVIEW = Step("start_review", "Start review", by_editor=True)
REQUEST_REVISION = Step("request_revision", "Request a revision", by_editor=True)
RESUBMIT = Step("resubmit", "Resubmit", by_editor=False)
ACCEPT = Step("accept", "Accept", by_editor=True)
REJECT = Step("reject", "Reject", by_editor=True)
WITHDRAW = Step("withdraw", "Withdraw", by_editor=False)
MARK_SPAM = Step("mark_spam", "Mark as spam", by_editor=True)

# (from, to) -> the move. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.UNCONFIRMED, Status.SUBMITTED): CONFIRM,
    (Status.SUBMITTED, Status.IN_REVIEW): START_REVIEW,
    (Status.IN_REVIEW, Status.REVISION_REQUESTED): REQUEST_REVISION,
    (Status.RESUBMITTED, Status.REVISION_REQUESTED): REQUEST_REVISION,
    (Status.REVISION_REQUESTED, Status.RESUBMITTED): RESUBMIT,
    (Status.IN_REVIEW, Status.ACCEPTED): ACCEPT,
    (Status.RESUBMITTED, Status.ACCEPTED): ACCEPT,
    (Status.SUBMITTED, Status.REJECTED): REJECT,
    (Status.IN_REVIEW, Status.REJECTED): REJECT,
    (Status.RESUBMITTED, Status.REJECTED): REJECT,
    (Status.SUBMITTED, Status.WITHDRAWN): WITHDRAW,
    (Status.IN_REVIEW, Status.WITHDRAWN): WITHDRAW,
    (Status.REVISION_REQUESTED, Status.WITHDRAWN): WITHDRAW,
    (Status.RESUBMITTED, Status.WITHDRAWN): WITHDRAW,
    (Status.SUBMITTED, Status.SPAM): MARK_SPAM,
    (Status.IN_REVIEW, Status.SPAM): MARK_SPAM,
    (Status.RESUBMITTED, Status.SPAM): MARK_SPAM,
}
TARGETS = {move.name: to for (_, to), move in TRANSITIONS.items()}
# Before a decision, a contributor may still withdraw; after one, the submission is closed.
OPEN_STATUSES = {source for (source, to) in TRANSITIONS if to == Status.WITHDRAWN}


def is_editor(user) -> bool:
    return user is not None and user.has_perm("submissions.change_submission")


def check_transition(*, submission: Submission, to: str, by: AbstractBaseUser | None) -> Step:
    move = TRANSITIONS.get((submission.status, to))
    if move is None:
        raise TransitionError(
            f"A submission that is “{submission.get_status_display().lower()}” cannot become "
            f"“{Status(to).label.lower()}”."
        )
    if move.by_editor and not is_editor(by):
        raise TransitionError(f"Only editors can {move.label.lower()}.")
    return move


def _transition(
    *,
    submission: Submission,
    to: str,
    by: AbstractBaseUser | None,
    message: str = "",
    internal_note: str = "",
    **changes,
) -> Submission:
    """Lock the row, check the move against its current state, apply it, record the event."""
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        check_transition(submission=locked, to=to, by=by)
        source = locked.status
        locked.status = to
        for field, value in changes.items():
            setattr(locked, field, value)
        if to in (Status.ACCEPTED, Status.REJECTED, Status.SPAM):
            locked.decided_at = timezone.now()
        locked.save()
        SubmissionEvent.objects.create(
            submission=locked,
            actor=by if by is not None and by.is_authenticated else None,
            actor_label=_label(by),
            from_status=source,
            to_status=to,
            message=message,
            internal_note=internal_note,
        )
    for field in ("status", "decided_at", "confirmed_at", "round", "assignee_id"):
        setattr(submission, field, getattr(locked, field))
    return submission


def _label(by) -> str:
    if by is None:
        return CONTRIBUTOR
    return by.get_full_name() or by.get_username()


def _tell_contributor(submission: Submission, event: str, template: str, **context) -> None:
    notify(
        event=event,
        key=f"{event}:{submission.pk}:{submission.events.count()}",
        recipient=submission.email,
        template=template,
        context={
            "name": submission.full_name,
            "title": submission.title,
            "tracking_url": submission.link("track"),
            **context,
        },
    )


# --- The contributor's side ---------------------------------------------------------------------


@transaction.atomic
def submission_create(
    *, data: dict, moves: list[dict], files: list, call=None, kept: list | None = None
) -> Submission:
    """A new submission from the form: unconfirmed until the address is confirmed."""
    regions, topics = data.pop("actor_regions", []), data.pop("proposed_topics", [])
    submission = Submission.objects.create(call=call, **data)
    submission.actor_regions.set(regions)
    submission.proposed_topics.set(topics)
    _save_moves(submission, moves)
    _save_files(submission, files, kept)
    SubmissionEvent.objects.create(
        submission=submission, actor_label=CONTRIBUTOR, to_status=Status.UNCONFIRMED
    )
    notify(
        event="submission.confirm",
        key=f"submission.confirm:{submission.pk}",
        recipient=submission.email,
        template="submission_confirm",
        context={
            "name": submission.full_name,
            "title": submission.title,
            "confirm_url": submission.link("confirm"),
            "days": settings.SUBMISSIONS_UNCONFIRMED_DAYS,
        },
    )
    return submission


def _save_moves(submission: Submission, moves: list[dict]) -> None:
    submission.moves.all().delete()
    SubmissionMove.objects.bulk_create(
        SubmissionMove(submission=submission, position=position, **move)
        for position, move in enumerate(moves)
    )


def _save_files(submission: Submission, files: list, kept: list | None = None) -> None:
    for upload, kind in files:
        Attachment.objects.create(
            submission=submission,
            file=upload,
            original_name=upload.name[:255],
            kind=kind,
            size=upload.size,
            round=submission.round,
        )
    for file in kept or []:  # kept from an earlier try: moved from pending/ to the submission
        with private_storage.open(file.name) as content:
            Attachment.objects.create(
                submission=submission,
                file=File(content, name=file.original_name),
                original_name=file.original_name,
                kind=file.kind,
                size=file.size,
                round=submission.round,
            )
        private_storage.delete(file.name)


def submission_confirm(*, submission: Submission) -> bool:
    """The contributor clicked the link; False when it was confirmed before."""
    if submission.status != Status.UNCONFIRMED:
        return False
    with transaction.atomic():
        _transition(
            submission=submission, to=Status.SUBMITTED, by=None, confirmed_at=timezone.now()
        )
        _tell_contributor(submission, "submission.received", "submission_received")
        notify(
            event="submission.new",
            key=f"submission.new:{submission.pk}",
            recipient=settings.EDITORS_EMAIL,
            template="submission_new",
            context={
                "title": submission.title,
                "call": submission.call.title if submission.call else "",
                "admin_url": settings.SITE_URL
                + f"/admin/submissions/submission/{submission.pk}/change/",
            },
        )
    return True


@transaction.atomic
def submission_resubmit(
    *, submission: Submission, data: dict, moves: list[dict], files: list, removed: list[int]
) -> Submission:
    """The contributor answers a revision request: the earlier version is kept."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    check_transition(submission=locked, to=Status.RESUBMITTED, by=None)
    SubmissionVersion.objects.create(submission=locked, round=locked.round, data=snapshot(locked))
    regions, topics = data.pop("actor_regions", []), data.pop("proposed_topics", [])
    for field, value in data.items():
        setattr(locked, field, value)
    locked.round += 1
    locked.save()
    locked.actor_regions.set(regions)
    locked.proposed_topics.set(topics)
    _save_moves(locked, moves)
    locked.attachments.filter(pk__in=removed, removed_in_round=None).update(
        removed_in_round=locked.round
    )
    _save_files(locked, files)
    return _transition(submission=locked, to=Status.RESUBMITTED, by=None)


def submission_withdraw(*, submission: Submission) -> Submission:
    return _transition(submission=submission, to=Status.WITHDRAWN, by=None)


def submission_resend_links(*, email: str) -> int:
    """Send every link an address has; the caller says the same whatever this finds."""
    email = email.strip().lower()
    window = int(timezone.now().timestamp() // 600)
    found = Submission.objects.filter(email__iexact=email, purged_at=None).exclude(
        status=Status.SPAM
    )
    links = [
        {
            "title": s.title,
            "url": s.link("confirm" if s.status == Status.UNCONFIRMED else "track"),
            "unconfirmed": s.status == Status.UNCONFIRMED,
        }
        for s in found.order_by("created_at")
    ]
    if links:
        notify(
            event="submission.lost_link",
            key=f"submission.lost_link:{email}:{window}",
            recipient=email,
            template="submission_links",
            context={"links": links},
        )
    return len(links)


# --- The editors' side ---------------------------------------------------------------------------


def submission_assign(*, submission: Submission, to_user, by) -> Submission:
    if not is_editor(by):
        raise TransitionError("Only editors can assign submissions.")
    if to_user is not None and not is_editor(to_user):
        raise TransitionError(f"{to_user.get_username()} is not an editor.")
    Submission.objects.filter(pk=submission.pk).update(assignee=to_user)
    submission.assignee = to_user
    return submission


def submission_start_review(*, submission: Submission, by, internal_note: str = "") -> Submission:
    assignee = submission.assignee or by
    return _transition(
        submission=submission,
        to=Status.IN_REVIEW,
        by=by,
        internal_note=internal_note,
        assignee=assignee,
    )


def _require_message(message: str, what: str) -> None:
    if not message.strip():
        raise TransitionError(f"Write the message the contributor will read with this {what}.")


def _decide(
    *, submission: Submission, by, to: str, message: str, internal_note: str, template: str
) -> None:
    """An editor's decision the contributor reads: a message is required and e-mailed."""
    _require_message(message, "revision request" if to == Status.REVISION_REQUESTED else "decision")
    _transition(submission=submission, to=to, by=by, message=message, internal_note=internal_note)
    _tell_contributor(submission, f"submission.{to}", template, message=message)


@transaction.atomic
def submission_request_revision(
    *, submission: Submission, by, message: str, internal_note: str = ""
) -> Submission:
    _decide(
        submission=submission,
        by=by,
        to=Status.REVISION_REQUESTED,
        message=message,
        internal_note=internal_note,
        template="submission_revision",
    )
    return submission


@transaction.atomic
def submission_reject(
    *, submission: Submission, by, message: str, internal_note: str = ""
) -> Submission:
    _decide(
        submission=submission,
        by=by,
        to=Status.REJECTED,
        message=message,
        internal_note=internal_note,
        template="submission_rejected",
    )
    return submission


def submission_mark_spam(*, submission: Submission, by, internal_note: str = "") -> Submission:
    # Nothing is sent to a spammer.
    return _transition(submission=submission, to=Status.SPAM, by=by, internal_note=internal_note)


@transaction.atomic
def submission_accept(
    *, submission: Submission, by, message: str, internal_note: str = ""
) -> Article:
    """Accept, and turn the simulation into a draft article signed by the contributor."""
    _decide(
        submission=submission,
        by=by,
        to=Status.ACCEPTED,
        message=message,
        internal_note=internal_note,
        template="submission_accepted",
    )
    return _draft_article(submission, by)


def _draft_article(submission: Submission, by) -> Article:
    author = _contributor_author(submission)
    article = Article.objects.create(
        title=submission.title,
        slug=_free_slug(Article, submission.title, "simulation"),
        kind=Article.Kind.SIMULATION,
        dek=submission.summary[:500],
        body=_article_body(submission),
        series=submission.call.series if submission.call else None,
        origin_submission=submission,
        created_by=by,
        last_edited_by=by,
    )
    Byline.objects.create(article=article, author=author, position=0)
    Move.objects.bulk_create(
        Move(
            article=article,
            position=move.position,
            phase=move.phase,
            actor=move.actor,
            action=move.action,
            expected_response=move.expected_response,
        )
        for move in submission.moves.all()
    )
    article.topics.set(list(submission.proposed_topics.all()))
    article.regions.set(list(submission.actor_regions.all()))
    return article


def _contributor_author(submission: Submission) -> Author:
    """The contributor as an Author: the one they were before, matched by e-mail, or new."""
    author = Author.objects.filter(email__iexact=submission.email).first()
    if author is None:
        author = Author.objects.create(
            name=submission.full_name,
            slug=_free_slug(Author, submission.full_name, "contributor"),
            email=submission.email.lower(),
            is_contributor=True,
        )
    author.title = submission.professional_title
    author.affiliation = submission.affiliation or author.affiliation
    author.bio = submission.bio or author.bio
    author.save()
    pages_changed()  # a returning contributor's new title shows on their published pages
    return author


def _article_body(submission: Submission) -> str:
    sections = [
        submission.scenario.strip(),
        "## Assumptions\n\n" + submission.assumptions.strip(),
        "## Outcomes\n\n" + submission.outcomes.strip(),
    ]
    return "\n\n".join(section for section in sections if section.strip())


def _free_slug(model, text: str, fallback: str) -> str:
    """A slug for `text` that no row of `model` has yet: "name", "name-2", "name-3"…"""
    base = slugify(text)[:180] or fallback
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def submission_article_published(*, article: Article) -> None:
    """Called when an article is first published: tell its contributor, if it had one."""
    submission = Submission.objects.filter(article=article).first()
    if submission is None or submission.purged_at is not None:
        return
    _tell_contributor(
        submission,
        "submission.published",
        "submission_published",
        article_url=settings.SITE_URL + article.get_absolute_url(),
    )


# --- Reading a submission ------------------------------------------------------------------------


def snapshot(submission: Submission) -> dict:
    """What a round of a submission said, for the versions kept and the diff between them."""
    return {
        "title": submission.title,
        "summary": submission.summary,
        "scenario": submission.scenario,
        "actors": ", ".join(
            [r.name for r in submission.actor_regions.all()]
            + ([submission.actors_other] if submission.actors_other else [])
        ),
        "assumptions": submission.assumptions,
        "outcomes": submission.outcomes,
        "topics": ", ".join(t.name for t in submission.proposed_topics.all()),
        "moves": "\n".join(
            f"{m.phase} — {m.actor}: {m.action}"
            + (f" (expected: {m.expected_response})" if m.expected_response else "")
            for m in submission.moves.all()
        ),
        "attachments": ", ".join(
            a.original_name for a in submission.attachments.filter(removed_in_round=None)
        ),
    }


# --- Housekeeping (beat tasks) -------------------------------------------------------------------


def purge_expired(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete unconfirmed submissions after their week, and personal data after retention."""
    now = now or timezone.now()
    unconfirmed = Submission.objects.filter(
        status=Status.UNCONFIRMED,
        created_at__lt=now - datetime.timedelta(days=settings.SUBMISSIONS_UNCONFIRMED_DAYS),
    )
    deleted = 0
    for submission in unconfirmed:
        _delete_files(submission)
        submission.delete()
        deleted += 1
    closed = Submission.objects.filter(
        status__in=[Status.REJECTED, Status.WITHDRAWN, Status.SPAM],
        purged_at=None,
        updated_at__lt=now - datetime.timedelta(days=settings.SUBMISSIONS_RETENTION_DAYS),
    )
    purged = 0
    for submission in closed:
        _delete_files(submission)
        submission.attachments.all().delete()
        Submission.objects.filter(pk=submission.pk).update(
            full_name="(removed)",
            email="",
            phone="",
            professional_title="",
            affiliation="",
            bio="",
            purged_at=now,
        )
        SubmissionVersion.objects.filter(submission=submission).delete()
        purged += 1
    _purge_stale_kept_files(now - datetime.timedelta(days=1))
    return {"deleted_unconfirmed": deleted, "purged": purged}


def _purge_stale_kept_files(cutoff: datetime.datetime) -> None:
    """Files kept for a form that was never sent again."""
    try:
        _, names = private_storage.listdir(stash.PREFIX.rstrip("/"))
    except FileNotFoundError:
        return
    for name in names:
        path = stash.PREFIX + name
        if private_storage.get_modified_time(path) < cutoff:
            private_storage.delete(path)


def _delete_files(submission: Submission) -> None:
    for attachment in submission.attachments.all():
        attachment.file.delete(save=False)


def editors_waiting_digest(*, now: datetime.datetime | None = None) -> int:
    """Tell the editors which submissions have waited more than a week for a decision."""
    now = now or timezone.now()
    waiting = list(
        Submission.objects.filter(
            status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.RESUBMITTED],
            confirmed_at__lt=now - datetime.timedelta(days=settings.SUBMISSIONS_WAITING_DAYS),
        )
        .select_related("assignee", "call")
        .order_by("confirmed_at")
    )
    if not waiting:
        return 0
    year, week, _ = now.isocalendar()
    notify(
        event="submissions.waiting",
        key=f"submissions.waiting:{year}-W{week:02d}",
        recipient=settings.EDITORS_EMAIL,
        template="editors_waiting",
        context={
            "submissions": [
                {
                    "title": s.title,
                    "status": s.get_status_display(),
                    "days": (now - s.confirmed_at).days,
                    "assignee": s.assignee.get_username() if s.assignee else "nobody",
                    "url": settings.SITE_URL + f"/admin/submissions/submission/{s.pk}/change/",
                }
                for s in waiting
            ]
        },
    )
    return len(waiting)
