"""The outbox: writing notifications with the change that causes them, and delivering them.

The path every row takes:

1. `notify()` writes a `Notification` row inside the caller's transaction and asks for its
   delivery once that transaction commits. If the broker is down at that moment the row
   simply stays pending.
2. `deliver()` (the Celery task `outbox.tasks.deliver`) takes a batch of rows, claims each
   one with a lease so that two workers do not send the same row at the same time, hands
   the rows of each channel to that channel's transport (`outbox.transports`: a table from
   channel name to transport, set in settings) and records the outcome on each row. A row
   that fails, for whatever reason, records its error and the rest of the batch goes on; it
   is retried with exponential backoff and jitter up to NOTIFICATIONS_MAX_ATTEMPTS, then it
   is `failed` (at once when its transport says the error is permanent, an SMTP 5xx say).
3. `resend_pending()` (a beat task, every minute) hands over again every row still pending
   after NOTIFICATIONS_RESEND_AFTER seconds: a broker outage or a killed worker loses nothing.

Delivery is at least once, not exactly once: a worker that dies after the SMTP server took a
message but before the row was marked sent leaves the row to be sent again when its lease
runs out. The copy carries the same Message-ID (from the row's unique key), and a webhook
the same event id, so the receiving side can drop it.
"""

import datetime
import logging
import random
from collections.abc import Iterable
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, F, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .models import EMAIL, FAN_OUT, Notification
from .transports import Transport, UnknownChannel, transport_for

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
    channel: str = EMAIL,
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
    from .tasks import deliver  # the task module imports this one

    for start in range(0, len(ids), settings.NOTIFICATIONS_BATCH_SIZE):
        batch = ids[start : start + settings.NOTIFICATIONS_BATCH_SIZE]
        try:
            deliver.apply_async(args=[batch], countdown=countdown, retry=False)
        except Exception:
            # The broker is unreachable (timeouts are bounded in the settings); the beat
            # task `resend_pending` hands these rows over again once it is back.
            logger.warning("Could not hand %d notification(s) to the broker", len(batch))


def announce(*, event: str, key: str, context: dict) -> Notification:
    """Tell everyone concerned by `event`, in the current transaction: one fan-out row,
    which the audiences named for the event in settings.OUTBOX_AUDIENCES turn into one row
    per recipient when it is delivered (`outbox.fan_out`)."""
    return notify(event=event, key=key, channel=FAN_OUT, context=context)


def deliver(ids: Iterable[int]) -> None:
    """Deliver the pending rows among `ids`; each row's outcome is recorded on that row."""
    claimed = sorted(_claim(ids), key=lambda row: row.channel)
    for channel, rows in groupby(claimed, key=lambda row: row.channel):
        rows = list(rows)
        try:
            transport = transport_for(channel)
        except UnknownChannel as error:
            for row in rows:
                _record_failure(row, error, transient=False)
            continue
        _deliver_with(transport, rows)


def _deliver_with(transport: Transport, rows: list[Notification]) -> None:
    undecided = {row.pk: row for row in rows}

    def done(row: Notification, error: Exception | None = None) -> None:
        undecided.pop(row.pk, None)
        if error is None:
            _record_sent(row)
        else:
            _record_failure(row, error, transient=transport.is_transient(error))

    try:
        transport.deliver(rows, done)
    except Exception as error:  # a bug in a transport must not leave the rest leased
        for row in list(undecided.values()):
            done(row, error)


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


def _record_failure(notification: Notification, error: Exception, *, transient: bool) -> None:
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
