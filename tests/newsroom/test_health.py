import os

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = ""

    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("newsroom.views.connection.cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_checks_a_configured_broker(client, settings):
    from tests.conftest import missing_service

    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        missing_service("needs a broker: set CELERY_BROKER_URL")
    settings.CELERY_BROKER_URL = url
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


def test_healthz_answers_503_promptly_when_the_broker_is_down(client, settings):
    # Nothing listens on port 1: the connection is refused at once.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"
