"""An author is public with their first public article, and not before."""

import feedparser
import pytest

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted_contributor():
    """A contributor whose simulation was accepted: a draft with their byline, nothing public."""
    author = AuthorFactory(name="Nino Contributor", slug="nino-contributor", is_contributor=True)
    ArticleFactory(draft=True, title="Their draft simulation", authors=[author])
    ArticleFactory(future=True, title="Their scheduled simulation", authors=[author])
    return author


def test_author_without_a_public_article_has_no_page(client, accepted_contributor):
    assert client.get("/authors/nino-contributor/").status_code == 404
    assert client.get("/authors/nino-contributor/feed/").status_code == 404


def test_author_without_a_public_article_is_listed_nowhere(client, accepted_contributor):
    ArticleFactory(title="Someone else's piece")
    assert "nino-contributor" not in client.get("/sitemap.xml").text
    slugs = [a["slug"] for a in client.get("/api/v1/authors/").json()]
    assert slugs and "nino-contributor" not in slugs
    assert client.get("/api/v1/authors/nino-contributor/").status_code == 404
    by_author = client.get("/api/v1/articles/", {"author": "nino-contributor"})
    assert by_author.status_code == 400 and "Unknown author" in by_author.text
    for feed in ("/feed/", "/feed/atom/"):
        assert "Nino Contributor" not in client.get(feed).text


def test_author_appears_everywhere_with_their_first_public_article(client, accepted_contributor):
    ArticleFactory(title="Their first published piece", authors=[accepted_contributor])
    page = client.get("/authors/nino-contributor/")
    assert page.status_code == 200 and "Their first published piece" in page.text
    assert "Their draft simulation" not in page.text
    feed = feedparser.parse(client.get("/authors/nino-contributor/feed/").content)
    assert [e.title for e in feed.entries] == ["Their first published piece"]
    assert "/authors/nino-contributor/" in client.get("/sitemap.xml").text
    assert "nino-contributor" in [a["slug"] for a in client.get("/api/v1/authors/").json()]
