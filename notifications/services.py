"""The outbox: writing notifications with the change that causes them, and delivering them.

The path every e-mail takes:

1. `notify()` writes a `Notification` row inside the caller's transaction and asks for its
   delivery once that transaction commits. If the broker is down at that moment the row
   simply stays pending.
2. `deliver()` (the Celery task `notifications.tasks.deliver`) takes a batch of rows, claims
   each one with a lease so that two workers do not send the same row at the same time,
   sends them over one SMTP connection, and records the outcome on each row. A row that
   fails, for whatever reason, records its error and the rest of the batch goes on; it is
   retried with exponential backoff and jitter up to NOTIFICATIONS_MAX_ATTEMPTS, then it is
   `failed` (at once for a permanent refusal such as an SMTP 5xx).
3. `resend_pending()` (a beat task, every minute) hands over again every row still pending
   after NOTIFICATIONS_RESEND_AFTER seconds: a broker outage or a killed worker loses nothing.

Delivery is at least once, not exactly once: a worker that dies after the SMTP server took a
message but before the row was marked sent leaves the row to be sent again when its lease
runs out. The copy carries the same Message-ID (from the row's unique key), and a webhook
the same event id, so the receiving side can drop it.
"""

import contextlib
import datetime
import logging
import random
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .emails import build_message, render_email
from .models import Notification

logger = logging.getLogger(__name__)

Status = Notification.Status
FORGOTTEN = "Personal data removed by the retention purge."


def notify(
    *,
    event: str,
    key: str,
    recipient: str = "",
    template: str = "",
    context: dict | None = None,
    headers: dict | None = None,
    channel: str = Notification.Channel.EMAIL,
) -> Notification:
    """Put a message in the outbox, in the current transaction; idempotent on `key`."""
    notification, created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "event": event,
            "channel": channel,
            "recipient": recipient,
            "template": template,
            "context": context or {},
            "headers": headers or {},
        },
    )
    if created:
        transaction.on_commit(lambda: enqueue([notification.pk]))
    return notification


def enqueue(ids: list[int], countdown: float | None = None) -> None:
    """Hand rows to the workers. Never raises: a row that cannot be handed over stays pending."""
    from .tasks import deliver

    for start in range(0, len(ids), settings.NOTIFICATIONS_BATCH_SIZE):
        batch = ids[start : start + settings.NOTIFICATIONS_BATCH_SIZE]
        try:
            deliver.apply_async(args=[batch], countdown=countdown, retry=False)
        except Exception:
            # The broker is unreachable (timeouts are bounded in the settings); the beat
            # task `resend_pending` hands these rows over again once it is back.
            logger.warning("Could not hand %d notification(s) to the broker", len(batch))


def deliver(ids: Iterable[int]) -> None:
    """Deliver the pending rows among `ids`; each row's outcome is recorded on that row."""
    claimed = _claim(ids)
    for notification in claimed:
        if notification.channel == Notification.Channel.FAN_OUT:
            try:
                _expand(notification)
            except Exception as error:
                _record_failure(notification, error)
    emails = [n for n in claimed if n.channel == Notification.Channel.EMAIL]
    if emails:
        _send_emails(emails)
    for notification in claimed:
        if notification.channel == Notification.Channel.WEBHOOK:
            _send_webhook(notification)


def _send_webhook(notification: Notification) -> None:
    from . import webhooks

    try:
        webhooks.deliver(notification)
    except Exception as error:  # a bug in one delivery must not stop the batch
        _record_failure(notification, error)
    else:
        _record_sent(notification)


def _claim(ids: Iterable[int]) -> list[Notification]:
    """Take the rows that are due and free, with a lease; skip rows another worker holds.

    A row that has used up its attempts without an outcome (its worker died each time) is
    marked failed here instead of being tried once more.
    """
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), status=Status.PENDING, next_attempt_at__lte=now)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
            .order_by("pk")
        )
        spent = [row for row in rows if row.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS]
        for row in spent:
            row.status = Status.FAILED
            row.locked_until = None
            row.last_error = (
                f"Gave up after {row.attempts} attempts without an outcome "
                f"(the delivery was interrupted). {row.last_error}"
            ).strip()[:2000]
        Notification.objects.bulk_update(spent, ["status", "locked_until", "last_error"])
        rows = [row for row in rows if row.status == Status.PENDING]
        for row in rows:
            row.locked_until = lease
            row.attempts += 1
        Notification.objects.bulk_update(rows, ["locked_until", "attempts"])
    return rows


def _send_emails(notifications: list[Notification]) -> None:
    """Send over one connection, opened by us so that the backend keeps it for the batch."""
    connection = get_connection()
    is_open = False
    try:
        for notification in notifications:
            try:
                message = _message(notification)
            except Exception as error:  # a missing template, a bad context: this row only
                _record_failure(notification, error)
                continue
            try:
                if not is_open:
                    connection.open()
                    is_open = True
                connection.send_messages([message])
            except Exception as error:  # SMTP refusals, network errors, a bad header
                _record_failure(notification, error)
                with contextlib.suppress(Exception):
                    connection.close()  # the next message gets a fresh connection
                is_open = False
            else:
                _record_sent(notification)
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def _message(notification: Notification):
    if not notification.subject:
        subject, text, html = render_email(notification.template, notification.context)
        # Cut to the column's size here, so that recording the row as sent cannot fail
        # after the message has gone out (and it would go out again).
        subject = subject[: Notification._meta.get_field("subject").max_length]
        notification.subject, notification.body_text, notification.body_html = subject, text, html
    return build_message(
        to=notification.recipient,
        subject=notification.subject,
        text=notification.body_text,
        html=notification.body_html,
        headers=notification.headers,
        key=notification.key,
    )


def _record_sent(notification: Notification) -> None:
    notification.status = Status.SENT
    notification.sent_at = timezone.now()
    notification.locked_until = None
    notification.last_error = ""
    notification.save(
        update_fields=[
            "status", "sent_at", "locked_until", "last_error", "subject", "body_text",
            "body_html", "updated_at",
        ]
    )  # fmt: skip


def _record_failure(notification: Notification, error: Exception) -> None:
    transient = _is_transient(error)
    notification.last_error = f"{type(error).__name__}: {error}"[:2000]
    notification.locked_until = None
    if transient and notification.attempts < settings.NOTIFICATIONS_MAX_ATTEMPTS:
        delay = backoff_seconds(notification.attempts)
        notification.next_attempt_at = timezone.now() + datetime.timedelta(seconds=delay)
        if not settings.CELERY_TASK_ALWAYS_EAGER:
            transaction.on_commit(lambda: enqueue([notification.pk], countdown=delay))
    else:
        notification.status = Status.FAILED
    notification.save(
        update_fields=["status", "last_error", "locked_until", "next_attempt_at", "updated_at"]
    )
    logger.warning(
        "Notification %s (%s) not delivered, attempt %s: %s",
        notification.pk,
        notification.event,
        notification.attempts,
        type(error).__name__,
    )


def _is_transient(error: Exception) -> bool:
    """SMTP: 4xx replies, dropped connections and network errors pass; 5xx replies do not.
    Webhooks say for themselves. Anything else (a missing template, a bad context, a bug) is
    tried again too: a deploy may fix it, and NOTIFICATIONS_MAX_ATTEMPTS bounds it."""
    from .webhooks import PermanentWebhookError, TransientWebhookError

    if isinstance(error, TransientWebhookError | PermanentWebhookError):
        return isinstance(error, TransientWebhookError)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return all(400 <= code < 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    return True


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with full jitter: up to base × 2^(attempt-1), capped."""
    ceiling = min(
        settings.NOTIFICATIONS_RETRY_MAX_SECONDS,
        settings.NOTIFICATIONS_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0),
    )
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311 - not for secrets


def resend_pending(*, now: datetime.datetime | None = None) -> int:
    """Hand over again the rows still pending a while after they were written or retried."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.NOTIFICATIONS_RESEND_AFTER)
    ids = list(
        Notification.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now, updated_at__lte=stale
        )
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .order_by("pk")
        .values_list("pk", flat=True)[: settings.NOTIFICATIONS_RESEND_LIMIT]
    )
    enqueue(ids)
    return len(ids)


def notification_resend(*, notification: Notification) -> None:
    """An editor asks for a failed row to be tried again (from the admin); a row whose
    personal data was purged has nobody left to send to."""
    with transaction.atomic():
        failed = Notification.objects.filter(pk=notification.pk, status=Status.FAILED)
        updated = failed.exclude(last_error=FORGOTTEN).update(
            status=Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            locked_until=None,
            updated_at=timezone.now(),
        )
        if updated:
            transaction.on_commit(lambda: enqueue([notification.pk]))


def notification_send_again(*, notification: Notification) -> Notification:
    """Deliver the same message once more, as a new row (a partner lost a webhook, say)."""
    copy = Notification.objects.create(
        event=notification.event,
        channel=notification.channel,
        recipient=notification.recipient,
        template=notification.template,
        context=notification.context,
        headers=notification.headers,
        key=f"{notification.key}:again:{timezone.now().timestamp()}",
    )
    transaction.on_commit(lambda: enqueue([copy.pk]))
    return copy


def notifications_forget(*, rows: QuerySet[Notification]) -> int:
    """Erase the personal data the outbox keeps in `rows` (the retention purges).

    The address, the context (names, tracking and manage links), the rendered message and
    the error (an SMTP refusal quotes the address) go; the event, the key, the status and
    the dates stay, so the admin still shows that something was sent. A key that holds an
    address (the older format of lost-link mails) is replaced. A row still pending is not
    sent any more.
    """
    return rows.update(
        recipient="",
        context={},
        headers={},
        subject="",
        body_text="",
        body_html="",
        last_error=FORGOTTEN,
        locked_until=None,
        key=Case(
            When(
                key__contains="@",
                then=Concat(F("event"), Value(":forgotten:"), Cast("pk", CharField())),
            ),
            default=F("key"),
        ),
        status=Case(When(status=Status.PENDING, then=Value(Status.FAILED)), default=F("status")),
        updated_at=timezone.now(),
    )


def _expand(notification: Notification) -> None:
    """Deliver a fan-out row: write one row per recipient, then hand those over."""
    from . import fan_out

    with transaction.atomic():
        ids = fan_out.expand(notification)
        notification.status = Status.SENT
        notification.sent_at = timezone.now()
        notification.locked_until = None
        notification.last_error = ""
        notification.save(
            update_fields=["status", "sent_at", "locked_until", "last_error", "updated_at"]
        )
        transaction.on_commit(lambda: enqueue(ids))
