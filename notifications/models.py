import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def _new_secret() -> str:
    return secrets.token_urlsafe(24)


class Follower(models.Model):
    """A reader who gets alerts for some topics and regions (after confirming the address)."""

    class Frequency(models.TextChoices):
        # Offered to readers on the follow form, in the page's language (locale/).
        IMMEDIATE = "immediate", _("As soon as an article is published")
        WEEKLY = "weekly", _("A weekly digest")

    email = models.EmailField(unique=True)
    # The key of the reader's confirm, manage and unsubscribe links.
    secret = models.CharField(max_length=64, unique=True, default=_new_secret, editable=False)
    topics = models.ManyToManyField("articles.Topic", blank=True, related_name="followers")
    regions = models.ManyToManyField("articles.Region", blank=True, related_name="followers")
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The language of every mail the reader gets (a code of LANGUAGES; no fixed choices, so
    # adding a language is no migration). The follow form offers the page's language.
    language = models.CharField(max_length=10, default="en")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None

    def link(self, name: str) -> str:
        """The absolute URL of the reader's `confirm`, `manage` or `unsubscribe` page, in the
        language of the reader's mails."""
        with translation.override(self.language):
            return settings.SITE_URL + reverse(f"notifications:{name}", args=[self.secret])


class WebhookEndpointQuerySet(models.QuerySet):
    def failing(self) -> "WebhookEndpointQuerySet":
        """Endpoints whose latest delivery failed, and those the newsroom had to disable."""
        latest = WebhookDelivery.objects.filter(endpoint=models.OuterRef("pk")).order_by(
            "-attempted_at", "-id"
        )
        last_code = models.Subquery(latest.values("status_code")[:1])
        return self.annotate(
            last_code=last_code,
            last_attempt=models.Subquery(latest.values("attempted_at")[:1]),
        ).filter(
            models.Q(
                models.Q(last_code__isnull=True)
                | models.Q(last_code__lt=200)
                | models.Q(last_code__gte=300),
                last_attempt__isnull=False,
                is_active=True,
            )
            | models.Q(is_active=False, disabled_reason__gt="")
        )


class WebhookEndpoint(models.Model):
    """A partner's URL that is told when articles are published, updated or unpublished."""

    class Event(models.TextChoices):
        PUBLISHED = "article.published", "article.published"
        UPDATED = "article.updated", "article.updated"
        UNPUBLISHED = "article.unpublished", "article.unpublished"

    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=100, default=_new_secret, help_text="Signs every delivery (HMAC-SHA256)."
    )
    events = models.JSONField(default=list, help_text="The events this endpoint receives.")
    is_active = models.BooleanField("active", default=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One attempt to deliver an event to an endpoint: the log editors read."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    notification = models.ForeignKey(
        "outbox.Notification", null=True, on_delete=models.SET_NULL, related_name="webhook_attempts"
    )
    event = models.CharField(max_length=40)
    event_id = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    attempted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}: {self.status_code or self.error}"
