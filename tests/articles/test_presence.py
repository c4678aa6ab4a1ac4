"""Editing together: who else has an article open, and keeping one's version in a conflict."""

import datetime

import pytest
import time_machine

from articles.models import Article
from articles.revisions import versions_of
from tests.conftest import signed_in
from tests.factories import ArticleFactory
from tests.forms import form_as_shown

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

TAB_A, TAB_B = "tab-aaaaaaaa", "tab-bbbbbbbb"
AT_1402 = datetime.datetime(2026, 12, 7, 14, 2, tzinfo=datetime.UTC)


def _ping(client, article, tab, **extra):
    return client.post(f"/admin/articles/article/{article.pk}/presence/", {"tab": tab, **extra})


def _notices(response) -> list[str]:
    assert response.status_code == 200
    return [other["notice"] for other in response.json()["others"]]


def test_an_editor_alone_sees_no_notice(editor_client):
    article = ArticleFactory(draft=True)
    assert _notices(_ping(editor_client, article, TAB_A)) == []


def test_another_person_with_the_article_open_is_named_with_the_time_they_came(editor_client, nino):
    article = ArticleFactory(draft=True)
    with time_machine.travel(AT_1402, tick=False):
        _ping(signed_in(nino), article, TAB_B)
    with time_machine.travel(AT_1402 + datetime.timedelta(seconds=40), tick=False):
        notices = _notices(_ping(editor_client, article, TAB_A))
    assert notices == ["Nino Beridze is also editing this article (since 14:02 UTC)."]


def test_the_same_person_in_another_tab_is_named_as_such(editor_client):
    article = ArticleFactory(draft=True)
    _ping(editor_client, article, TAB_B)
    assert _notices(_ping(editor_client, article, TAB_A)) == [
        "You have this article open in another tab."
    ]
    # The other tab sees this one the same way, and a tab never sees itself.
    assert _notices(_ping(editor_client, article, TAB_B)) == [
        "You have this article open in another tab."
    ]


def test_a_tab_that_stops_pinging_is_forgotten(editor_client, nino):
    article = ArticleFactory(draft=True)
    with time_machine.travel(AT_1402, tick=False):
        _ping(signed_in(nino), article, TAB_B)
    with time_machine.travel(AT_1402 + datetime.timedelta(seconds=60), tick=False):
        assert len(_notices(_ping(editor_client, article, TAB_A))) == 1
    with time_machine.travel(AT_1402 + datetime.timedelta(seconds=90), tick=False):
        assert _notices(_ping(editor_client, article, TAB_A)) == []


def test_a_closed_tab_is_forgotten_at_once(editor_client, nino):
    article = ArticleFactory(draft=True)
    nino_client = signed_in(nino)
    _ping(nino_client, article, TAB_B)
    _ping(nino_client, article, TAB_B, leaving="1")
    assert _notices(_ping(editor_client, article, TAB_A)) == []


def test_presence_is_per_article(editor_client, nino):
    article, other = ArticleFactory(draft=True), ArticleFactory(draft=True)
    _ping(signed_in(nino), other, TAB_B)
    assert _notices(_ping(editor_client, article, TAB_A)) == []


def test_a_bad_tab_id_is_refused_and_readers_get_nothing(editor_client, client):
    article = ArticleFactory(draft=True)
    assert _ping(editor_client, article, "x").status_code == 400
    assert _ping(client, article, TAB_A).status_code == 302  # to the admin's login


def test_someone_who_cannot_edit_the_article_is_not_announced_as_editing(writer_client, editor):
    article = ArticleFactory(draft=True)  # someone else's draft: a writer may not change it
    _ping(writer_client, article, TAB_B)
    assert _notices(_ping(signed_in(editor), article, TAB_A)) == []


# --- Conflicts: who saved, and keeping one's own version --------------------------------------


def _autosave(client, article, **data):
    return client.post(f"/admin/articles/article/{article.pk}/autosave/", data).json()


def test_an_autosave_conflict_with_ones_own_other_tab_says_so(editor_client):
    article = ArticleFactory(draft=True, body="The first text.")
    opened = article.lock_version
    _autosave(editor_client, article, body="Typed in the other tab.", opened_version=opened)
    answer = _autosave(editor_client, article, body="Typed in this tab.", opened_version=opened)
    conflict = answer["conflict"]
    assert conflict["own"] is True
    assert conflict["error"].startswith("You saved this article in another tab")
    assert "someone" not in conflict["error"].lower()


def test_keep_mine_saves_over_theirs_and_both_versions_stay_in_the_history(editor_client, nino):
    article = ArticleFactory(draft=True, body="The first text.")
    opened = article.lock_version
    theirs = _autosave(signed_in(nino), article, body="Nino's text.", opened_version=opened)
    answer = _autosave(editor_client, article, body="Eddie's text.", opened_version=opened)
    conflict = answer["conflict"]
    assert (conflict["own"], conflict["by"]) == (False, "Nino Beridze")
    assert conflict["lock_version"] == theirs["lock_version"]
    assert "<del>" in conflict["fields"][0]["diff_html"]

    kept = _autosave(
        editor_client,
        article,
        body="Eddie's text.",
        opened_version=conflict["lock_version"],
        keep_mine="1",
    )
    assert kept["saved"] is True
    article.refresh_from_db()
    assert article.body == "Eddie's text."
    history = list(versions_of(article))
    assert [v.field_dict["body"] for v in history[:2]] == ["Eddie's text.", "Nino's text."]
    assert history[0].revision.comment.startswith("Kept this version over the one saved")
    assert "Nino Beridze" in history[0].revision.comment
    # A later autosave does not replace the revision that kept it.
    _autosave(
        editor_client, article, body="Eddie's text, more.", opened_version=kept["lock_version"]
    )
    assert [v.field_dict["body"] for v in versions_of(article)[:3]] == [
        "Eddie's text, more.",
        "Eddie's text.",
        "Nino's text.",
    ]


def test_a_refused_save_gets_both_versions_then_keeps_mine_with_the_newer_version(
    editor_client, nino
):
    article = ArticleFactory(title="Border posts", body="The first text.")  # published
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    nino_client = signed_in(nino)
    nino_data = form_as_shown(nino_client.get(url).text, "article_form")
    nino_client.post(url, nino_data | {"body": ["Nino's text."]})

    refused = editor_client.post(url, data | {"body": ["Eddie's text."]})
    assert refused.status_code == 200
    assert "Nino Beridze saved this article" in refused.text
    asked = editor_client.post(
        f"/admin/articles/article/{article.pk}/conflict/",
        {"body": "Eddie's text.", "opened_version": data["opened_version"][0]},
    ).json()["conflict"]
    assert [f["theirs"] for f in asked["fields"]] == ["Nino's text."]
    assert [f["yours"] for f in asked["fields"]] == ["Eddie's text."]

    kept = data | {"body": ["Eddie's text."], "opened_version": [str(asked["lock_version"])]}
    assert editor_client.post(url, kept).status_code == 302
    article.refresh_from_db()
    assert article.body == "Eddie's text."
    assert [v.field_dict["body"] for v in versions_of(article)[:2]] == [
        "Eddie's text.",
        "Nino's text.",
    ]


def test_the_conflict_endpoint_has_nothing_to_say_about_an_up_to_date_form(editor_client):
    article = ArticleFactory(draft=True)
    answer = editor_client.post(
        f"/admin/articles/article/{article.pk}/conflict/",
        {"body": "Typed.", "opened_version": article.lock_version},
    )
    assert answer.json() == {"conflict": None}


def test_a_save_after_an_autosave_in_ones_other_tab_is_refused_as_such(editor_client):
    article = ArticleFactory(draft=True, body="The first text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form") | {"_tab": [TAB_A]}
    _autosave(
        editor_client,
        article,
        body="Typed in the other tab.",
        opened_version=data["opened_version"][0],
        tab=TAB_B,
    )
    refused = editor_client.post(url, data | {"body": ["Typed in this tab."]})
    assert refused.status_code == 200
    assert "You saved this article in another tab" in refused.text
    assert Article.objects.get(pk=article.pk).body == "Typed in the other tab."


def test_a_save_after_this_tabs_own_autosave_is_not_refused(editor_client):
    article = ArticleFactory(draft=True, body="The first text.")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form") | {"_tab": [TAB_A]}
    # The autosave lands while Save is on its way: the form still has the older version.
    _autosave(
        editor_client, article, body="Typed.", opened_version=data["opened_version"][0], tab=TAB_A
    )
    assert editor_client.post(url, data | {"body": ["Typed, and saved."]}).status_code == 302
    assert Article.objects.get(pk=article.pk).body == "Typed, and saved."
