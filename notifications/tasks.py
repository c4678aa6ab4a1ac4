from celery import shared_task

from . import alerts, follows


@shared_task(ignore_result=True)
def send_weekly_digests() -> int:
    return alerts.weekly_digests()


@shared_task(ignore_result=True)
def purge_unsubscribed_followers() -> int:
    return follows.followers_purge_unsubscribed()
