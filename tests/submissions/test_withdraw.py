"""A contributor withdraws only after saying so twice, and reads first what it means."""

import pytest
from django.core import mail

from submissions import services
from submissions.models import Submission
from tests.mail import link_in, only_mail_to, sent_to
from tests.submissions.conftest import filled_submission_form, pdf

pytestmark = pytest.mark.django_db

Status = Submission.Status
EDITORS = "editors@newsroom.test"


@pytest.fixture
def submitted(client, vocabulary, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    settings.EDITORS_EMAIL = EDITORS
    client.post("/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    client.post(link_in(only_mail_to("nare@example.org"), "/submissions/confirm/"))
    mail.outbox.clear()
    return Submission.objects.get()


def _tracking(submission: Submission) -> str:
    return submission.link("track").removeprefix("http://testserver")


def _status(submission: Submission) -> str:
    submission.refresh_from_db()
    return submission.status


def test_the_tracking_page_leads_to_a_confirmation_and_withdraws_nothing(client, submitted):
    tracking = _tracking(submitted)
    page = client.get(tracking).text
    assert f'href="{tracking}withdraw/"' in page

    confirmation = client.get(tracking + "withdraw/")
    assert confirmation.status_code == 200
    assert "cannot be undone" in confirmation.text
    assert "will not be published" in confirmation.text
    assert 'name="understood"' in confirmation.text
    assert _status(submitted) == Status.SUBMITTED and not mail.outbox


def test_the_old_one_click_form_no_longer_withdraws(client, submitted):
    tracking = _tracking(submitted)
    response = client.post(tracking, {"action": "withdraw"})
    assert response.status_code == 302 and response["Location"] == tracking + "withdraw/"
    assert _status(submitted) == Status.SUBMITTED


def test_withdrawing_without_ticking_the_box_is_refused_with_a_reason(client, submitted):
    response = client.post(_tracking(submitted) + "withdraw/", {})
    assert response.status_code == 400
    assert "Tick the box" in response.text
    assert _status(submitted) == Status.SUBMITTED


def test_a_confirmed_withdrawal_ends_the_submission_and_tells_the_editors(client, submitted):
    tracking = _tracking(submitted)
    response = client.post(tracking + "withdraw/", {"understood": "on"})
    assert response.status_code == 302 and response["Location"] == tracking
    assert _status(submitted) == Status.WITHDRAWN
    page = client.get(tracking).text
    assert "Withdraw my submission" not in page
    message = only_mail_to(EDITORS)
    assert "withdrawn" in message.subject.lower() and submitted.title in message.subject
    assert sent_to("nare@example.org") == []


def test_a_decided_submission_cannot_be_withdrawn_and_says_why(client, submitted, editor):
    services.submission_start_review(submission=submitted, by=editor)
    services.submission_reject(submission=submitted, by=editor, message="Not for us.")
    confirmation = client.get(_tracking(submitted) + "withdraw/")
    assert confirmation.status_code == 302  # back to the tracking page, nothing to confirm
    response = client.post(_tracking(submitted) + "withdraw/", {"understood": "on"})
    assert response.status_code == 409
    assert "cannot become" in response.text
    assert _status(submitted) == Status.REJECTED
