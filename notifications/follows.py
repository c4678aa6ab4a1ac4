"""Reader follows: asking for alerts, confirming the address, managing, unsubscribing.

Nothing but the confirmation is ever sent to an address that has not been confirmed, and
what the follow page says never reveals whether an address was already known.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import Region, Topic
from outbox.models import Notification
from outbox.services import notifications_forget, notify

from .alerts import ARTICLE_PUBLISHED
from .alerts import WEEKLY_DIGEST as DIGEST
from .models import Follower

FOLLOW_CONFIRM = "follow.confirm"
FOLLOW_MANAGE_LINK = "follow.manage_link"


@dataclass(frozen=True)
class Choice:
    topics: list[Topic]
    regions: list[Region]
    frequency: str
    language: str = ""  # of the mails; empty keeps the one chosen before


@transaction.atomic
def follower_request(*, email: str, choice: Choice) -> None:
    """Someone asked for alerts for `email` on the follow page.

    A new or unconfirmed address gets a confirmation link and its choice is kept for when
    it confirms. A confirmed address is not changed from an unauthenticated page: its owner
    gets the link to their own manage page instead.
    """
    email = email.strip().lower()
    follower, _ = Follower.objects.select_for_update().get_or_create(email=email)
    window = int(timezone.now().timestamp() // settings.FOLLOW_REQUEST_COOLDOWN.total_seconds())
    if follower.is_active:
        notify(
            event=FOLLOW_MANAGE_LINK,
            key=f"{FOLLOW_MANAGE_LINK}:{follower.pk}:{window}",
            recipient=follower.email,
            template="follow_manage_link",
            # In the language of the page just used: that is the language the person reads now.
            context={
                "manage_url": follower.link("manage"),
                "reader_language": choice.language or follower.language,
            },
        )
        return
    _apply(follower, choice)
    if follower.unsubscribed_at is not None:
        # Coming back after unsubscribing: the address has to be confirmed again.
        follower.unsubscribed_at = None
        follower.confirmed_at = None
        follower.save(update_fields=["unsubscribed_at", "confirmed_at"])
    notify(
        event=FOLLOW_CONFIRM,
        key=f"{FOLLOW_CONFIRM}:{follower.pk}:{window}",
        recipient=follower.email,
        template="follow_confirm",
        context={
            "confirm_url": follower.link("confirm"),
            "topics": [t.name_in(follower.language) for t in choice.topics],
            "regions": [r.name_in(follower.language) for r in choice.regions],
            "reader_language": follower.language,
        },
    )


def _apply(follower: Follower, choice: Choice) -> None:
    follower.frequency = choice.frequency
    follower.language = choice.language or follower.language
    follower.save(update_fields=["frequency", "language"])
    follower.topics.set(choice.topics)
    follower.regions.set(choice.regions)


def follower_confirm(*, follower: Follower) -> bool:
    """Confirm the address; False when it was already confirmed (a second click)."""
    updated = Follower.objects.filter(
        pk=follower.pk, confirmed_at__isnull=True, unsubscribed_at__isnull=True
    ).update(confirmed_at=timezone.now())
    follower.refresh_from_db()
    return bool(updated)


@transaction.atomic
def follower_update(*, follower: Follower, choice: Choice) -> None:
    _apply(follower, choice)


def follower_unsubscribe(*, follower: Follower) -> bool:
    """Stop every alert to this address; False when it was already unsubscribed."""
    updated = Follower.objects.filter(pk=follower.pk, unsubscribed_at__isnull=True).update(
        unsubscribed_at=timezone.now()
    )
    follower.refresh_from_db()
    return bool(updated)


def followers_purge_unsubscribed(*, now: datetime.datetime | None = None) -> int:
    """Forget readers who unsubscribed longer ago than the retention period, and what the
    outbox kept of the mails they were sent."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.SUBMISSIONS_RETENTION_DAYS)
    purged = 0
    for follower in Follower.objects.filter(unsubscribed_at__lt=cutoff).iterator():
        with transaction.atomic():
            notifications_forget(
                rows=Notification.objects.filter(
                    recipient__iexact=follower.email,
                    event__in=[FOLLOW_CONFIRM, FOLLOW_MANAGE_LINK, ARTICLE_PUBLISHED, DIGEST],
                )
            )
            follower.delete()
        purged += 1
    return purged
