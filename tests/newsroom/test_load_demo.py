import datetime
import html
import io
import re
from collections import Counter

import pytest
import reversion
import reversion.models
from celery.signals import task_prerun
from django.contrib.auth import get_user_model
from django.core.management import call_command
from reversion.models import Revision

from articles.models import Article, Author, Region, Series, Topic
from newsroom.demo.loader import load_demo

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Series, Topic, Region, get_user_model())
    } | {"bylines": sum(a.bylines.count() for a in Article.objects.all())}


def test_demo_content_covers_what_readers_and_editors_need(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Article.objects.published()
    assert published.count() >= 14
    assert set(published.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert len({a.publish_at.year for a in published}) >= 4
    assert Author.objects.count() >= 6 and Author.objects.filter(is_contributor=True).exists()
    assert all(Author.objects.exclude(title="").values_list("title", flat=True))
    assert Series.objects.count() >= 3
    assert Topic.objects.count() >= 10 and Region.objects.count() >= 10
    assert Counter(Article.objects.values_list("status", flat=True))["draft"] >= 1

    hidden = Article.objects.exclude(pk__in=published)
    assert {a.status for a in hidden} >= {"draft", "scheduled"}
    home = client.get("/").text
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in home

    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and editor.groups.filter(name="Editors").exists()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "newsroom-demo"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_loading_the_demo_twice_duplicates_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


def test_every_demo_article_page_renders(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        assert article.title in html.unescape(response.text)


def _load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _tasks_run(django_capture_on_commit_callbacks) -> list[str]:
    """The Celery tasks a load of the demo runs (eagerly, once its transaction commits)."""
    names = []

    def record(sender, **kwargs):
        names.append(sender.name)

    task_prerun.connect(record, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _load_demo()
    finally:
        task_prerun.disconnect(record)
    return names


def test_a_second_run_writes_no_revision_and_prints_no_pdf(django_capture_on_commit_callbacks):
    first = _tasks_run(django_capture_on_commit_callbacks)
    assert first.count("articles.tasks.make_pdf_edition") >= 14
    revisions = Revision.objects.count()
    versions = dict(Article.objects.values_list("slug", "lock_version"))

    assert _tasks_run(django_capture_on_commit_callbacks) == []
    assert Revision.objects.count() == revisions
    assert dict(Article.objects.values_list("slug", "lock_version")) == versions
    assert "nothing to change" in _load_demo()


def test_a_second_run_keeps_the_editor_signed_in_and_a_changed_password(client):
    _load_demo()
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "newsroom-demo"}
    )
    assert signed_in.status_code == 302
    writer = get_user_model().objects.get(username="writer")
    writer.set_password("a-password-of-my-own")
    writer.save()

    output = _load_demo()

    assert client.get("/admin/").status_code == 200  # the open admin tab is still signed in
    assert get_user_model().objects.get(username="writer").check_password("a-password-of-my-own")
    assert "user 'writer'  password 'newsroom-demo' unless you changed it" in output


def test_an_article_edited_in_the_admin_stays_as_edited():
    _load_demo()
    article = Article.objects.get(slug="lachin-corridor-blockade")
    with reversion.create_revision():
        reversion.set_comment("Edited: Title")
        article.title = "The Lachin corridor, as our editor sees it"
        article.save()

    output = _load_demo()

    article.refresh_from_db()
    assert article.title == "The Lachin corridor, as our editor sees it"
    assert "left as they are: lachin-corridor-blockade" in output


def test_an_article_that_differs_from_its_file_is_brought_back():
    _load_demo()
    Article.objects.filter(slug="lachin-corridor-blockade").update(dek="An older standfirst")
    revisions = Revision.objects.count()

    output = _load_demo()

    article = Article.objects.get(slug="lachin-corridor-blockade")
    assert article.dek != "An older standfirst"
    assert Revision.objects.count() == revisions + 1
    assert "1 article updated" in output


def test_the_dashboard_shows_demo_articles_in_several_of_the_last_twelve_months(client):
    _load_demo()
    client.force_login(get_user_model().objects.get(username="editor"))
    page = html.unescape(client.get("/admin/").text)
    assert "No articles published in the last 12 months" not in page
    months = re.findall(r'aria-label="(\w+ \d{4}): [1-9]\d* published"', page)
    assert len(months) >= 4, months


def test_recent_demo_pieces_keep_the_date_of_their_first_load():
    first_day = datetime.date(2026, 3, 1)
    load_demo(password="newsroom-demo", today=first_day)
    dates = dict(Article.objects.values_list("slug", "publish_at"))
    # Dated from the day of the load, not from a fixed year.
    assert any(when and when.date().year == 2026 for when in dates.values())

    again = load_demo(password="newsroom-demo", today=first_day + datetime.timedelta(days=90))

    assert dict(Article.objects.values_list("slug", "publish_at")) == dates
    assert not again.changed_anything


def test_the_demo_has_editions_in_every_language_and_one_that_followed_an_earlier_text(client):
    load_demo(password="x")
    syunik = Article.objects.get(slug="tehran-and-the-route-through-syunik", language="en")
    editions = {a.language: a for a in Article.objects.filter(translation_of=syunik)}
    assert set(editions) == {"ru", "az", "hy", "ka", "fa"}
    assert all(e.translation_key == syunik.translation_key for e in editions.values())
    # Every other edition followed the current English text; the Persian one an earlier one.
    latest = list(reversion.models.Version.objects.get_for_object(syunik).order_by("pk"))
    assert len(latest) == 2
    assert editions["fa"].source_revision_id == latest[0].pk
    assert {e.source_revision_id for c, e in editions.items() if c != "fa"} == {latest[1].pk}
    # So the Persian one is stale since the English text moved on; the others are current.
    assert editions["fa"].stale_since == latest[1].revision.date_created
    assert all(e.stale_since is None for c, e in editions.items() if c != "fa")
    # Each is a page of its language, linked from the English one.
    persian = client.get(editions["fa"].get_absolute_url())
    assert '<html lang="fa" dir="rtl">' in persian.text and editions["fa"].title in persian.text
    english = client.get(syunik.get_absolute_url()).text
    for code, edition in editions.items():
        assert f'href="{edition.get_absolute_url()}" hreflang="{code}"' in english
    before = _snapshot()
    load_demo(password="x")
    assert _snapshot() == before


def test_the_demo_has_a_translator_into_russian_and_armenian_with_work_waiting(client):
    output = _load_demo()
    assert "Demo translator (ru, hy)" in output
    client.post("/admin/login/", {"username": "translator", "password": "newsroom-demo"})
    dashboard = client.get("/admin/").text
    assert 'id="ws-translations"' in dashboard
    assert "Nothing to translate" in dashboard  # every demo edition in ru and hy is current
    status = client.get("/admin/articles/article/translations/?mine=1&state=stale").text
    assert "Nothing matches." in status  # the stale one is Persian, not theirs
