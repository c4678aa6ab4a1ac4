"""What a save from the admin's own change form causes: one revision, one webhook, LF text."""

import datetime

import pytest
from django.utils import timezone

from articles.revisions import versions_of
from notifications.models import WebhookEndpoint
from outbox.models import Notification
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner():
    return WebhookEndpoint.objects.create(
        name="Partner",
        url="https://partner.example.org/hooks",
        events=["article.published", "article.updated", "article.unpublished"],
    )


def _change_form(client, article) -> tuple[str, dict[str, list[str]]]:
    url = f"/admin/articles/article/{article.pk}/change/"
    return url, form_as_shown(client.get(url).text, "article_form")


def _as_browser_sends(data: dict[str, list[str]]) -> dict[str, list[str]]:
    """A browser sends every text area with CRLF line endings."""
    return {
        name: [value.replace("\n", "\r\n") for value in values] for name, values in data.items()
    }


def _updated_events() -> list[Notification]:
    return list(Notification.objects.filter(event="article.updated", channel="webhook"))


def test_editing_a_published_article_tells_partners_once(
    editor_client, partner, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Lachin road reopens")
    url, data = _change_form(editor_client, article)
    data["title"] = ["Lachin road reopens to lorries"]
    with django_capture_on_commit_callbacks(execute=True):  # the outbox expands after commit
        assert editor_client.post(url, data).status_code == 302
    events = _updated_events()
    assert len(events) == 1
    assert events[0].context["payload"]["article"]["title"] == "Lachin road reopens to lorries"


def test_adding_a_correction_tells_partners_once(
    editor_client, partner, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    url, data = _change_form(editor_client, article)
    now = timezone.now()
    data |= {
        "corrections-TOTAL_FORMS": ["1"],
        "corrections-0-note": ["The border post opened in April, not May."],
        "corrections-0-created_at_0": [f"{now:%Y-%m-%d}"],
        "corrections-0-created_at_1": [f"{now:%H:%M:%S}"],
    }
    with django_capture_on_commit_callbacks(execute=True):  # the outbox expands after commit
        assert editor_client.post(url, data).status_code == 302
    assert article.corrections.count() == 1
    assert len(_updated_events()) == 1


def test_editing_a_draft_tells_partners_nothing(
    editor_client, partner, django_capture_on_commit_callbacks
):
    article = ArticleFactory(draft=True)
    url, data = _change_form(editor_client, article)
    data["title"] = ["Still a draft"]
    with django_capture_on_commit_callbacks(execute=True):  # the outbox expands after commit
        assert editor_client.post(url, data).status_code == 302
    assert Notification.objects.filter(channel="webhook").count() == 0


def test_a_body_sent_with_crlf_is_stored_with_lf(editor_client):
    article = ArticleFactory(draft=True, body="## Background\n\nFirst paragraph.")
    url, data = _change_form(editor_client, article)
    data["body"] = ["## Background\r\n\r\nFirst paragraph.\r\n\r\nA second one."]
    assert editor_client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.body == "## Background\n\nFirst paragraph.\n\nA second one."


def test_history_names_only_what_changed_with_the_forms_labels(editor_client):
    article = ArticleFactory(draft=True, body="## Background\n\nFirst.\n\nSecond.", dek="Old.")
    url, data = _change_form(editor_client, article)
    data = _as_browser_sends(data)
    data["dek"] = ["A new standfirst."]
    assert editor_client.post(url, data).status_code == 302
    assert versions_of(article).first().revision.comment == "Edited: Standfirst"
    article.refresh_from_db()
    assert "\r" not in article.body


def test_a_new_article_records_its_creator_and_editor(editor_client, editor):
    author = AuthorFactory()
    data = form_as_shown(editor_client.get("/admin/articles/article/add/").text, "article_form")
    data |= {
        "title": ["A new piece"],
        "slug": ["a-new-piece"],
        "body": ["Line one.\r\nLine two."],
        "bylines-0-author": [str(author.pk)],
    }
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = ArticleFactory._meta.model.objects.get(slug="a-new-piece")
    assert (article.created_by, article.last_edited_by) == (editor, editor)
    assert article.body == "Line one.\nLine two."
    assert versions_of(article).first().revision.comment == "Created as a draft"


def test_changing_a_scheduled_time_to_the_past_is_refused(editor_client):
    article = ArticleFactory(future=True)
    url, data = _change_form(editor_client, article)
    past = timezone.now() - datetime.timedelta(days=1)
    data |= {"publish_at_0": [f"{past:%Y-%m-%d}"], "publish_at_1": ["09:00:00"]}
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "needs a time in the future" in response.text


def _article_with(count: int):
    from articles.models import ArticleNote, Correction, Move, PreviewLink

    article = ArticleFactory(
        draft=True, kind="simulation", authors=[AuthorFactory() for _ in range(count)]
    )
    for i in range(count):
        Move.objects.create(article=article, position=i, phase=f"Day {i}", actor="Iran", action="…")
        Correction.objects.create(article=article, note=f"Correction {i}.")
        ArticleNote.objects.create(article=article, text=f"Note {i}.")
        PreviewLink.objects.create(article=article)
    return article


def test_change_page_queries_do_not_grow_with_bylines_moves_corrections_or_links(
    editor_client, django_assert_num_queries
):
    small, large = _article_with(1), _article_with(8)
    editor_client.get(f"/admin/articles/article/{small.pk}/change/")  # warm the content types
    # session, user, the article with its last editor and PDF edition, its bylines with authors,
    # the user's and their groups' permissions, its topics and regions, the inlines (bylines,
    # notes, moves, corrections, preview links), the topics and regions chosen in the form,
    # and "is it public?" four times (feature, view on site, the PDF edition's two notices)
    for article in (small, large):
        # 20: the editions panel reads the piece's editions once.
        with django_assert_num_queries(20, info=f"{article.moves.count()} of each"):
            response = editor_client.get(f"/admin/articles/article/{article.pk}/change/")
        assert response.status_code == 200


def test_a_new_article_is_published_straight_from_the_add_form(editor_client):
    author = AuthorFactory()
    data = form_as_shown(editor_client.get("/admin/articles/article/add/").text, "article_form")
    data |= {
        "title": ["Published at once"],
        "slug": ["published-at-once"],
        "dek": ["A standfirst."],
        "body": ["## Why\r\n\r\nBecause."],
        "bylines-0-author": [str(author.pk)],
        "_transition": ["publish"],
    }
    response = editor_client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = ArticleFactory._meta.model.objects.get(slug="published-at-once")
    assert article.status == "published"


def test_partners_are_told_the_new_byline_even_from_an_instance_read_with_the_old_one(
    editor, partner, django_capture_on_commit_callbacks
):
    """The service rewrites the byline of an article someone read with its byline prefetched
    (the admin's form does): what partners are told is the new one."""
    from articles import services

    old, new = AuthorFactory(name="Old Byline"), AuthorFactory(name="New Byline")
    article = ArticleFactory(authors=[old])
    read = type(article).objects.with_bylines().get(pk=article.pk)
    assert [b.author.name for b in read.bylines.all()] == ["Old Byline"]
    with django_capture_on_commit_callbacks(execute=True):
        services.article_update(
            article=read, by=editor, changed=[], parts=services.ArticleParts(authors=[new])
        )
    told = _updated_events()[0].context["payload"]["article"]
    assert [author["name"] for author in told["authors"]] == ["New Byline"]
