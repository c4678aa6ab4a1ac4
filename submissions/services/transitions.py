"""The status machine of a submission: one table of allowed moves, one guard, and the step
that applies a move and records it as a `SubmissionEvent`. The admin reads `available_moves()`
to offer an editor the moves open now."""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from base.roles import is_editor

from ..models import Submission, SubmissionEvent

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
    done: str = ""  # what the editor reads once the move is made


CONFIRM = Step("confirm", "Confirm the address", by_editor=False)
START_REVIEW = Step("start_review", "Start review", by_editor=True, done="Review started")
REQUEST_REVISION = Step(
    "request_revision", "Request a revision", by_editor=True, done="Revision requested"
)
RESUBMIT = Step("resubmit", "Resubmit", by_editor=False)
ACCEPT = Step("accept", "Accept", by_editor=True, done="Accepted")
REJECT = Step("reject", "Reject", by_editor=True, done="Rejected")
WITHDRAW = Step("withdraw", "Withdraw", by_editor=False)
MARK_SPAM = Step("mark_spam", "Mark as spam", by_editor=True, done="Marked as spam")

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


def available_moves(submission: Submission, user) -> list[Step]:
    """The moves offered now, in the table's order, each once: an editor's moves to an
    editor, the contributor's (`user` None) to the contributor."""
    editor = is_editor(user)
    moves: list[Step] = []
    for (source, _), move in TRANSITIONS.items():
        if source == submission.status and move.by_editor == editor and move not in moves:
            moves.append(move)
    return moves


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
