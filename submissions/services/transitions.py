"""The status machine of a submission: one table of allowed moves, one guard, and the step
that applies a move and records it as a `SubmissionEvent`. The admin reads `available_transitions()`
to offer an editor the moves open now."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from base.roles import is_editor
from base.workflow import CONTRIBUTOR, EDITOR, Transition, TransitionError

from ..models import Submission, SubmissionEvent

Status = Submission.Status

SYSTEM = "system"


CONFIRM = Transition("confirm", "Confirm the address", by=CONTRIBUTOR)
START_REVIEW = Transition("start_review", "Start review", by=EDITOR, done="Review started")
REQUEST_REVISION = Transition(
    "request_revision", "Request a revision", by=EDITOR, done="Revision requested"
)
RESUBMIT = Transition("resubmit", "Resubmit", by=CONTRIBUTOR)
ACCEPT = Transition("accept", "Accept", by=EDITOR, done="Accepted")
REJECT = Transition("reject", "Reject", by=EDITOR, done="Rejected")
WITHDRAW = Transition("withdraw", "Withdraw", by=CONTRIBUTOR)
MARK_SPAM = Transition("mark_spam", "Mark as spam", by=EDITOR, done="Marked as spam")

# (from, to) -> the move. Anything not here is refused.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    (Status.UNCONFIRMED, Status.SUBMITTED): CONFIRM,
    (Status.SUBMITTED, Status.IN_REVIEW): START_REVIEW,
    # An editor who sees at once what is missing asks for it without a "Start review" first.
    (Status.SUBMITTED, Status.REVISION_REQUESTED): REQUEST_REVISION,
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


def available_transitions(submission: Submission, user) -> list[Transition]:
    """The moves offered now, in the table's order, each once: an editor's moves to an
    editor, the contributor's (`user` None) to the contributor."""
    editor = is_editor(user)
    moves: list[Transition] = []
    for (source, _), move in TRANSITIONS.items():
        if source == submission.status and (move.by == EDITOR) == editor and move not in moves:
            moves.append(move)
    return moves


def check_transition(*, submission: Submission, to: str, by: AbstractBaseUser | None) -> Transition:
    move = TRANSITIONS.get((submission.status, to))
    if move is None:
        raise TransitionError(
            f"A submission that is “{submission.get_status_display().lower()}” cannot become "
            f"“{Status(to).label.lower()}”."
        )
    if move.by == EDITOR and not is_editor(by):
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
