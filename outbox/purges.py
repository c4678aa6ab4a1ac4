"""Purge rows: "the pages tagged with these keys changed", written in the change's transaction.

The transport that sends them to Varnish or a CDN is a channel above the articles
(`notifications.purges`); here is only what any app may write, and the admin mixin for
things edited straight in the admin (authors, series, topics, regions, calls). Without a
configured cache (settings.HTTP_CACHE_PURGE empty, the embedded run) nothing is written.
"""

import uuid
from collections.abc import Iterable

from django.conf import settings

from base.httpcache import object_keys

from .models import Notification
from .services import notify

PURGE = "purge"  # the channel's name in settings.OUTBOX_TRANSPORTS
PURGE_EVENT = "cache.purge"
RECIPIENT = "HTTP cache"  # what the outbox's admin shows as the row's recipient


def purging() -> bool:
    return bool(settings.HTTP_CACHE_PURGE)


def purge_row(*, keys: Iterable[str], key: str, event: str = PURGE_EVENT) -> Notification:
    """A purge row that is not written yet (for an audience to bulk-create)."""
    return Notification(event=event, channel=PURGE, key=key, context={"keys": sorted(set(keys))})


def purge(*, keys: Iterable[str], reason: str) -> Notification | None:
    """Purge `keys` once the current transaction commits; `reason` names the change."""
    keys = sorted(set(keys))
    if not purging() or not keys:
        return None
    return notify(
        event=PURGE_EVENT,
        channel=PURGE,
        key=f"{PURGE}:{reason}:{uuid.uuid4().hex}",
        recipient=RECIPIENT,
        context={"keys": keys},
    )


class PurgesTagsAdmin:
    """For the admins of things pages show by name (an author's byline, a topic's link):
    every save or delete purges the pages tagged with the object, after the commit.
    `purge_keys` may add the keys of other pages showing it (the cards of its articles)."""

    def purge_keys(self, obj) -> list[str]:
        return object_keys(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        purge(keys=self.purge_keys(obj), reason=f"{obj._meta.model_name}.saved")

    def delete_model(self, request, obj):
        keys = self.purge_keys(obj)  # before the delete forgets the primary key
        super().delete_model(request, obj)
        purge(keys=keys, reason=f"{obj._meta.model_name}.deleted")

    def delete_queryset(self, request, queryset):
        keys = [key for obj in queryset for key in self.purge_keys(obj)]
        super().delete_queryset(request, queryset)
        purge(keys=keys, reason=f"{queryset.model._meta.model_name}.deleted")
