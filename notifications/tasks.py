from celery import shared_task

from . import fan_out, follows, services


@shared_task(ignore_result=True, acks_late=True)
def deliver(ids: list[int]) -> None:
    """Deliver a batch of outbox rows; safe to run twice (see `services.deliver`)."""
    services.deliver(ids)


@shared_task(ignore_result=True)
def resend_pending() -> int:
    return services.resend_pending()


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    return fan_out.weekly_digests()


@shared_task(ignore_result=True)
def purge_unsubscribed_followers() -> int:
    return follows.followers_purge_unsubscribed()
