"""The fan-out transport: one row that stands for "tell everyone concerned".

Delivering it asks each audience named for its event (settings.OUTBOX_AUDIENCES) for the
rows it wants written: reader alerts, partners' webhooks, the contributor whose simulation
it was, a purge of the HTTP cache. The rows are written at once, keyed so that a second
expansion (a worker that died half-way) writes nothing twice, and handed over after commit.
"""

from django.db import transaction

from .models import Notification
from .services import enqueue
from .transports import Transport, audiences_for


class FanOutTransport(Transport):
    def send(self, row: Notification) -> None:
        with transaction.atomic():
            rows = [each for audience in audiences_for(row.event) for each in audience(row)]
            Notification.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            ids = list(
                Notification.objects.filter(
                    key__in=[each.key for each in rows], status=Notification.Status.PENDING
                ).values_list("pk", flat=True)
            )
            transaction.on_commit(lambda: enqueue(ids))
