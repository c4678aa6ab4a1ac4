"""A writer's read-only view of a colleague's article: the article as readers will see it,
and nothing about saving, autosave or a copy kept in the browser."""

import html

import pytest

from tests.factories import ArticleFactory, AuthorFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "## The Aras crossings\n\nDrills near **Jolfa** in October.[^1]\n\n[^1]: Ministry figures."
SAVING_WORDS = ("press Save", "kept in this browser", "save themselves", "data-autosave")


def colleagues_draft():
    return ArticleFactory(
        draft=True,
        title="Exercises on the Aras",
        dek="What Tehran meant by the October drills.",
        body=BODY,
        authors=[AuthorFactory(name="Nigar Rzayeva")],
        created_by=UserFactory(username="nigar"),
    )


def test_writer_reads_a_colleagues_draft_as_readers_will_see_it(writer_client):
    article = colleagues_draft()

    response = writer_client.get(f"/admin/articles/article/{article.pk}/change/")

    assert response.status_code == 200
    page = response.text
    frame = html.unescape(page.split('srcdoc="', 1)[1].split('"></iframe>', 1)[0])
    assert "<h1>Exercises on the Aras</h1>" in frame
    assert "What Tehran meant by the October drills." in frame
    assert "Nigar Rzayeva" in frame
    assert "The Aras crossings</h2>" in frame and "<strong>Jolfa</strong>" in frame
    assert 'class="footnotes"' in frame
    assert "## The Aras crossings" not in page  # no raw Markdown
    assert "You can read this article but not change it" in page
    for words in SAVING_WORDS:
        assert words not in page


def test_writer_reads_a_published_article_without_autosave_wording(writer_client):
    article = ArticleFactory(title="Published by the desk", body=BODY)

    page = writer_client.get(f"/admin/articles/article/{article.pk}/change/").text

    assert "only editors change it" in page
    assert "The Aras crossings" in html.unescape(page)
    for words in SAVING_WORDS:
        assert words not in page


def test_the_writers_own_draft_is_still_the_editor(writer, writer_client):
    article = ArticleFactory(draft=True, body=BODY, created_by=writer)

    page = writer_client.get(f"/admin/articles/article/{article.pk}/change/").text

    assert "md-editor" in page and "data-autosave" in page
    assert "You can read this article but not change it" not in page
