"""The e-mails a move causes, written to the outbox in the move's transaction."""

from django.conf import settings

from outbox.models import Notification
from outbox.services import notify

from ..models import Submission


def _tell_contributor(submission: Submission, event: str, template: str, **context) -> None:
    # One mail per move: keyed by the SubmissionEvent the move just wrote (the latest one).
    cause = submission.events.order_by("-pk").values_list("pk", flat=True).first()
    notify(
        **_to_contributor(submission, event, f"{event}:{submission.pk}:{cause}", template, context)
    )


def _to_contributor(
    submission: Submission, event: str, key: str, template: str, context: dict
) -> dict:
    return {
        "event": event,
        "key": key,
        "recipient": submission.email,
        "template": template,
        "context": {
            "name": submission.full_name,
            "title": submission.title,
            "tracking_url": submission.link("track"),
            "reader_language": submission.language,
            **context,
        },
    }


def _tell_editors(submission: Submission, event: str, template: str) -> None:
    """What a contributor did, for the editors' shared address (once per round)."""
    assignee = submission.assignee
    notify(
        event=event,
        key=f"{event}:{submission.pk}:{submission.round}",
        recipient=settings.EDITORS_EMAIL,
        template=template,
        context={
            "title": submission.title,
            "round": submission.round,
            "assignee": (assignee.get_full_name() or assignee.get_username()) if assignee else "",
            "admin_url": settings.SITE_URL
            + f"/admin/submissions/submission/{submission.pk}/change/",
        },
    )


def contributor_of(announcement: Notification) -> list[Notification]:
    """The audience of `article.published`: the contributor whose simulation the article
    is, the first time it is published, unless their data has been purged since."""
    if not announcement.context.get("first_time"):
        return []
    submission = (
        Submission.objects.filter(article_id=announcement.context["article_id"], purged_at=None)
        .select_related("article")
        .first()
    )
    if submission is None:
        return []
    event = "submission.published"
    article_url = settings.SITE_URL + submission.article.get_absolute_url()
    return [
        Notification(
            **_to_contributor(
                submission,
                event,
                f"{event}:{submission.pk}",
                "submission_published",
                {"article_url": article_url},
            )
        )
    ]
