import pytest

from articles.models import Article
from articles.revisions import versions_of
from base.roles import EDITORS
from tests.conftest import signed_in
from tests.factories import ArticleFactory, UserFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


def _autosave(client, article, **fields):
    url = (
        f"/admin/articles/article/{article.pk}/autosave/"
        if article
        else "/admin/articles/article/autosave/"
    )
    return client.post(url, fields)


def test_a_draft_keeps_its_text_and_gets_a_new_version(editor_client, editor):
    article = ArticleFactory(draft=True, body="Old text.")
    response = _autosave(
        editor_client, article, body="New text\r\nstill typing", opened_version=article.lock_version
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.body == "New text\nstill typing"
    assert article.last_edited_by == editor
    assert response.json()["lock_version"] == article.lock_version


def test_autosaves_of_one_session_are_one_revision(editor_client):
    article = ArticleFactory(draft=True, body="Start.")
    version = article.lock_version
    for text in ("One.", "One. Two.", "One. Two. Three."):
        version = _autosave(editor_client, article, body=text, opened_version=version).json()[
            "lock_version"
        ]
    revisions = list(versions_of(article))
    assert [v.revision.comment for v in revisions] == ["Autosaved"]
    assert revisions[0].field_dict["body"] == "One. Two. Three."

    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form") | {"dek": ["A standfirst."]}
    assert editor_client.post(url, data).status_code == 302
    _autosave(
        editor_client, article, body="Later.", opened_version=Article.objects.get().lock_version
    )
    assert [v.revision.comment for v in versions_of(article)] == [
        "Autosaved",
        "Edited: Standfirst",
        "Autosaved",
    ]


def test_an_autosave_never_overwrites_a_newer_save(editor_client):
    article = ArticleFactory(draft=True, body="Leyla's first text.")
    opened = article.lock_version
    leyla = UserFactory(username="leyla", first_name="Leyla", groups=["Editors"])
    article.body = "Leyla's newer text."
    article.last_edited_by = leyla
    article.save()

    response = _autosave(editor_client, article, body="Eddie's text.", opened_version=opened)
    assert response.json()["saved"] is False
    conflict = response.json()["conflict"]
    assert conflict["by"] == "Leyla"
    assert conflict["fields"][0]["theirs"] == "Leyla's newer text."
    assert conflict["fields"][0]["yours"] == "Eddie's text."
    assert "<del>" in conflict["fields"][0]["diff_html"]
    article.refresh_from_db()
    assert article.body == "Leyla's newer text."


def test_a_save_after_autosaves_is_not_refused_as_stale(editor_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")  # the page is opened
    saved = _autosave(
        editor_client, article, body="Typed.", opened_version=data["opened_version"][0]
    )
    # The editor's page takes the new version from the autosave's answer.
    data |= {"body": ["Typed, then saved."], "opened_version": [str(saved.json()["lock_version"])]}
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == "Typed, then saved."


def test_a_published_article_does_not_save_itself(editor_client):
    article = ArticleFactory(body="Public text.")
    response = _autosave(
        editor_client, article, body="Half-typed.", opened_version=article.lock_version
    )
    assert response.json()["saved"] is False
    assert "press Save" in response.json()["error"]
    article.refresh_from_db()
    assert article.body == "Public text."


def test_a_new_article_is_created_as_a_draft_by_its_first_autosave(editor_client, editor):
    response = _autosave(editor_client, None, title="Water on the Aras", body="First lines.")
    assert response.status_code == 200
    article = Article.objects.get(slug="water-on-the-aras")
    assert (article.status, article.created_by, article.body) == ("draft", editor, "First lines.")
    assert response.json()["change_url"] == f"/admin/articles/article/{article.pk}/change/"
    second = _autosave(editor_client, None, title="Water on the Aras", body="Another.")
    assert second.json()["change_url"] == (
        f"/admin/articles/article/{Article.objects.get(slug='water-on-the-aras-2').pk}/change/"
    )
    armenian = _autosave(editor_client, None, title="Ջուրը 2023-ին", body="Տեքստ։")
    assert armenian.json()["saved"] is not False
    assert Article.objects.filter(slug="jowry-2023-in").exists()


def test_a_writer_cannot_autosave_someone_elses_draft(writer_client):
    article = ArticleFactory(draft=True, body="Not yours.")
    response = _autosave(
        writer_client, article, body="Mine now.", opened_version=article.lock_version
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.body == "Not yours."


def test_a_save_pressed_while_its_own_autosave_was_on_the_way_is_not_refused(editor_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    # The autosave lands first; the form still carries the version it was opened at.
    _autosave(editor_client, article, body="Typed.", opened_version=data["opened_version"][0])
    data["body"] = ["Typed, and saved."]
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == "Typed, and saved."


def test_someone_elses_autosave_still_refuses_a_stale_save(editor_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    leyla = signed_in(UserFactory(username="leyla", groups=[EDITORS]))
    _autosave(leyla, article, body="Leyla's text.", opened_version=data["opened_version"][0])
    data["body"] = ["Eddie's text."]
    response = editor_client.post(url, data)
    assert response.status_code == 200 and "after you opened it" in response.text
    article.refresh_from_db()
    assert article.body == "Leyla's text."


# --- Autosave refuses what Save refuses, in JSON -------------------------------------------


def _refused(response) -> dict:
    assert response.status_code == 200
    answer = response.json()
    assert answer["saved"] is False
    return answer


def test_an_autosaved_body_over_the_cap_is_refused_and_the_draft_keeps_its_text(editor_client):
    article = ArticleFactory(draft=True, body="Kept text.")
    answer = _refused(
        _autosave(editor_client, article, body="x" * 2_000_000, opened_version=article.lock_version)
    )
    assert "Body: Ensure this value has at most 60000 characters" in answer["error"]
    assert "(it has 2000000)" in answer["fields"]["body"][0]
    article.refresh_from_db()
    assert article.body == "Kept text."


def test_an_autosaved_title_over_the_cap_is_refused_in_json(editor_client):
    article = ArticleFactory(draft=True, title="Short title")
    answer = _refused(
        _autosave(editor_client, article, title="T" * 5_000, opened_version=article.lock_version)
    )
    assert answer["fields"]["title"] == [
        "Ensure this value has at most 250 characters (it has 5000)."
    ]
    assert answer["error"].startswith("Not saved. Title: Ensure this value has at most 250")
    article.refresh_from_db()
    assert article.title == "Short title"


def test_a_new_article_with_an_overlong_title_is_not_created(editor_client):
    _refused(_autosave(editor_client, None, title="T" * 5_000, body="First lines."))
    assert not Article.objects.exists()


def test_a_null_character_in_an_autosaved_title_is_refused_in_json(editor_client):
    article = ArticleFactory(draft=True, title="Clean title")
    answer = _refused(
        _autosave(
            editor_client, article, title="Broken\x00title", opened_version=article.lock_version
        )
    )
    assert answer["fields"]["title"] == ["Null characters are not allowed."]
    article.refresh_from_db()
    assert article.title == "Clean title"


def test_an_autosave_too_large_to_read_is_refused_in_json_before_it_is_read(editor_client):
    article = ArticleFactory(draft=True, body="Kept text.")
    # 1,500,000 Armenian letters: 3 MB of UTF-8, past the 2.5 MB Django reads at most.
    answer = _refused(
        _autosave(editor_client, article, body="ա" * 1_500_000, opened_version=article.lock_version)
    )
    assert "far longer than an article can be" in answer["error"]
    article.refresh_from_db()
    assert article.body == "Kept text."


def test_an_autosave_still_refuses_a_text_only_save_refuses_then_saves_it_shortened(editor_client):
    article = ArticleFactory(draft=True)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form") | {"dek": ["d" * 1_001]}
    assert "at most 1000 characters" in editor_client.post(url, data).text  # Save refuses it
    answer = _refused(
        _autosave(editor_client, article, dek="d" * 1_001, opened_version=data["opened_version"][0])
    )
    assert answer["fields"]["dek"] == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]
    saved = _autosave(
        editor_client, article, dek="d" * 1_000, opened_version=data["opened_version"][0]
    )
    assert saved.json()["saved"] is True
