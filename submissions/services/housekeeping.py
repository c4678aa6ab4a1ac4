"""Housekeeping for the beat: expiry, retention, and the editors' weekly reminder."""

import datetime

from django.conf import settings
from django.utils import timezone

from outbox.models import Notification
from outbox.services import FORGOTTEN, notifications_forget, notify

from .. import stash
from ..models import Submission, SubmissionVersion, private_storage
from .contributor import LOST_LINK
from .transitions import Status


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
        _forget_mails(submission)
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
        _forget_mails(submission)
        purged += 1
    # Lost-link mails list every submission of an address: forgotten by age.
    notifications_forget(
        rows=Notification.objects.filter(
            event=LOST_LINK,
            created_at__lt=now - datetime.timedelta(days=settings.SUBMISSIONS_RETENTION_DAYS),
        ).exclude(last_error=FORGOTTEN)
    )
    _purge_stale_kept_files(now - datetime.timedelta(days=1))
    return {"deleted_unconfirmed": deleted, "purged": purged}


def _forget_mails(submission: Submission) -> None:
    """The outbox rows about `submission`: keyed `submission.<event>:<pk>[:<event id>]`."""
    notifications_forget(
        rows=Notification.objects.filter(key__regex=rf"^submission\.[a-z_]+:{submission.pk}(:|$)")
    )


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
