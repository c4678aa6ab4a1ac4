"""Control characters (an ESC from a terminal, a form feed from a PDF) are refused where
titles and names are typed, with a message that says which one and where."""

import pytest

from articles.models import Article, Author, Topic
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db

ESC = "\x1b"
FORM_FEED = "\x0c"


def _change(client, url: str, form_id: str, **changes: str):
    data = form_as_shown(client.get(url).text, form_id)
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def test_the_admin_refuses_an_article_title_with_an_escape_and_keeps_what_was_typed(
    editor_client,
):
    article = ArticleFactory(draft=True, title="Iran and the Aras border")
    url = f"/admin/articles/article/{article.pk}/change/"
    typed = f"Iran and the {ESC}[1mAras{ESC}[0m border"
    response = _change(editor_client, url, "article_form", title=typed)
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["title"][0]
    assert error.startswith(
        "This contains an invisible control character, U+001B (escape) at position 14 and 1 more"
    )
    assert "Delete it" in error and error in response.content.decode()
    assert typed in response.content.decode()  # still in the form
    article.refresh_from_db()
    assert article.title == "Iran and the Aras border"


def test_a_standfirst_keeps_its_line_breaks_but_not_a_form_feed(editor_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    refused = _change(editor_client, url, "article_form", dek=f"Page one.{FORM_FEED}Page two.")
    assert "U+000C (form feed (page break)) at position 10" in refused.content.decode()
    kept = _change(editor_client, url, "article_form", dek="Line one.\nLine\ttwo.")
    assert kept.status_code == 302
    article.refresh_from_db()
    assert article.dek == "Line one.\nLine\ttwo."


@pytest.mark.parametrize("field", ["name", "title", "affiliation"])
def test_an_author_name_title_or_affiliation_with_a_form_feed_is_refused(editor_client, field):
    author = AuthorFactory(name="Leyla Aliyeva", title="Fellow", affiliation="Caucasus Center")
    url = f"/admin/articles/author/{author.pk}/change/"
    response = _change(editor_client, url, "author_form", **{field: f"Senior{FORM_FEED}Fellow"})
    assert response.status_code == 200
    assert "U+000C (form feed (page break)) at position 7" in response.content.decode()
    author.refresh_from_db()
    assert FORM_FEED not in getattr(author, field)


def test_a_topic_name_with_an_escape_is_refused(editor_client):
    response = editor_client.post(
        "/admin/articles/topic/add/", {"name": f"Drones{ESC}", "slug": "drones"}
    )
    assert response.status_code == 200
    assert "U+001B (escape) at position 7" in response.content.decode()
    assert not Topic.objects.exists()


def test_a_series_title_with_a_control_character_is_refused(editor_client):
    response = editor_client.post(
        "/admin/articles/series/add/", {"title": f"Border{ESC}talks", "slug": "border-talks"}
    )
    assert response.status_code == 200
    assert "U+001B (escape)" in response.content.decode()


def test_models_refuse_control_characters_in_names_too():
    from django.core.exceptions import ValidationError

    author = Author(name=f"Anna{ESC}", slug="anna")
    with pytest.raises(ValidationError, match="U\\+001B"):
        author.full_clean()
    article = Article(title="Fine", slug="fine", dek="Two\r\nlines\twith a tab.")
    article.full_clean(exclude=["body"])  # tab and line breaks are text


def test_autosave_refuses_an_escape_in_a_title_as_save_does(editor_client):
    article = ArticleFactory(draft=True, title="Clean title")
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/autosave/",
        {"title": f"Iran{ESC}[31m border", "opened_version": article.lock_version},
    )
    answer = response.json()
    assert answer["saved"] is False
    assert "U+001B (escape) at position 5" in answer["fields"]["title"][0]
    article.refresh_from_db()
    assert article.title == "Clean title"
