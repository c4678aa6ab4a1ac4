"""The table from channel name to transport, and what a transport is.

Which transports exist is the project's choice (settings.OUTBOX_TRANSPORTS), so the outbox
never imports a channel: the channels sit above it and import it.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.module_loading import import_string

from .models import Notification

Done = Callable[[Notification, Exception | None], None]


class UnknownChannel(LookupError):
    """A row names a channel that no transport delivers (settings.OUTBOX_TRANSPORTS)."""


class Transport:
    """Delivers the rows of one channel.

    `deliver` reports the outcome of every row through `done(row, error)`, with None when the
    row was delivered; `is_transient` says whether an error is worth another try later.
    """

    def deliver(self, rows: list[Notification], done: Done) -> None:
        for row in rows:
            try:
                self.send(row)
            except Exception as error:  # a bug in one delivery must not stop the batch
                done(row, error)
            else:
                done(row, None)

    def send(self, row: Notification) -> None:
        raise NotImplementedError

    def is_transient(self, error: Exception) -> bool:
        # A missing template, a bad context, a bug: a deploy may fix it, and
        # NOTIFICATIONS_MAX_ATTEMPTS bounds the tries.
        return True


@functools.cache
def transport_for(channel: str) -> Transport:
    path = settings.OUTBOX_TRANSPORTS.get(channel)
    if path is None:
        raise UnknownChannel(f"No transport delivers the channel {channel!r}.")
    return import_string(path)()


@functools.cache
def audiences_for(event: str) -> list[Callable]:
    """Who is concerned by `event`: callables named in settings.OUTBOX_AUDIENCES."""
    return [import_string(path) for path in settings.OUTBOX_AUDIENCES.get(event, ())]


@receiver(setting_changed)
def _forget(setting: str, **kwargs) -> None:
    if setting in ("OUTBOX_TRANSPORTS", "OUTBOX_AUDIENCES"):
        transport_for.cache_clear()
        audiences_for.cache_clear()
