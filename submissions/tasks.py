from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def purge() -> dict[str, int]:
    return services.purge_expired()


@shared_task(ignore_result=True)
def editors_waiting_digest() -> int:
    return services.editors_waiting_digest()
