"""The editor's decisions on a submission: templates, confirmation, the e-mails they cause."""

import html
import re

import pytest
from django.core import mail

from submissions import services
from submissions.models import MessageTemplate, Submission
from tests.factories import SubmissionFactory
from tests.mail import link_in, only_mail_to, sent_to
from tests.submissions.conftest import filled_submission_form, pdf

pytestmark = pytest.mark.django_db

Status = Submission.Status
EDITORS = "editors@newsroom.test"


@pytest.fixture(autouse=True)
def _editors_address(settings):
    settings.EDITORS_EMAIL = EDITORS


@pytest.fixture
def templates(db):
    return {
        purpose: MessageTemplate.objects.create(
            purpose=purpose, name=f"Our {purpose} text", body=f"Template text for {purpose}."
        )
        for purpose in MessageTemplate.Purpose.values
    }


def _submission(status: str = Status.IN_REVIEW) -> Submission:
    return SubmissionFactory(
        status=status,
        full_name="Leyla Mammadova",
        email="leyla@example.org",
        phone="+994123456789",
    )


def _move(client, submission, name, **data):
    return client.post(f"/admin/submissions/submission/{submission.pk}/move/{name}/", data)


def _detail(client, submission) -> str:
    return client.get(f"/admin/submissions/submission/{submission.pk}/change/").text


def _textarea(page: str, name: str) -> str:
    match = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, f"no textarea {name}"
    return html.unescape(match.group(1)).strip()


def test_a_chosen_templates_text_is_shown_editable_and_the_edited_text_is_sent(
    editor_client, templates
):
    submission = _submission()
    detail = _detail(editor_client, submission)
    # the script fills the message box from the option's data attribute
    assert f'data-body="{templates["accept"].body}"' in detail
    assert 'src="/static/js/decision-template.js"' in detail

    # Without the script: an empty message and a template open the text to edit first.
    step = _move(editor_client, submission, "accept", template=templates["accept"].pk, message="")
    assert step.status_code == 200
    assert _textarea(step.text, "message") == "Template text for accept."
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW and not mail.outbox

    edited = "Template text for accept, with a word about footnotes from Eddie."
    _move(editor_client, submission, "accept", message=edited, confirmed="1")
    submission.refresh_from_db()
    assert submission.status == Status.ACCEPTED
    assert edited in only_mail_to("leyla@example.org").body


def test_a_revision_request_from_a_template_is_read_before_it_is_sent(editor_client, templates):
    submission = _submission()
    step = _move(
        editor_client, submission, "request_revision", template=templates["request_revision"].pk
    )
    assert _textarea(step.text, "message") == "Template text for request_revision."
    assert not mail.outbox
    _move(
        editor_client, submission, "request_revision", message="Please add Russia.", confirmed="1"
    )
    assert "Please add Russia." in only_mail_to("leyla@example.org").body


def test_a_template_of_another_decision_is_not_used(editor_client, templates):
    submission = _submission()
    step = _move(editor_client, submission, "reject", template=templates["accept"].pk, message="")
    assert _textarea(step.text, "message") == ""


@pytest.mark.parametrize(
    "status", [Status.SUBMITTED, Status.IN_REVIEW, Status.RESUBMITTED, Status.REVISION_REQUESTED]
)
def test_the_templates_and_buttons_offered_match_the_moves_open_in_each_status(
    editor_client, editor, templates, status
):
    submission = _submission(status)
    detail = _detail(editor_client, submission)
    moves = {m.name for m in services.available_transitions(submission, editor)}
    for purpose, template in templates.items():
        assert (template.body in detail) == (purpose in moves), purpose
    buttons = set(re.findall(r"/move/(\w+)/", detail))
    assert buttons == moves
    if status == Status.SUBMITTED:
        assert moves == {"start_review", "request_revision", "reject", "mark_spam"}


def test_a_move_not_open_in_this_status_is_refused(editor_client):
    submission = _submission(Status.SUBMITTED)
    response = _move(editor_client, submission, "accept", message="Yes.", confirmed="1")
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED and not mail.outbox


@pytest.mark.parametrize("name", ["accept", "reject"])
def test_accepting_and_rejecting_ask_for_a_confirmation(editor_client, name):
    submission = _submission()
    first = _move(editor_client, submission, name, message="Our decision.", internal_note="Agreed.")
    assert first.status_code == 200
    assert "cannot be undone" in first.text
    assert _textarea(first.text, "message") == "Our decision."
    assert _textarea(first.text, "internal_note") == "Agreed."
    assert 'name="confirmed" value="1"' in first.text
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW and not mail.outbox

    _move(editor_client, submission, name, message="Our decision.", confirmed="1")
    submission.refresh_from_db()
    assert submission.status == {"accept": Status.ACCEPTED, "reject": Status.REJECTED}[name]
    assert "Our decision." in only_mail_to("leyla@example.org").body


def test_a_confirmed_decision_without_a_message_comes_back_with_a_clear_error(editor_client):
    submission = _submission()
    response = _move(
        editor_client, submission, "reject", message="  ", internal_note="Kept.", confirmed="1"
    )
    assert response.status_code == 200
    assert "Write the message the contributor will read" in response.text
    assert _textarea(response.text, "internal_note") == "Kept."
    submission.refresh_from_db()
    assert submission.status == Status.IN_REVIEW


def test_each_decision_has_its_own_coloured_button(editor_client, settings):
    detail = _detail(editor_client, _submission(Status.RESUBMITTED))
    for name in ("accept", "request_revision", "reject"):
        assert f"decision-button decision-button--{name}" in detail
    css = (settings.BASE_DIR / "static/css/admin-workspace.css").read_text()
    assert ".decision-button--accept { background: #15803d; }" in css


def test_the_editor_reads_what_happened_in_plain_words(editor_client):
    submission = _submission()
    response = _move(editor_client, submission, "request_revision", message="More detail, please.")
    page = editor_client.get(response["Location"]).text
    assert f"Revision requested: “{submission.title}”" in html.unescape(page)
    assert "is now" not in page


def test_the_acceptance_mail_says_each_thing_once(editor_client):
    template = MessageTemplate.objects.create(
        purpose="accept",
        name="Accepted for publication",
        body="We are glad to accept your simulation. An editor will prepare it for publication "
        "and may suggest small edits; we will send you the link when it is online.",
    )
    submission = _submission()
    _move(editor_client, submission, "accept", message=template.body, confirmed="1")
    message = only_mail_to("leyla@example.org")
    lines = [line for line in message.body.splitlines() if line.strip()]
    assert len(lines) == len(set(lines))
    assert message.body.lower().count("accept") == 1
    assert message.body.count("link") == 1


@pytest.fixture
def contributor_submission(client, vocabulary, settings):
    """Sent through the form with a file, confirmed; the editors' "new" mail cleared."""
    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post("/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    client.post(link_in(only_mail_to("nare@example.org"), "/submissions/confirm/"))
    mail.outbox.clear()
    return Submission.objects.get()


def _resubmission(submission: Submission) -> dict:
    data = {
        field: getattr(submission, field)
        for field in (
            "full_name", "phone", "professional_title", "affiliation", "bio", "title",
            "summary", "scenario", "actors_other", "assumptions", "outcomes",
        )
    }  # fmt: skip
    moves = list(submission.moves.all())
    data |= {
        "actor_regions": [r.pk for r in submission.actor_regions.all()],
        "proposed_topics": [t.pk for t in submission.proposed_topics.all()],
        "moves-TOTAL_FORMS": str(len(moves)),
        "moves-INITIAL_FORMS": "0",
        "moves-MIN_NUM_FORMS": "1",
        "moves-MAX_NUM_FORMS": "40",
    }
    for i, move in enumerate(moves):
        for field in ("phase", "actor", "action", "expected_response"):
            data[f"moves-{i}-{field}"] = getattr(move, field)
    data["outcomes"] = "Trade falls by half; Yerevan looks north."
    return data


def test_editors_are_emailed_when_the_contributor_resubmits(client, editor, contributor_submission):
    submission = contributor_submission
    services.submission_start_review(submission=submission, by=editor)
    services.submission_request_revision(submission=submission, by=editor, message="Sharper.")
    mail.outbox.clear()
    tracking = submission.link("track").removeprefix("http://testserver")
    assert client.post(tracking, _resubmission(submission)).status_code == 302
    message = only_mail_to(EDITORS)
    assert submission.title in message.subject and "resubmitted" in message.subject.lower()
    assert f"/admin/submissions/submission/{submission.pk}/change/" in message.body
    assert "round 2" in message.body and "Eddie" in message.body
    assert "nare@example.org" not in message.body  # the editors open the admin for details


def test_editors_are_emailed_when_the_contributor_withdraws(client, contributor_submission):
    submission = contributor_submission
    tracking = submission.link("track").removeprefix("http://testserver")
    client.post(tracking + "withdraw/", {"understood": "on"})
    message = only_mail_to(EDITORS)
    assert "withdrawn" in message.subject.lower() and submission.title in message.subject
    assert f"/admin/submissions/submission/{submission.pk}/change/" in message.body
    assert sent_to("nare@example.org") == []
