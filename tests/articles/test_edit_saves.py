"""Saves that change nothing, and the banner of a revert once it is saved."""

import pytest

from articles.revisions import versions_of
from tests.factories import ArticleFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


def _change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def test_revert_banner_is_gone_once_the_reverted_text_is_saved(editor_client):
    article = ArticleFactory(draft=True, body="Notes.")
    url = _change_url(article)
    for body in ("The first text.", "The second text."):
        data = form_as_shown(editor_client.get(url).text, "article_form")
        editor_client.post(url, data | {"body": [body]})
    first = versions_of(article)[1]
    page = editor_client.get(url, {"revert": first.pk})
    assert "Review it and press Save" in page.text
    data = form_as_shown(page.text, "article_form")
    # The form posts back to the address it was opened at, ?revert= included.
    saved = editor_client.post(f"{url}?revert={first.pk}", data | {"_continue": ["1"]}, follow=True)
    assert "The first text." in saved.text
    assert "Review it and press Save" not in saved.text


def test_save_with_no_change_writes_no_revision_and_says_so(editor_client):
    article = ArticleFactory(draft=True, body="A text.")
    url = _change_url(article)
    data = form_as_shown(editor_client.get(url).text, "article_form")
    editor_client.post(url, data | {"body": ["A text, edited."]})
    before = versions_of(article).count()
    data = form_as_shown(editor_client.get(url).text, "article_form")
    response = editor_client.post(url, data | {"_continue": ["1"]}, follow=True)
    assert versions_of(article).count() == before
    assert "Nothing changed" in response.text
    assert "was changed successfully" not in response.text


def test_an_autosave_of_the_text_already_saved_writes_no_revision(editor_client):
    article = ArticleFactory(draft=True, title="Border posts", body="A text.")
    url = _change_url(article)
    data = form_as_shown(editor_client.get(url).text, "article_form")
    editor_client.post(url, data | {"body": ["A text, saved."]})
    article.refresh_from_db()
    before = versions_of(article).count()
    again = editor_client.post(
        f"/admin/articles/article/{article.pk}/autosave/",
        {"body": "A text, saved.", "opened_version": article.lock_version},
    )
    assert again.json()["saved"] is True
    assert versions_of(article).count() == before
