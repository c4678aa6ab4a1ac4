from celery import shared_task

from . import services


@shared_task(ignore_result=True, acks_late=True)
def deliver(ids: list[int]) -> None:
    """Deliver a batch of outbox rows; safe to run twice (see `services.deliver`)."""
    services.deliver(ids)


@shared_task(ignore_result=True)
def resend_pending() -> int:
    return services.resend_pending()
