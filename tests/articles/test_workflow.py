import datetime

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db

Status = Article.Status


def _owned_article(writer, status: str, **kwargs) -> Article:
    """An article the writer created and signs, so that only the role can stand in the way."""
    author = AuthorFactory(user=writer)
    published = status in (Status.PUBLISHED, Status.ARCHIVED)
    return ArticleFactory(
        status=status,
        created_by=writer,
        authors=[author],
        publish_at=timezone.now() - datetime.timedelta(days=1) if published else None,
        first_published_at=timezone.now() - datetime.timedelta(days=1) if published else None,
        **kwargs,
    )


def _future() -> datetime.datetime:
    return (timezone.now() + datetime.timedelta(days=2)).replace(microsecond=0, second=0)


# transition name, the status it starts from, the status it leads to, writers allowed
MATRIX = [
    ("submit", Status.DRAFT, Status.REVIEW, True),
    ("return", Status.REVIEW, Status.DRAFT, True),
    ("publish", Status.DRAFT, Status.PUBLISHED, False),
    ("publish", Status.REVIEW, Status.PUBLISHED, False),
    ("schedule", Status.REVIEW, Status.SCHEDULED, False),
    ("unpublish", Status.PUBLISHED, Status.DRAFT, False),
    ("archive", Status.PUBLISHED, Status.ARCHIVED, False),
    ("restore", Status.ARCHIVED, Status.DRAFT, False),
]
ACTION_NAMES = {
    "submit": "send_to_review",
    "publish": "publish",
    "schedule": "schedule",
    "unpublish": "unpublish",
    "archive": "archive",
}


def _post_change_form(client, article: Article, **changes):
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    data = form_as_shown(page.text, "article_form") | {k: [v] for k, v in changes.items()}
    return client.post(url, data)


@pytest.mark.parametrize("role", ["writer", "editor"])
@pytest.mark.parametrize(("name", "source", "target", "writers_may"), MATRIX)
def test_permission_matrix_through_the_change_form(
    client, writer, editor, role, name, source, target, writers_may
):
    article = _owned_article(writer, source)
    user = writer if role == "writer" else editor
    client.force_login(user)
    allowed = writers_may or role == "editor"
    url = f"/admin/articles/article/{article.pk}/change/"
    if role == "writer" and source not in (Status.DRAFT, Status.REVIEW):
        # Writers cannot even open a published or archived article for editing.
        page = client.get(url)
        assert 'name="_transition"' not in page.text
        response = client.post(url, {"_transition": name, "title": "Hijacked"})
        assert response.status_code == 403
    else:
        extra = {}
        if name == "schedule" and role == "editor":
            when = _future()
            extra = {"publish_at_0": f"{when:%Y-%m-%d}", "publish_at_1": f"{when:%H:%M:%S}"}
        response = _post_change_form(client, article, _transition=name, **extra)
        if allowed:
            assert response.status_code == 302, response.context["adminform"].form.errors
        else:
            assert response.status_code == 200
            assert "Only editors can" in response.text
    article.refresh_from_db()
    assert article.status == (target if allowed else source)
    if allowed:
        assert article.last_edited_by == user


@pytest.mark.parametrize("role", ["writer", "editor"])
@pytest.mark.parametrize(
    ("name", "source", "target", "writers_may"), [m for m in MATRIX if m[0] in ACTION_NAMES]
)
def test_permission_matrix_through_list_actions(
    client, writer, editor, role, name, source, target, writers_may
):
    article = _owned_article(writer, source)
    client.force_login(writer if role == "writer" else editor)
    data = {"action": ACTION_NAMES[name], "_selected_action": [article.pk]}
    if name == "schedule":
        when = _future()
        data |= {"apply": "1", "publish_at_0": f"{when:%Y-%m-%d}", "publish_at_1": "09:00:00"}
    if name in ("archive", "unpublish"):
        data["apply"] = "1"  # confirmed on the page that says what it does
    client.post("/admin/articles/article/", data)
    allowed = writers_may or role == "editor"
    article.refresh_from_db()
    assert article.status == (target if allowed else source)


def test_writer_cannot_feature_or_set_the_time_by_crafting_a_post(writer_client, writer):
    article = _owned_article(writer, Status.DRAFT)
    response = _post_change_form(writer_client, article, _feature="1")
    assert "Only editors can feature" in response.text
    response = _post_change_form(
        writer_client,
        article,
        is_featured="on",
        status="published",
        publish_at_0="2020-01-01",
        publish_at_1="10:00:00",
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.is_featured, article.publish_at) == ("draft", False, None)


def test_writer_edits_only_their_own_drafts(writer_client):
    someone_elses = ArticleFactory(draft=True, title="Not yours")
    response = writer_client.post(
        f"/admin/articles/article/{someone_elses.pk}/change/", {"title": "Mine now"}
    )
    assert response.status_code == 403
    assert "You cannot open this page" in response.text  # the admin's own refusal page
    someone_elses.refresh_from_db()
    assert someone_elses.title == "Not yours"


def test_editor_features_a_published_article_on_the_home_page(client, editor_client):
    article = ArticleFactory(title="Lead story")
    ArticleFactory(title="Newer story")
    response = _post_change_form(editor_client, article, _feature="1")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_featured
    home = client.get("/").text
    assert home.index("Lead story") < home.index("Newer story")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"body": ""}, "needs a body"),
        ({"bylines-0-DELETE": "on"}, "at least one author"),
    ],
)
def test_publishing_an_incomplete_article_is_refused(editor_client, change, message):
    article = ArticleFactory(draft=True, title="Almost ready", body="Text.")
    response = _post_change_form(editor_client, article, _transition="publish", **change)
    assert response.status_code == 200
    assert message in response.text
    article.refresh_from_db()
    assert (article.status, article.title, article.body) == ("draft", "Almost ready", "Text.")


def test_the_services_refuse_incomplete_articles_too(editor):
    article = ArticleFactory(draft=True, body="", authors=[AuthorFactory()])
    with pytest.raises(services.TransitionError, match="needs a body"):
        services.article_publish(article=article, by=editor)
    lonely = ArticleFactory(draft=True, authors=[])
    lonely.bylines.all().delete()
    with pytest.raises(services.TransitionError, match="at least one author"):
        services.article_publish(article=lonely, by=editor)
    assert Article.objects.filter(status=Status.PUBLISHED).count() == 0


def test_scheduling_in_the_past_is_refused(editor_client):
    article = ArticleFactory(draft=True)
    response = _post_change_form(
        editor_client,
        article,
        _transition="schedule",
        publish_at_0="2020-05-01",
        publish_at_1="09:00",
    )
    assert response.status_code == 200
    assert "That time has passed" in response.text
    article.refresh_from_db()
    assert article.status == "draft"


def test_a_move_the_table_does_not_allow_is_refused(editor):
    article = ArticleFactory(status=Status.ARCHIVED)
    with pytest.raises(services.TransitionError, match="archived cannot be moved to “in review”"):
        services.article_submit_for_review(article=article, by=editor)
    article.refresh_from_db()
    assert article.status == Status.ARCHIVED


def test_unpublished_article_leaves_the_site(client, editor):
    article = ArticleFactory(title="Short-lived", is_featured=True)
    services.article_unpublish(article=article, by=editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Short-lived" not in client.get("/").text
    assert article.is_featured is False


def test_republishing_keeps_the_first_publication(editor):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    services.article_publish(article=article, by=editor)
    first = article.first_published_at
    services.article_unpublish(article=article, by=editor)
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.first_published_at == first
    assert article.publish_at == first


def test_article_list_shows_the_workflow_columns_and_needs_review(editor_client, writer):
    ArticleFactory(title="Waiting for an editor", status=Status.REVIEW, last_edited_by=writer)
    ArticleFactory(title="Already out")
    page = editor_client.get("/admin/articles/article/").text
    assert "Needs review (1)" in page
    assert "In review" in page and "Wanda" in page
    queue = editor_client.get("/admin/articles/article/?queue=review").text
    assert "Waiting for an editor" in queue and "Already out" not in queue


def test_internal_notes_stay_in_the_admin(client, editor, editor_client):
    article = ArticleFactory(title="With a note")
    response = _post_change_form(
        editor_client, article, **{"notes-0-text": "Check the casualty figure with the source."}
    )
    assert response.status_code == 302
    assert article.notes.get().created_by == editor
    assert "casualty figure" not in client.get(article.get_absolute_url()).text


def test_editor_adds_a_correction_that_readers_see(client, editor_client):
    article = ArticleFactory(publish_at=timezone.now() - datetime.timedelta(days=30))
    today = timezone.now()
    response = _post_change_form(
        editor_client,
        article,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-note": "The checkpoint opened in April, not in May.",
            "corrections-0-created_at_0": f"{today:%Y-%m-%d}",
            "corrections-0-created_at_1": f"{today:%H:%M:%S}",
        },
    )
    assert response.status_code == 302
    page = client.get(article.get_absolute_url()).text
    assert "The checkpoint opened in April, not in May." in page
    assert f'Updated <time datetime="{today:%Y-%m-%d}' in page


def test_admin_login_locks_after_repeated_failures(client, editor, settings):
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/admin/login/", {"username": editor.username, "password": "guess"})
        assert response.status_code == (429 if attempt == settings.AXES_FAILURE_LIMIT else 200)
    locked = client.post(
        "/admin/login/", {"username": editor.username, "password": "correct horse battery"}
    )
    assert locked.status_code == 429
    assert "Sign-in temporarily locked" in locked.text
    assert "_auth_user_id" not in client.session


def test_new_topic_can_be_added_from_the_article_form(editor_client):
    response = editor_client.post(
        "/admin/articles/topic/add/?_to_field=id&_popup=1",
        {"name": "Water security", "slug": "water-security", "_popup": "1"},
    )
    assert response.status_code == 200
    assert TopicFactory._meta.model.objects.filter(slug="water-security").exists()
