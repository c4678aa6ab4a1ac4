"""Contributor simulations: every change of a submission goes through here.

One table of allowed moves, one guard, one service per move; each move writes a
`SubmissionEvent` and, when it concerns the contributor, an e-mail through the outbox. The
form, the tracking page, the admin and any future API call these functions. By subject:
`transitions` (the table, the guard, `available_transitions()`), `contributor`, `moderation`,
`housekeeping` (beat tasks) and `notices` (the e-mails). Everything public is importable from
`submissions.services` as before.
"""

from .contributor import (
    snapshot,
    submission_confirm,
    submission_create,
    submission_resend_links,
    submission_resubmit,
    submission_withdraw,
)
from .housekeeping import editors_waiting_digest, purge_expired
from .moderation import (
    submission_accept,
    submission_add_note,
    submission_assign,
    submission_mark_spam,
    submission_reject,
    submission_request_revision,
    submission_start_review,
)
from .transitions import (
    ACCEPT,
    CONFIRM,
    CONTRIBUTOR,
    MARK_SPAM,
    OPEN_STATUSES,
    REJECT,
    REQUEST_REVISION,
    RESUBMIT,
    START_REVIEW,
    SYSTEM,
    TARGETS,
    TRANSITIONS,
    WITHDRAW,
    Status,
    Transition,
    TransitionError,
    available_transitions,
    check_transition,
    is_editor,
)

__all__ = [
    "ACCEPT", "CONFIRM", "CONTRIBUTOR", "MARK_SPAM", "OPEN_STATUSES", "REJECT",
    "REQUEST_REVISION", "RESUBMIT", "START_REVIEW", "SYSTEM", "TARGETS", "TRANSITIONS",
    "WITHDRAW", "Status", "Transition", "TransitionError", "available_transitions",
    "check_transition",
    "editors_waiting_digest", "is_editor", "purge_expired", "snapshot", "submission_accept",
    "submission_add_note",
    "submission_assign", "submission_confirm",
    "submission_create", "submission_mark_spam", "submission_reject",
    "submission_request_revision", "submission_resend_links", "submission_resubmit",
    "submission_start_review", "submission_withdraw",
]  # fmt: skip
