"""The contributor's side: the form, the confirmation link, a revision, withdrawing, lost links."""

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from outbox.services import notify

from ..models import (
    Attachment,
    Submission,
    SubmissionEvent,
    SubmissionMove,
    SubmissionVersion,
    private_storage,
)
from .notices import _tell_contributor, _tell_editors
from .transitions import CONTRIBUTOR, Status, _transition, check_transition

LOST_LINK = "submission.lost_link"


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
            "reader_language": submission.language,
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
    """The contributor confirmed their address; False when it was confirmed before.

    A conditional update on the move's one source status (UNCONFIRMED → SUBMITTED in
    TRANSITIONS), not a read then a write: the person and a mail scanner (or two tabs)
    confirming at the same moment make one event and one set of e-mails, and the second
    caller is told it was confirmed already instead of meeting a TransitionError.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Submission.objects.filter(pk=submission.pk, status=Status.UNCONFIRMED).update(
            status=Status.SUBMITTED, confirmed_at=now, updated_at=now
        )
        if not claimed:
            submission.refresh_from_db(fields=["status", "confirmed_at"])
            return False
        submission.status, submission.confirmed_at = Status.SUBMITTED, now
        SubmissionEvent.objects.create(
            submission=submission,
            actor_label=CONTRIBUTOR,
            from_status=Status.UNCONFIRMED,
            to_status=Status.SUBMITTED,
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
    _transition(submission=locked, to=Status.RESUBMITTED, by=None)
    _tell_editors(locked, "submission.resubmitted", "submission_resubmitted")
    return locked


@transaction.atomic
def submission_withdraw(*, submission: Submission) -> Submission:
    _transition(submission=submission, to=Status.WITHDRAWN, by=None)
    _tell_editors(submission, "submission.withdrawn", "submission_withdrawn")
    return submission


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
            event=LOST_LINK,
            # Not the address itself: the key outlives the retention purge.
            key=f"{LOST_LINK}:{salted_hmac(LOST_LINK, email).hexdigest()[:32]}:{window}",
            recipient=email,
            template="submission_links",
            # In the language of the page the contributor asked on.
            context={"links": links, "reader_language": translation.get_language()},
        )
    return len(links)


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
