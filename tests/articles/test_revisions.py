import pytest

from articles.models import Article
from base.roles import EDITORS
from notifications.models import WebhookEndpoint
from outbox.models import Notification
from tests.conftest import signed_in
from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory, UserFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


def _save(client, article: Article | None, **changes):
    url = (
        f"/admin/articles/article/{article.pk}/change/"
        if article
        else "/admin/articles/article/add/"
    )
    data = form_as_shown(client.get(url).text, "article_form")
    data |= {k: v if isinstance(v, list) else [v] for k, v in changes.items()}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return Article.objects.get(slug="drones-report")


def test_every_save_is_a_revision_with_diff_and_revert(editor_client):
    elif_demir, rashad = AuthorFactory(name="Elif Demir"), AuthorFactory(name="Rashad Mammadli")
    drones, diplomacy = TopicFactory(name="Drones"), TopicFactory(name="Diplomacy")
    armenia = RegionFactory(name="Armenia")
    article = _save(
        editor_client,
        None,
        title="Drones report",
        slug="drones-report",
        kind="report",
        dek="First standfirst.",
        body="The first version of the text.",
        topics=[str(drones.pk)],
        regions=[str(armenia.pk)],
        rights="exclusive",
        **{"bylines-0-author": str(elif_demir.pk), "bylines-0-position": "0"},
    )
    article = _save(
        editor_client,
        article,
        title="Drones report, revised",
        body="The second version of the text.",
        topics=[str(diplomacy.pk)],
        regions=[],
        **{"bylines-0-author": str(rashad.pk)},
    )
    history = editor_client.get(f"/admin/articles/article/{article.pk}/history/")
    versions = list(history.context["versions"])
    assert len(versions) == 2
    assert "Created as a draft" in history.text and "Edited:" in history.text

    compare = editor_client.get(
        f"/admin/articles/article/{article.pk}/revisions/compare/",
        {"from": versions[1].pk, "to": versions[0].pk},
    )
    changes = {change.label: change for change in compare.context["changes"]}
    assert set(changes) == {"Title", "Body", "Authors", "Topics", "Regions"}
    assert changes["Body"].diff_html == "The <del>first</del><ins>second</ins> version of the text."
    assert (changes["Authors"].before, changes["Authors"].after) == (
        "Elif Demir",
        "Rashad Mammadli",
    )
    assert (changes["Topics"].before, changes["Topics"].after) == ("Drones", "Diplomacy")
    assert "Armenia" in compare.text

    confirm = editor_client.get(
        f"/admin/articles/article/{article.pk}/revisions/{versions[1].pk}/revert/"
    )
    assert "What will change" in confirm.text
    _revert(editor_client, article, versions[1])

    article.refresh_from_db()
    assert article.title == "Drones report"
    assert article.body == "The first version of the text."
    assert article.ordered_authors() == [elif_demir]
    assert list(article.topics.all()) == [drones]
    assert list(article.regions.all()) == [armenia]
    assert article.status == "draft"
    newest = editor_client.get(f"/admin/articles/article/{article.pk}/history/").context["versions"]
    assert len(newest) == 3
    assert newest[0].revision.comment.startswith("Reverted to the revision of")
    assert "Title, Body, Topics, Regions, Authors" in newest[0].revision.comment


def _revert(client, article: Article, version) -> None:
    """History → Revert: the change form opens filled from the revision; Save keeps it."""
    url = f"/admin/articles/article/{article.pk}/change/"
    page = client.get(url, {"revert": version.pk})
    assert "This is the content of the revision of" in page.text
    response = client.post(url, form_as_shown(page.text, "article_form"))
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_revert_brings_back_the_simulation_timeline(editor_client):
    author = AuthorFactory()
    first_move = {"phase": "Day 1", "actor": "Azerbaijan", "action": "Closes the road."}
    article = _save(
        editor_client,
        None,
        title="Drones report",
        slug="drones-report",
        kind="simulation",
        dek="A standfirst.",
        body="A scenario.",
        rights="exclusive",
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
        **{f"moves-0-{name}": value for name, value in first_move.items()},
        **{"moves-0-position": "0", "moves-TOTAL_FORMS": "1"},
    )
    assert list(article.moves.values_list("action", flat=True)) == ["Closes the road."]
    _save(editor_client, article, **{"moves-0-action": "Opens the road."})
    assert list(article.moves.values_list("action", flat=True)) == ["Opens the road."]
    first = editor_client.get(f"/admin/articles/article/{article.pk}/history/").context["versions"][
        -1
    ]
    _revert(editor_client, article, first)
    assert list(article.moves.values_list("action", flat=True)) == ["Closes the road."]
    assert article.ordered_authors() == [author]


def test_revert_keeps_the_workflow_state(editor_client):
    author = AuthorFactory()
    article = _save(
        editor_client,
        None,
        title="Drones report",
        slug="drones-report",
        kind="analysis",
        dek="A standfirst, which publishing needs.",
        body="Draft text.",
        rights="exclusive",
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
    )
    _save(editor_client, article, body="Published text.", _transition="publish")
    first = editor_client.get(f"/admin/articles/article/{article.pk}/history/").context["versions"][
        -1
    ]
    WebhookEndpoint.objects.create(
        name="P", url="https://p.example.org/", events=["article.updated"]
    )
    _revert(editor_client, article, first)
    article.refresh_from_db()
    assert (article.status, article.body) == ("published", "Draft text.")
    assert Notification.objects.filter(event="article.updated").count() == 1


def test_second_editor_cannot_overwrite_the_first(editor_client):
    author = AuthorFactory()
    article = _save(
        editor_client,
        None,
        title="Drones report",
        slug="drones-report",
        kind="analysis",
        body="Original text.",
        rights="exclusive",
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
    )
    url = f"/admin/articles/article/{article.pk}/change/"
    second_form = form_as_shown(editor_client.get(url).text, "article_form")  # opened by editor two

    first_editor = UserFactory(
        username="leyla", first_name="Leyla", last_name="Huseynova", groups=[EDITORS]
    )
    _save(signed_in(first_editor), article, body="Leyla's text.")

    second_form["body"] = ["Eddie's text, typed for an hour."]
    response = editor_client.post(url, second_form)
    assert response.status_code == 200
    assert "Leyla Huseynova saved this article at" in response.text
    assert "Eddie&#x27;s text, typed for an hour." in response.text
    article.refresh_from_db()
    assert article.body == "Leyla's text."


def test_history_shows_revisions_made_by_the_system(editor_client):
    from django.core.management import call_command

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    article = Article.objects.get(slug="peacekeepers-leave-early")
    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/")
    assert page.status_code == 200
    assert "Loaded from the demo content" in page.text and "the system" in page.text


def test_compare_marks_changed_words_and_folds_unchanged_paragraphs():
    from articles.revisions import folded_diff_html

    before = "\n\n".join(f"Paragraph {n} stays as it was." for n in range(1, 11))
    after = before.replace("Paragraph 6 stays as it was.", "Paragraph 6 was rewritten.")
    html = folded_diff_html(before, after)
    assert "Paragraph 6 <del>stays as it was.</del><ins>was rewritten.</ins>" in html
    assert html.count("<details") == 2
    assert "<summary>4 unchanged paragraphs</summary>" in html  # 1–4, then 5 shown as context
    assert "<summary>3 unchanged paragraphs</summary>" in html  # 8–10, after 7 as context
    assert "Paragraph 5 stays" in html.split("</details>")[1].split("<details")[0]


def test_the_history_names_fields_as_the_form_does(editor_client):
    author = AuthorFactory()
    article = _save(
        editor_client,
        None,
        title="Drones report",
        slug="drones-report",
        kind="analysis",
        dek="Old standfirst.",
        body="Text.",
        rights="exclusive",
        **{"bylines-0-author": str(author.pk), "bylines-0-position": "0"},
    )
    _save(editor_client, article, dek="New standfirst.")
    history = editor_client.get(f"/admin/articles/article/{article.pk}/history/")
    assert "Edited: Standfirst" in history.text and "dek" not in history.text


def test_older_comments_are_shown_with_the_forms_labels(editor_client):
    import reversion

    article = ArticleFactory(draft=True)
    with reversion.create_revision():
        reversion.set_comment("Edited: dek, body")
        article.save()
    page = editor_client.get(f"/admin/articles/article/{article.pk}/history/").text
    assert "Edited: Standfirst, Body" in page and "dek" not in page
