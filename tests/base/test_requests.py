import pytest

from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=a&topic=%00",
        "/search/?q=drones%00",
        "/topics/drones/?page=%00",
        "/feed/?x=%00",
    ],
)
def test_a_nul_in_a_parameter_is_a_bad_request_not_a_server_error(client, postgres, url):
    """PostgreSQL refuses a NUL in a text value: handed to a filter it was a 500."""
    ArticleFactory(topics=[TopicFactory(slug="drones")])
    response = client.get(url)
    assert response.status_code == 400
    assert "text/html" in response.headers["Content-Type"]


def test_an_api_request_with_a_nul_in_a_parameter_is_answered_in_json(client, postgres):
    response = client.get("/api/v1/articles/?topic=%00")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_an_address_with_a_control_character_is_not_found(client):
    for url in ("/nothing%00/", "/articles/x/cite.bib%00", "/follow/manage/x%1b/"):
        assert client.get(url).status_code == 404
