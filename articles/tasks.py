from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def publish_due() -> int:
    """Beat runs this every minute; see `services.publish_due`."""
    return len(services.publish_due())
