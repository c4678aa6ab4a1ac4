"""The moderation steps as an editor meets them: a step opened by its address, a revision
requested straight from the queue, one box for an internal note."""

import re

import pytest
from django.core import mail

from submissions.models import MessageTemplate, Submission, SubmissionNote
from tests.factories import SubmissionFactory
from tests.mail import only_mail_to

pytestmark = pytest.mark.django_db

Status = Submission.Status


def _step(submission: Submission, name: str) -> str:
    return f"/admin/submissions/submission/{submission.pk}/move/{name}/"


def _detail(submission: Submission) -> str:
    return f"/admin/submissions/submission/{submission.pk}/change/"


# --- A decision step opened by its address (back button, a shared link) ----------------------


def test_an_editor_opening_a_decision_step_by_its_address_gets_its_form(editor_client):
    MessageTemplate.objects.create(
        purpose="accept", name="Warm yes", body="We are glad to publish it."
    )
    submission = SubmissionFactory(status=Status.IN_REVIEW)
    page = editor_client.get(_step(submission, "accept"))
    assert page.status_code == 200
    assert '<textarea name="message"' in page.text
    assert "Yes, accept and send" in page.text
    assert ">Warm yes</option>" in page.text  # the step's own templates to start from
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW and not mail.outbox  # a GET decides nothing


def test_a_step_without_a_message_opened_by_its_address_offers_its_button(editor_client):
    submission = SubmissionFactory(status=Status.SUBMITTED)
    page = editor_client.get(_step(submission, "start_review"))
    assert page.status_code == 200
    assert ">Start review</button>" in page.text
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED


def test_a_step_no_longer_open_sends_the_editor_back_to_the_submission(editor_client):
    submission = SubmissionFactory(status=Status.ACCEPTED)
    response = editor_client.get(_step(submission, "reject"), follow=True)
    assert response.redirect_chain[-1][0] == _detail(submission)
    assert "that step is not open to it now" in response.text


# --- Request a revision from the submitted state -----------------------------------------------


def test_an_editor_requests_a_revision_without_starting_a_review_first(editor, editor_client):
    submission = SubmissionFactory(status=Status.SUBMITTED, email="nare@example.org")
    page = editor_client.get(_detail(submission)).text
    assert f'formaction="{_step(submission, "request_revision")}"' in page

    editor_client.post(_step(submission, "request_revision"), {"message": "Please date each move."})
    submission.refresh_from_db()
    assert submission.status == Status.REVISION_REQUESTED
    assert submission.assignee == editor  # the editor who asked follows it up
    event = submission.events.last()
    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.REVISION_REQUESTED)
    assert "Please date each move." in only_mail_to("nare@example.org").body


# --- One internal-note box ---------------------------------------------------------------------


def _note_boxes(page: str) -> list[str]:
    return re.findall(r'<textarea name="([^"]*(?:note|text)[^"]*)"', page)


def test_the_submission_page_has_one_internal_note_box(editor_client):
    submission = SubmissionFactory(status=Status.IN_REVIEW)
    assert _note_boxes(editor_client.get(_detail(submission)).text) == ["internal_note"]


def test_a_note_typed_before_save_is_kept_and_shown(editor, editor_client):
    submission = SubmissionFactory(status=Status.IN_REVIEW)
    response = editor_client.post(
        _detail(submission),
        {"assignee": "", "internal_note": "Phoned her: the annex is coming.", "_continue": "1"},
        follow=True,
    )
    assert response.status_code == 200
    note = SubmissionNote.objects.get(submission=submission)
    assert (note.text, note.created_by) == ("Phoned her: the annex is coming.", editor)
    assert "Phoned her: the annex is coming." in response.text


def test_a_note_typed_before_a_step_is_kept_with_the_step(editor_client):
    submission = SubmissionFactory(status=Status.SUBMITTED)
    editor_client.post(
        _step(submission, "start_review"), {"internal_note": "Knows the Lachin file well."}
    )
    assert submission.events.last().internal_note == "Knows the Lachin file well."


def test_a_note_typed_before_a_step_no_longer_open_is_kept(editor_client):
    submission = SubmissionFactory(status=Status.ACCEPTED)
    editor_client.post(_step(submission, "reject"), {"internal_note": "Check the figures."})
    assert SubmissionNote.objects.get(submission=submission).text == "Check the figures."
