import datetime
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from articles import services
from articles.models import Article
from outbox.models import Notification
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def announced():
    """The articles announced as published, in order: (article id, first publication?), read
    from the outbox's announcement rows, which every process and thread writes."""

    def read() -> list[tuple[int, bool]]:
        rows = Notification.objects.filter(event="article.published", channel="fan_out")
        rows = rows.order_by("pk")
        return [
            (row.context["article_id"], row.context["first_time"]) for row in rows.order_by("pk")
        ]

    return read


@pytest.mark.django_db
def test_scheduled_article_goes_public_at_its_time_without_any_worker(
    client, editor, announced, django_capture_on_commit_callbacks
):
    drones = TopicFactory(slug="drones")
    with time_machine.travel(NOON, tick=False):
        article = ArticleFactory(draft=True, title="At one in the afternoon", topics=[drones])
        services.article_schedule(
            article=article, by=editor, publish_at=NOON + datetime.timedelta(hours=1)
        )
    with time_machine.travel(NOON + datetime.timedelta(minutes=59), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 404
        assert "At one in the afternoon" not in client.get("/topics/drones/").text
    with time_machine.travel(NOON + datetime.timedelta(hours=1, seconds=1), tick=False):
        assert client.get(article.get_absolute_url()).status_code == 200
        assert "At one in the afternoon" in client.get("/topics/drones/").text
        assert announced() == []  # visible by query; nothing has flipped or announced yet
        with django_capture_on_commit_callbacks(execute=True):
            assert services.publish_due() == [article.pk]
            assert services.publish_due() == []
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.first_published_at == NOON + datetime.timedelta(hours=1)
    assert announced() == [(article.pk, True)]


@pytest.mark.django_db
def test_publish_due_command_publishes_what_is_due(announced, django_capture_on_commit_callbacks):
    due = ArticleFactory(status="scheduled", publish_at=NOON, first_published_at=None)
    later = ArticleFactory(
        status="scheduled", publish_at=NOON + datetime.timedelta(days=1), first_published_at=None
    )
    with (
        time_machine.travel(NOON + datetime.timedelta(minutes=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("publish_due", stdout=open("/dev/null", "w"))  # noqa: SIM115
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, later.status) == ("published", "scheduled")
    assert announced() == [(due.pk, True)]


@pytest.mark.django_db
def test_publish_due_task_runs_the_same_service(announced):
    from articles.tasks import publish_due

    ArticleFactory(status="scheduled", publish_at=NOON, first_published_at=None)
    with time_machine.travel(NOON + datetime.timedelta(minutes=1), tick=False):
        assert publish_due.apply().get() == 1


@pytest.mark.django_db
def test_republishing_after_unpublishing_is_not_a_first_publication(
    editor, announced, django_capture_on_commit_callbacks
):
    article = ArticleFactory(draft=True, authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=article, by=editor)
        services.article_unpublish(article=article, by=editor)
        services.article_publish(article=article, by=editor)
    assert announced() == [(article.pk, True), (article.pk, False)]


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_publish_due_runs_publish_each_article_once(postgres, announced):
    due = [
        ArticleFactory(status="scheduled", publish_at=NOON, first_published_at=None)
        for _ in range(12)
    ]
    start = threading.Barrier(2)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run():
        try:
            start.wait()
            results.append(services.publish_due(now=NOON + datetime.timedelta(minutes=1)))
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    published = sorted(results[0] + results[1])
    assert published == sorted(a.pk for a in due)
    assert sorted(article_id for article_id, _ in announced()) == published
    assert set(Article.objects.values_list("status", flat=True)) == {"published"}
