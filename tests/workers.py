"""A real Celery worker, in its own process, on the test database and a real broker."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the database this test process uses (the test database)."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        raise RuntimeError("a separate worker process needs PostgreSQL")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


class CeleryWorker:
    """`celery worker` with one process (pool solo) so that a SIGKILL kills the delivery."""

    def __init__(self, *, broker_url: str, log_dir: Path, **env: str):
        self.name = f"test-{uuid.uuid4().hex[:8]}"
        self.log_path = log_dir / f"worker-{self.name}.log"
        self.env = os.environ | {
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "NEWSROOM_CELERY_WORKER": "1",
            **env,
        }
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> "CeleryWorker":
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "newsroom", "worker",
                "--pool=solo", "--loglevel=INFO", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "--hostname", f"{self.name}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while b" ready." not in self.log_path.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def kill(self) -> None:
        """SIGKILL: no cleanup, no acknowledgement, as when a machine dies."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def log(self) -> str:
        return self.log_path.read_text()
