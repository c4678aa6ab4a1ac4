import os
import shutil
from pathlib import Path

import pytest
from django.db import connection

REQUIRE_SERVICES = os.environ.get("NEWSROOM_REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


def missing_service(reason: str) -> None:
    """Skip a test whose service is absent, or fail when CI says every service is there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (NEWSROOM_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        missing_service("needs PostgreSQL: set DATABASE_URL")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        missing_service("needs Chromium: apt-get install chromium, or set CHROMIUM_PATH")
    return path


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
