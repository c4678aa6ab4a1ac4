"""The editors' side: assigning, reviewing and the decisions the contributor reads."""

from django.db import transaction

from articles.models import Article

from ..intake import article_create_from_submission
from ..models import Submission, SubmissionNote
from .notices import _tell_contributor
from .transitions import Status, TransitionError, _transition, is_editor


def submission_assign(*, submission: Submission, to_user, by) -> Submission:
    if not is_editor(by):
        raise TransitionError("Only editors can assign submissions.")
    if to_user is not None and not is_editor(to_user):
        raise TransitionError(f"{to_user.get_username()} is not an editor.")
    Submission.objects.filter(pk=submission.pk).update(assignee=to_user)
    submission.assignee = to_user
    return submission


def submission_add_note(*, submission: Submission, by, text: str) -> SubmissionNote | None:
    """An editors' note on its own, not tied to a move; an empty one is not kept."""
    if not text.strip():
        return None
    if not is_editor(by):
        raise TransitionError("Only editors can write internal notes.")
    return SubmissionNote.objects.create(submission=submission, text=text.strip(), created_by=by)


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
    *,
    submission: Submission,
    by,
    to: str,
    message: str,
    internal_note: str,
    template: str,
    **changes,
) -> None:
    """An editor's decision the contributor reads: a message is required and e-mailed."""
    _require_message(message, "revision request" if to == Status.REVISION_REQUESTED else "decision")
    _transition(
        submission=submission,
        to=to,
        by=by,
        message=message,
        internal_note=internal_note,
        **changes,
    )
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
        # Asked straight from the queue, with no review started: the asker follows it up.
        assignee=submission.assignee or by,
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
    return article_create_from_submission(submission=submission, by=by)
