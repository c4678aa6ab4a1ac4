"""The outbox's one table."""

from django.db import models
from django.utils import timezone

# The channels the outbox itself delivers; others (webhooks) are named by their apps.
EMAIL = "email"
# A row that stands for "tell everyone concerned": delivering it writes one row per
# recipient (every follower of an article's topics, every partner's endpoint…).
FAN_OUT = "fan_out"


class Notification(models.Model):
    """One message to deliver: a row of the outbox.

    Written in the same transaction as the change that causes it, so that a change is never
    saved without its notifications, nor a notification sent for a change that was rolled
    back. The unique `key` stops a second row for the same event and recipient. Delivery
    (see `outbox.services.deliver`) is at least once: a worker that dies between sending and
    recording leaves the row to be sent again, with the same Message-ID (from the key) or
    webhook event id, so that the receiving side can drop the copy.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    event = models.CharField(max_length=60, db_index=True)
    # Which transport delivers the row: a name in settings.OUTBOX_TRANSPORTS.
    channel = models.CharField(max_length=20, default=EMAIL)
    recipient = models.CharField(max_length=254, blank=True)
    template = models.CharField(max_length=100, blank=True, help_text="under templates/emails/")
    context = models.JSONField(default=dict, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    key = models.CharField("delivery key", max_length=200, unique=True)

    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # While a worker holds the row; a row whose lease ran out is free to take again.
    locked_until = models.DateTimeField(null=True, blank=True)

    subject = models.CharField(max_length=300, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # The table the outbox had when it lived in the notifications app.
        db_table = "notifications_notification"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="notification_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient or 'everyone concerned'}"
