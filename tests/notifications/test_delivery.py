"""Delivery through a real Redis broker, a real Celery worker process and a real SMTP server."""

import time
from email import message_from_bytes

import pytest

from outbox import services
from outbox.models import Notification
from tests.conftest import missing_service
from tests.factories import TopicFactory
from tests.notifications.conftest import point_celery_at
from tests.redis_server import RedisServer

pytestmark = pytest.mark.django_db(transaction=True)


def _follow(client, email: str = "reader@example.org"):
    topic = TopicFactory(slug="drones")
    return client.post("/follow/", {"email": email, "topics": [topic.pk], "frequency": "immediate"})


def _wait_for_status(row: Notification, status: str, timeout: float = 30) -> Notification:
    deadline = time.monotonic() + timeout
    while True:
        row.refresh_from_db()
        if row.status == status:
            return row
        if time.monotonic() > deadline:
            raise AssertionError(f"still {row.status} after {timeout}s: {row.last_error}")
        time.sleep(0.1)


def _recipients(messages: list[bytes]) -> list[str]:
    return [message_from_bytes(m)["To"] for m in messages]


def test_a_follow_is_confirmed_by_mail_through_the_worker(client, start_worker, smtp):
    start_worker()
    _follow(client)
    smtp.sink.wait_for(1)
    message = message_from_bytes(smtp.sink.messages[0])
    assert message["To"] == "reader@example.org"
    assert message["Subject"] == "Confirm your alerts from the Caucasus Center"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    assert _wait_for_status(Notification.objects.get(), "sent").attempts == 1


def test_broker_down_at_the_moment_of_a_change_loses_nothing(client, start_worker, smtp, tmp_path):
    broker = RedisServer(tmp_path)
    if not broker.available:
        missing_service("needs redis-server to stop and start a broker of the test's own")
    broker.start()
    try:
        start_worker(broker.url)
        point_celery_at(broker.url)
        broker.stop()  # the outage

        started = time.monotonic()
        response = _follow(client)
        elapsed = time.monotonic() - started
        assert response.status_code == 302, "the change is saved and the reader answered"
        assert elapsed < 5, f"the request took {elapsed:.1f}s with the broker down"
        row = Notification.objects.get(event="follow.confirm")
        assert row.status == "pending"
        time.sleep(1)
        assert smtp.sink.messages == []

        broker.start()  # the broker is back; the beat task hands the row over again
        deadline = time.monotonic() + 30
        while not smtp.sink.messages and time.monotonic() < deadline:
            services.resend_pending()
            time.sleep(1)
        smtp.sink.wait_for(1)
        _wait_for_status(row, "sent")
        time.sleep(2)  # a second copy would have arrived by now
        assert _recipients(smtp.sink.messages) == ["reader@example.org"]
    finally:
        broker.stop()


def test_worker_killed_in_the_middle_of_a_delivery_sends_exactly_once(client, start_worker, smtp):
    smtp.sink.stall_once()
    first = start_worker()
    _follow(client)
    assert smtp.sink.stalled.wait(30), "the worker never reached the SMTP server"
    first.kill()  # mid-conversation: the server has not accepted the message
    smtp.sink.release.set()

    row = Notification.objects.get(event="follow.confirm")
    assert (row.status, row.attempts) == ("pending", 1)
    assert smtp.sink.messages == []

    start_worker()
    deadline = time.monotonic() + 30
    while not smtp.sink.messages and time.monotonic() < deadline:
        services.resend_pending()  # takes the row once its lease has run out
        time.sleep(0.5)
    smtp.sink.wait_for(1)
    row = _wait_for_status(row, "sent")
    assert row.attempts == 2
    for _ in range(3):  # the beat task keeps running; nothing more goes out
        services.resend_pending()
        time.sleep(0.5)
    assert _recipients(smtp.sink.messages) == ["reader@example.org"]


def test_temporary_smtp_refusals_are_retried_then_sent(client, start_worker, smtp):
    smtp.sink.refuse("451 4.3.0 Mailbox busy, try again later", times=2)
    start_worker()
    _follow(client)
    smtp.sink.wait_for(1)
    row = _wait_for_status(Notification.objects.get(event="follow.confirm"), "sent")
    assert row.attempts == 3
    assert row.last_error == ""
    assert _recipients(smtp.sink.messages) == ["reader@example.org"]


def test_permanent_refusal_fails_shows_in_the_admin_and_can_be_sent_again(
    client, editor_client, start_worker, smtp
):
    smtp.sink.refuse("451 4.3.0 Mailbox busy, try again later")
    start_worker()
    _follow(client)
    row = _wait_for_status(Notification.objects.get(event="follow.confirm"), "failed")
    assert row.attempts == 4  # NOTIFICATIONS_MAX_ATTEMPTS for the worker
    assert "451" in row.last_error

    page = editor_client.get("/admin/outbox/notification/?status__exact=failed").text
    assert "reader@example.org" in page and "451" in page

    smtp.sink.accept()
    editor_client.post(
        "/admin/outbox/notification/",
        {"action": "resend", "_selected_action": [row.pk]},
    )
    smtp.sink.wait_for(1)
    assert _wait_for_status(row, "sent").attempts == 1
    assert _recipients(smtp.sink.messages) == ["reader@example.org"]


def test_a_5xx_refusal_is_not_retried(client, start_worker, smtp):
    smtp.sink.refuse("550 5.1.1 No such mailbox")
    start_worker()
    _follow(client)
    row = _wait_for_status(Notification.objects.get(event="follow.confirm"), "failed")
    assert row.attempts == 1 and "550" in row.last_error
