import pytest
from django.core.cache import cache

from base.api_keys import ReadThrottle
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_a_minute(monkeypatch):
    monkeypatch.setattr(ReadThrottle, "THROTTLE_RATES", {"anon": "3/min", "key": "100/min"})
    cache.clear()
    ArticleFactory()
    yield
    cache.clear()


def _use_up(client, **headers) -> None:
    for _ in range(3):
        assert client.get("/api/v1/articles/", **headers).status_code == 200
    assert client.get("/api/v1/articles/", **headers).status_code == 429


def test_a_made_up_forwarded_header_does_not_lift_the_limit(client, settings):
    settings.PROXY_COUNT = 0
    _use_up(client)
    answers = {
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(100)
    }
    assert answers == {429}


def test_behind_one_proxy_each_client_has_its_own_limit(client, settings):
    settings.PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    _use_up(client, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    # Another reader behind the same proxy is not blocked by the first one.
    assert (
        client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy).status_code
        == 200
    )
    # The first reader cannot escape by prepending addresses of their own.
    forged = client.get("/api/v1/articles/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.1", **proxy)
    assert forged.status_code == 429
