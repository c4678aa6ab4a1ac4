"""The outbox in one process: what a batch does when some of its rows cannot be delivered."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from outbox import services
from outbox.models import Notification
from outbox.services import notify

pytestmark = pytest.mark.django_db


def _mail(name: str, template: str = "follow_manage_link") -> Notification:
    return notify(
        event="follow.manage_link",
        key=f"follow.manage_link:{name}",
        recipient=f"{name}@example.org",
        template=template,
        context={"manage_url": f"http://testserver/follow/manage/{name}/"},
    )


def _after_every_retry():
    return time_machine.travel(timezone.now() + datetime.timedelta(days=1))


def test_a_row_whose_template_is_missing_does_not_stop_the_batch(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    first, broken, third = _mail("ana"), _mail("boris", template="no_such_template"), _mail("cem")

    services.deliver([first.pk, broken.pk, third.pk])

    assert sorted(message.to[0] for message in mail.outbox) == [
        "ana@example.org",
        "cem@example.org",
    ]
    first.refresh_from_db()
    third.refresh_from_db()
    broken.refresh_from_db()
    assert first.status == third.status == "sent"
    assert (broken.status, broken.attempts) == ("pending", 1)
    assert "TemplateDoesNotExist" in broken.last_error
    assert "no_such_template" in broken.last_error

    with _after_every_retry():
        services.deliver([broken.pk])
    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == ("failed", 2)
    assert "no_such_template" in broken.last_error
    assert len(mail.outbox) == 2


def test_a_broken_webhook_row_is_recorded_and_the_mails_of_its_batch_go_out():
    webhook = notify(
        event="article.published",
        key="webhook:broken",
        recipient="https://partner.example/hooks",
        channel="webhook",
        context={},  # no endpoint, no payload: a bug in whatever wrote it
    )
    mail_row = _mail("dali")

    services.deliver([webhook.pk, mail_row.pk])

    assert [message.to for message in mail.outbox] == [["dali@example.org"]]
    webhook.refresh_from_db()
    assert webhook.status == "pending" and "KeyError" in webhook.last_error


def test_a_row_that_used_up_its_attempts_without_an_outcome_is_failed_not_sent(settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    row = _mail("eka")
    # Three workers died while holding it; its last lease has run out.
    Notification.objects.filter(pk=row.pk).update(attempts=3)

    services.deliver([row.pk])
    services.resend_pending(now=timezone.now() + datetime.timedelta(hours=1))

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert "Gave up after 3 attempts" in row.last_error
    assert mail.outbox == []


def test_a_subject_longer_than_its_column_is_sent_once_and_recorded(settings):
    row = notify(
        event="submission.received",
        key="submission.received:long",
        recipient="farid@example.org",
        template="submission_received",
        context={"name": "Farid", "title": "Escalation " * 60, "tracking_url": "http://x/"},
    )

    services.deliver([row.pk])
    services.deliver([row.pk])

    row.refresh_from_db()
    assert row.status == "sent"
    assert len(mail.outbox) == 1


def test_a_row_emptied_by_the_retention_purge_cannot_be_sent_again():
    row = _mail("gia", template="no_such_template")
    Notification.objects.filter(pk=row.pk).update(status="failed")
    services.notifications_forget(rows=Notification.objects.filter(pk=row.pk))

    services.notification_resend(notification=row)

    row.refresh_from_db()
    assert (row.status, row.recipient, row.context) == ("failed", "", {})
    assert row.last_error == services.FORGOTTEN
