import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connection
from django.test import Client

from base.roles import EDITORS, WRITERS
from tests.factories import UserFactory

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


# The newsroom's people, one of each role, and a client signed in as each. A client fixture is
# its own `Client`, so a test may hold an editor's browser and an anonymous reader's `client`
# side by side (as pytest-django's `admin_client` is).


@pytest.fixture
def editor(db) -> AbstractBaseUser:
    """Eddie Aliyev, in the Editors group."""
    return UserFactory(username="eddie", first_name="Eddie", last_name="Aliyev", groups=[EDITORS])


@pytest.fixture
def writer(db) -> AbstractBaseUser:
    """Wanda, in the Writers group; she signs nothing until a test makes her an Author."""
    return UserFactory(username="wanda", first_name="Wanda", groups=[WRITERS])


@pytest.fixture
def nino(db) -> AbstractBaseUser:
    """Nino Beridze, a second editor, for two people at work on one article."""
    return UserFactory(username="nino", first_name="Nino", last_name="Beridze", groups=[EDITORS])


@pytest.fixture
def empty_cache():
    """A cache with nothing in it (local memory outlives a test; who has an article open
    is kept there)."""
    cache.clear()


def signed_in(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor) -> Client:
    return signed_in(editor)


@pytest.fixture
def writer_client(writer) -> Client:
    return signed_in(writer)
