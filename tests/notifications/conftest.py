import contextlib
import os

import pytest
from django.core.cache import cache

from newsroom.celery import app as celery_app
from tests.conftest import missing_service
from tests.smtp import SmtpServer
from tests.workers import CeleryWorker


def point_celery_at(url: str | None) -> None:
    """Make this process publish to the broker at `url` from now on (None: the configured one).

    Celery prefers the CELERY_BROKER_URL environment variable to `conf.broker_url`, but it
    consults `broker_write_url` before either.
    """
    celery_app.conf.broker_write_url = url
    celery_app.conf.broker_read_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the follow limits count in the cache
    yield
    cache.clear()


@pytest.fixture
def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        missing_service("needs a broker and a Celery worker: set CELERY_BROKER_URL")
    return url


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def real_delivery(postgres, transactional_db, broker_url, settings):
    """This process hands tasks to the broker instead of running them itself."""
    saved = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFICATIONS_RESEND_AFTER = 0
    point_celery_at(broker_url)
    with celery_app.connection_for_write() as connection:
        celery_app.control.purge(connection=connection)
    yield
    celery_app.conf.task_always_eager = saved
    point_celery_at(None)


# What the worker process is told, to keep retries and leases within a test's patience.
WORKER_SETTINGS = {
    "NOTIFICATIONS_RETRY_BASE_SECONDS": "0.2",
    "NOTIFICATIONS_RETRY_MAX_SECONDS": "1",
    "NOTIFICATIONS_MAX_ATTEMPTS": "4",
    "NOTIFICATIONS_LEASE_SECONDS": "3",
}


@pytest.fixture
def start_worker(real_delivery, smtp, artifacts_dir, broker_url):
    """Start real Celery workers that send through the test's SMTP server."""
    workers: list[CeleryWorker] = []

    def start(url: str = broker_url) -> CeleryWorker:
        worker = CeleryWorker(
            broker_url=url, log_dir=artifacts_dir, EMAIL_URL=smtp.url, **WORKER_SETTINGS
        )
        workers.append(worker.start())
        return worker

    yield start
    for worker in workers:
        with contextlib.suppress(Exception):
            worker.stop()
