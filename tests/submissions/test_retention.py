"""What is kept of a contributor, and for how long: the submission and the outbox rows."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from outbox.models import Notification
from submissions import services
from submissions.models import Submission, SubmissionEvent
from tests.mail import link_in, only_mail_to, outbox_rows_mentioning
from tests.submissions.conftest import filled_submission_form, pdf

pytestmark = pytest.mark.django_db


def _submit(client, vocabulary, settings, **overrides) -> Submission:
    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post(
        "/submit/", filled_submission_form(vocabulary, **overrides) | {"attachments": [pdf()]}
    )
    return Submission.objects.get(email=overrides.get("email", "nare@example.org"))


def _confirmed(client, vocabulary, settings, **overrides) -> Submission:
    submission = _submit(client, vocabulary, settings, **overrides)
    client.post(link_in(only_mail_to(submission.email), "/submissions/confirm/"))
    mail.outbox.clear()
    submission.refresh_from_db()
    return submission


def _personal(submission: Submission) -> tuple[str, ...]:
    return (
        submission.email,
        submission.full_name,
        submission.phone,
        submission.tracking_secret,
        submission.confirm_secret,
    )


def test_the_retention_purge_leaves_nothing_of_the_contributor_in_the_outbox(
    client, vocabulary, settings, editor
):
    submission = _confirmed(client, vocabulary, settings)
    personal = _personal(submission)
    services.submission_start_review(submission=submission, by=editor)
    services.submission_request_revision(submission=submission, by=editor, message="Sources?")
    services.submission_withdraw(submission=submission)
    client.post("/submissions/lost-link/", {"email": "nare@example.org"})
    assert len(outbox_rows_mentioning(*personal)) >= 4

    with time_machine.travel(timezone.now() + datetime.timedelta(days=181)):
        assert services.purge_expired()["purged"] == 1

    assert outbox_rows_mentioning(*personal) == []
    # What was sent, and when, is still there for the editors.
    events = set(Notification.objects.values_list("event", flat=True))
    assert {"submission.confirm", "submission.received", "submission.revision_requested"} <= events


def test_the_purge_of_one_submission_leaves_the_contributors_other_mails(
    client, vocabulary, settings
):
    gone = _confirmed(client, vocabulary, settings)
    services.submission_withdraw(submission=gone)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=170)):
        kept = _confirmed(
            client, vocabulary, settings, email="ani@example.org", full_name="Ani Sargsyan"
        )
    with time_machine.travel(timezone.now() + datetime.timedelta(days=181)):
        services.purge_expired()
    assert outbox_rows_mentioning(*_personal(gone)) == []
    assert Notification.objects.filter(recipient="ani@example.org").count() == 2
    # The other submission's receipt, which carries its tracking link, is kept.
    kept_rows = outbox_rows_mentioning(kept.tracking_secret)
    assert [row.split(":")[0] for row in kept_rows] == ["submission.received"]


def test_an_unconfirmed_submission_deleted_after_its_week_leaves_no_address_in_the_outbox(
    client, vocabulary, settings
):
    submission = _submit(client, vocabulary, settings)
    personal = _personal(submission)
    assert outbox_rows_mentioning(*personal)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert services.purge_expired()["deleted_unconfirmed"] == 1
    assert outbox_rows_mentioning(*personal) == []


def test_each_mail_to_the_contributor_is_keyed_by_the_move_that_caused_it(
    client, vocabulary, settings, editor
):
    submission = _confirmed(client, vocabulary, settings)
    services.submission_start_review(submission=submission, by=editor)
    services.submission_request_revision(submission=submission, by=editor, message="Sources?")
    # The contributor answers; the editors ask again.
    services.submission_resubmit(submission=submission, data={}, moves=[], files=[], removed=[])
    services.submission_request_revision(submission=submission, by=editor, message="Maps?")

    requests = SubmissionEvent.objects.filter(
        submission=submission, to_status=Submission.Status.REVISION_REQUESTED
    ).order_by("pk")
    rows = Notification.objects.filter(event="submission.revision_requested").order_by("pk")
    assert [row.key for row in rows] == [
        f"submission.revision_requested:{submission.pk}:{event.pk}" for event in requests
    ]
    assert [row.context["message"] for row in rows] == ["Sources?", "Maps?"]
