import datetime
import os
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from articles import services as articles
from articles.models import Author
from submissions import services
from submissions.models import Attachment, Submission, SubmissionEvent
from tests.factories import AuthorFactory, SubmissionFactory
from tests.mail import link_in, only_mail_to
from tests.submissions.conftest import filled_submission_form, pdf

pytestmark = pytest.mark.django_db

Status = Submission.Status


@pytest.fixture
def submitted(client, vocabulary, settings):
    """A submission the contributor sent with a PDF and confirmed."""
    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post("/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    client.post(link_in(only_mail_to("nare@example.org"), "/submissions/confirm/"))
    mail.outbox.clear()
    return Submission.objects.get()


def _in_status(status: str, **kwargs) -> Submission:
    return SubmissionFactory(status=status, **kwargs)


def _run(name: str, submission: Submission, editor) -> None:
    """Make the move `name` as the person who makes it (editor or contributor)."""
    message = {"message": "A message for the contributor."}
    calls = {
        "confirm": lambda: services.submission_confirm(submission=submission) or _refuse(),
        "start_review": lambda: services.submission_start_review(submission=submission, by=editor),
        "request_revision": lambda: services.submission_request_revision(
            submission=submission, by=editor, **message
        ),
        "resubmit": lambda: services.submission_resubmit(
            submission=submission, data={}, moves=[], files=[], removed=[]
        ),
        "accept": lambda: services.submission_accept(submission=submission, by=editor, **message),
        "reject": lambda: services.submission_reject(submission=submission, by=editor, **message),
        "withdraw": lambda: services.submission_withdraw(submission=submission),
        "mark_spam": lambda: services.submission_mark_spam(submission=submission, by=editor),
    }
    calls[name]()


def _refuse():
    raise services.TransitionError("already confirmed")


MOVES = {
    "confirm": Status.SUBMITTED,
    "start_review": Status.IN_REVIEW,
    "request_revision": Status.REVISION_REQUESTED,
    "resubmit": Status.RESUBMITTED,
    "accept": Status.ACCEPTED,
    "reject": Status.REJECTED,
    "withdraw": Status.WITHDRAWN,
    "mark_spam": Status.SPAM,
}


@pytest.mark.parametrize("source", Status.values)
@pytest.mark.parametrize("name", MOVES)
def test_the_transition_table_every_allowed_and_every_refused_move(
    source, name, editor, django_capture_on_commit_callbacks
):
    submission = _in_status(source)
    allowed = services.TRANSITIONS.get((source, MOVES[name]))
    allowed = allowed is not None and allowed.name == name
    if allowed:
        with django_capture_on_commit_callbacks(execute=True):
            _run(name, submission, editor)
        submission.refresh_from_db()
        assert submission.status == MOVES[name]
        event = submission.events.get()
        assert (event.from_status, event.to_status) == (source, MOVES[name])
    else:
        with pytest.raises(services.TransitionError):
            _run(name, submission, editor)
        submission.refresh_from_db()
        assert submission.status == source
        assert not SubmissionEvent.objects.exists()


def test_contributors_cannot_make_editors_moves():
    submission = _in_status(Status.SUBMITTED)
    with pytest.raises(services.TransitionError, match="Only editors"):
        services.submission_start_review(submission=submission, by=None)


def test_the_queue_holds_confirmed_submissions_oldest_first(editor_client):
    old = _in_status(Status.SUBMITTED)
    Submission.objects.filter(pk=old.pk).update(
        confirmed_at=timezone.now() - datetime.timedelta(days=9)
    )
    new = _in_status(Status.IN_REVIEW)
    hidden = _in_status(Status.UNCONFIRMED, confirmed_at=None)
    page = editor_client.get("/admin/submissions/submission/").text
    assert page.index(old.title) < page.index(new.title)
    assert hidden.title not in page
    assert "9 days" in page
    waiting = editor_client.get("/admin/submissions/submission/?waiting=7").text
    assert old.title in waiting and new.title not in waiting
    assert (
        editor_client.get(f"/admin/submissions/submission/{hidden.pk}/change/").status_code == 302
    )


def test_editor_reviews_requests_a_revision_and_the_contributor_revises(
    client, editor_client, submitted, editor
):
    change = f"/admin/submissions/submission/{submitted.pk}/change/"
    detail = editor_client.get(change).text
    assert "nare@example.org" in detail and "+37410123456" in detail
    assert "Action number 2" in detail and "annex.pdf" in detail
    editor_client.post(f"/admin/submissions/submission/{submitted.pk}/move/start_review/", {})
    editor_client.post(
        f"/admin/submissions/submission/{submitted.pk}/move/request_revision/",
        {"message": "Please add a move for Russia.", "internal_note": "Promising."},
    )
    submitted.refresh_from_db()
    assert (submitted.status, submitted.assignee) == (Status.REVISION_REQUESTED, editor)
    message = only_mail_to("nare@example.org")
    assert "Please add a move for Russia." in message.body
    tracking = link_in(message, "/submissions/track/")

    page = client.get(tracking).text
    assert "Please add a move for Russia." in page
    assert "Promising." not in page  # internal notes never reach the contributor
    data = {
        **_revision_form(submitted),
        "moves-TOTAL_FORMS": "3",
        "moves-2-phase": "Week 2",
        "moves-2-actor": "Russia",
        "moves-2-action": "Offers to mediate",
        "moves-2-expected_response": "Yerevan declines",
        "scenario": "## Setting\n\nA landslide closes the only road south for a month.",
        "remove_attachment": [str(submitted.attachments.get().pk)],
        "attachments": [pdf("annex-v2.pdf")],
    }
    response = client.post(tracking, data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.round) == (Status.RESUBMITTED, 2)
    assert submitted.moves.count() == 3
    assert submitted.versions.get().data["scenario"].endswith("closed by a landslide.")
    current = [a.original_name for a in submitted.attachments.filter(removed_in_round=None)]
    assert current == ["annex-v2.pdf"]

    detail = editor_client.get(change).text
    assert "Round 1 → round 2" in detail
    assert re.search(r"<ins>[^<]*Offers to mediate", detail)
    assert re.search(r"<ins>[^<]*landslide closes", detail)
    assert re.search(r"<del>[^<]*annex\.pdf", detail)


def _revision_form(submission: Submission) -> dict:
    moves = list(submission.moves.all())
    data = {
        "full_name": submission.full_name,
        "phone": submission.phone,
        "professional_title": submission.professional_title,
        "affiliation": submission.affiliation,
        "bio": submission.bio,
        "title": submission.title,
        "summary": submission.summary,
        "scenario": submission.scenario,
        "actor_regions": [r.pk for r in submission.actor_regions.all()],
        "actors_other": submission.actors_other,
        "assumptions": submission.assumptions,
        "outcomes": submission.outcomes,
        "proposed_topics": [t.pk for t in submission.proposed_topics.all()],
        "moves-TOTAL_FORMS": str(len(moves)),
        "moves-INITIAL_FORMS": "0",
        "moves-MIN_NUM_FORMS": "1",
        "moves-MAX_NUM_FORMS": "40",
    }
    for i, move in enumerate(moves):
        for field in ("phase", "actor", "action", "expected_response"):
            data[f"moves-{i}-{field}"] = getattr(move, field)
    return data


def test_accept_makes_a_draft_article_and_publishing_it_tells_the_contributor(
    client, editor_client, submitted, editor, django_capture_on_commit_callbacks
):
    earlier = AuthorFactory(name="N. Hakobyan", email="nare@example.org", title="Intern")
    services.submission_start_review(submission=submitted, by=editor)
    response = editor_client.post(
        f"/admin/submissions/submission/{submitted.pk}/move/accept/",
        {"message": "Accepted with thanks.", "confirmed": "1"},
    )
    submitted.refresh_from_db()
    article = submitted.article
    assert response["Location"] == f"/admin/articles/article/{article.pk}/change/"
    assert (article.status, article.kind) == ("draft", "simulation")
    assert article.ordered_authors() == [earlier]  # matched by e-mail, not duplicated
    earlier.refresh_from_db()
    assert earlier.title == "Research Associate"  # the title they gave with this submission
    assert Author.objects.filter(email="nare@example.org").count() == 1
    assert [m.action for m in article.moves.all()] == ["Action number 1", "Action number 2"]
    assert {t.slug for t in article.topics.all()} == {"corridors"}
    assert "Accepted with thanks." in only_mail_to("nare@example.org").body
    assert client.get(article.get_absolute_url()).status_code == 404  # still a draft

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    published = only_mail_to("nare@example.org")
    assert article.get_absolute_url() in published.body


def test_one_contributor_cannot_open_anothers_submission_or_file(client, submitted, vocabulary):
    other = _in_status(Status.SUBMITTED)
    mine = submitted.link("track").removeprefix("http://testserver")
    attachment = submitted.attachments.get()
    assert client.get(f"{mine}files/{attachment.pk}/").status_code == 200
    foreign = Attachment.objects.create(
        submission=other, file=pdf("secret.pdf"), original_name="secret.pdf", kind="pdf", size=10
    )
    assert client.get(f"{mine}files/{foreign.pk}/").status_code == 404
    assert client.get(f"/submissions/track/{'x' * 43}/").status_code == 404
    assert client.get(mine[:-4] + "abc/").status_code == 404


def test_attachments_download_only_through_the_permission_checked_view(
    client, writer_client, editor_client, submitted
):
    attachment = submitted.attachments.get()
    url = f"/admin/submissions/submission/{submitted.pk}/attachments/{attachment.pk}/"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    assert client.get("/media/" + attachment.file.name).status_code == 404
    assert writer_client.get(url).status_code in (403, 404)
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="annex.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_contributor_withdraws_before_a_decision(client, submitted):
    tracking = submitted.link("track").removeprefix("http://testserver")
    assert client.post(tracking + "withdraw/", {"understood": "on"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.WITHDRAWN
    assert "Withdraw my submission" not in client.get(tracking).text


def test_unconfirmed_submissions_expire_with_their_files(client, vocabulary, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post("/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    submission = Submission.objects.get()
    path = submission.attachments.get().file.path
    confirm = link_in(only_mail_to("nare@example.org"), "/submissions/confirm/")
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        response = client.get(confirm)
        assert response.status_code == 410 and "expired" in response.text
        assert services.purge_expired() == {"deleted_unconfirmed": 1, "purged": 0}
    assert not Submission.objects.exists()
    assert not os.path.exists(path)


def test_rejected_personal_data_is_purged_after_the_retention_period(submitted, editor):
    services.submission_reject(submission=submitted, by=editor, message="No, thank you.")
    path = submitted.attachments.get().file.path
    with time_machine.travel(timezone.now() + datetime.timedelta(days=179)):
        assert services.purge_expired()["purged"] == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=181)):
        assert services.purge_expired()["purged"] == 1
    submitted.refresh_from_db()
    assert (submitted.email, submitted.phone, submitted.full_name) == ("", "", "(removed)")
    assert not submitted.attachments.exists()
    assert not os.path.exists(path)


def test_editors_hear_weekly_about_submissions_waiting_more_than_a_week(submitted, settings):
    assert services.editors_waiting_digest() == 0
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        assert services.editors_waiting_digest() == 1


def test_contributors_details_never_reach_a_public_page(client, submitted, editor):
    services.submission_start_review(submission=submitted, by=editor)
    article = services.submission_accept(submission=submitted, by=editor, message="Yes.")
    articles.article_publish(article=article, by=editor)
    for url in ("/", article.get_absolute_url(), "/authors/nare-hakobyan/", "/topics/corridors/"):
        page = client.get(url).text
        assert "nare@example.org" not in page and "37410123456" not in page, url
    assert "Research Associate" in client.get(article.get_absolute_url()).text
