import threading

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from outbox.models import Notification
from submissions import views
from submissions.models import Submission, SubmissionEvent
from tests.mail import link_in, only_mail_to
from tests.submissions.conftest import filled_submission_form

Status = Submission.Status


@pytest.fixture
def sent(client, vocabulary, settings):
    """A submission just sent from the form; its confirmation link."""
    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post("/submit/", filled_submission_form(vocabulary))
    link = link_in(only_mail_to("nare@example.org"), "/submissions/confirm/")
    mail.outbox.clear()
    return Submission.objects.get(), link


@pytest.mark.django_db
def test_opening_the_link_changes_nothing_and_the_button_confirms(client, sent):
    submission, link = sent
    page = client.get(link)  # what a mail scanner does
    assert page.status_code == 200
    assert "Confirm my submission" in page.text and 'method="post"' in page.text
    submission.refresh_from_db()
    assert submission.status == Status.UNCONFIRMED and mail.outbox == []

    confirmed = client.post(link)
    submission.refresh_from_db()
    assert submission.status == Status.SUBMITTED
    assert "Your simulation is with the editors" in confirmed.text
    tracking = f"/submissions/track/{submission.tracking_secret}/"
    assert f'href="{tracking}"' in confirmed.text
    assert "Submitted" in client.get(tracking).text


@pytest.mark.django_db
def test_a_used_link_leads_to_the_tracking_page(client, sent):
    submission, link = sent
    client.post(link)
    tracking = f"/submissions/track/{submission.tracking_secret}/"
    for method in (client.get, client.post):
        again = method(link)
        assert again.status_code == 302 and again["Location"] == tracking
    assert SubmissionEvent.objects.filter(to_status=Status.SUBMITTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_once_make_one_event(postgres, vocabulary, settings, monkeypatch):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    Client().post("/submit/", filled_submission_form(vocabulary))
    submission = Submission.objects.get()
    link = f"/submissions/confirm/{submission.confirm_secret}/"
    # Both requests have read the submission, still unconfirmed, before either confirms:
    # the person and a mail scanner clicking at the same moment.
    both_read = threading.Barrier(2, timeout=20)
    by_secret = views._by_secret

    def read_then_wait(field, secret):
        found = by_secret(field, secret)
        both_read.wait()
        return found

    monkeypatch.setattr(views, "_by_secret", read_then_wait)
    answers: list[int] = []
    errors: list[BaseException] = []

    def click():
        try:
            answers.append(Client(raise_request_exception=True).post(link))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    tracking = f"/submissions/track/{submission.tracking_secret}/"
    assert sorted(a.status_code for a in answers) == [200, 302]
    assert next(a for a in answers if a.status_code == 302)["Location"] == tracking
    assert SubmissionEvent.objects.filter(to_status=Status.SUBMITTED).count() == 1
    assert Notification.objects.filter(event="submission.received").count() == 1
    assert Notification.objects.filter(event="submission.new").count() == 1


@pytest.mark.django_db
def test_an_unconfirmed_submissions_files_do_not_download_through_its_tracking_link(
    client, vocabulary, settings
):
    """Until the e-mail link is clicked, nobody has shown the address is theirs: the tracking
    page is not there yet, and neither are the files sent with it."""
    from tests.submissions.conftest import pdf

    settings.SUBMISSIONS_MIN_SECONDS = 0
    client.post("/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    submission = Submission.objects.get()
    attachment = submission.attachments.get()
    tracking = f"/submissions/track/{submission.tracking_secret}/"
    assert client.get(tracking).status_code == 404
    assert client.get(f"{tracking}files/{attachment.pk}/").status_code == 404

    client.post(link_in(only_mail_to("nare@example.org"), "/submissions/confirm/"))
    assert client.get(f"{tracking}files/{attachment.pk}/").status_code == 200
