"""Whatever a client sends, the API answers JSON with a message, never a 500 or an HTML page."""

import base64

import pytest
from django.test import override_settings

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _assert_json_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"]
    if field:
        assert body["errors"][field], body
    return body


@pytest.mark.parametrize(
    "cursor",
    [
        "cD1ub3QtYS1kYXRl",  # p=not-a-date: well formed, but not a position of ours
        _cursor("p=2026-13-45 99:00:00+00:00"),
        _cursor("p=9999-12-31 23:59:59-16:32"),  # beyond what a timestamp can hold in UTC
        _cursor("p=2026-05-01 10:00:00"),  # no time zone
        _cursor("o=abc"),
        _cursor("r=maybe"),
        "not base64 at all!",
    ],
)
def test_a_bad_cursor_is_a_400_in_json(client, cursor):
    ArticleFactory()
    body = _assert_json_error(client.get("/api/v1/articles/", {"cursor": cursor}), 400, "cursor")
    assert "next and previous links" in body["errors"]["cursor"][0]


def test_the_cursors_the_api_gives_still_work(client):
    for _ in range(3):
        ArticleFactory()
    first = client.get("/api/v1/articles/", {"page_size": 2}).json()
    second = client.get(first["next"])
    assert second.status_code == 200 and len(second.json()["results"]) == 1
    back = client.get(second.json()["previous"])
    assert back.status_code == 200 and len(back.json()["results"]) == 2


@pytest.mark.parametrize("name", ["published_before", "published_after"])
def test_an_empty_date_is_a_400_not_an_unfiltered_list(client, name):
    ArticleFactory()
    body = _assert_json_error(client.get(f"/api/v1/articles/?{name}="), 400, name)
    assert "ISO 8601" in body["errors"][name][0]


@pytest.mark.parametrize("include", ["", "comments", "markdown,comments", "notmarkdown"])
def test_an_unknown_include_is_a_400(client, include):
    article = ArticleFactory()
    body = _assert_json_error(
        client.get(f"/api/v1/articles/{article.slug}/", {"include": include}), 400, "include"
    )
    assert "markdown" in body["errors"]["include"][0]


def test_include_markdown_still_adds_the_markdown(client):
    article = ArticleFactory(body="## Setting\n\nText.")
    url = f"/api/v1/articles/{article.slug}/"
    assert client.get(url, {"include": "markdown"}).json()["body_markdown"].startswith("## Set")


@override_settings(DEBUG=True)
@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/", "/api/v2/articles/x/"])
def test_unknown_api_addresses_answer_json_even_with_debug_on(client, path):
    _assert_json_error(client.get(path), 404)


@override_settings(DEBUG=True)
def test_an_unknown_api_address_without_its_slash_ends_in_json_too(client):
    _assert_json_error(client.get("/api/v1/nothing-here", follow=True), 404)


def test_an_api_address_without_its_slash_is_still_redirected(client):
    ArticleFactory()
    response = client.get("/api/v1/articles")
    assert response.status_code == 301 and response["Location"] == "/api/v1/articles/"
