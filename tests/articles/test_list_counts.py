"""A list page's count ("3 articles", "page 1 of 2") is kept by the writes that change the
list, and read with one lookup: the page never counts, even with every cache off."""

import datetime
import re
import threading
import time

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles import list_counts, rendering, services
from articles.models import Article, ListCount
from tests.conftest import signed_in
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def no_cache(settings):
    # The page built with nothing kept anywhere: what the count must be fast without.
    settings.FRAGMENT_CACHE_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def drones(db):
    return TopicFactory(name="Drones", slug="drones")


def shown_count(client, url: str) -> int:
    """The count the list page says, as a reader sees it ("3 articles", "3 статьи")."""
    page = client.get(url)
    assert page.status_code == 200
    return int(re.search(r'<p class="meta">(\d+) ', page.text).group(1))


def topic_count(client, slug: str = "drones") -> int:
    return shown_count(client, f"/topics/{slug}/")


@pytest.mark.django_db
def test_the_topic_page_counts_a_publication_and_an_unpublication(client, editor, drones):
    ArticleFactory.create_batch(2, topics=[drones])
    draft = ArticleFactory(draft=True, topics=[drones])
    assert topic_count(client) == 2
    services.article_publish(article=draft, by=editor)
    assert topic_count(client) == 3
    services.article_unpublish(article=draft, by=editor)
    assert topic_count(client) == 2


@pytest.mark.django_db
def test_the_topic_page_counts_an_archived_article_out_and_a_restored_one_not_back(
    client, editor, drones
):
    article, _ = ArticleFactory.create_batch(2, topics=[drones])
    assert topic_count(client) == 2
    services.article_archive(article=article, by=editor)
    assert topic_count(client) == 1
    services.article_restore(article=article, by=editor)  # a draft again: still not public
    assert topic_count(client) == 1


@pytest.mark.django_db
def test_a_tag_edit_moves_the_article_from_one_topics_count_to_the_others(client, editor, drones):
    energy = TopicFactory(name="Energy", slug="energy")
    article = ArticleFactory(topics=[drones])
    ArticleFactory(topics=[energy])
    assert (topic_count(client), topic_count(client, "energy")) == (1, 1)
    services.article_update(
        article=article, by=editor, changed=[], parts=services.ArticleParts(topics=[energy])
    )
    assert (topic_count(client), topic_count(client, "energy")) == (0, 2)


@pytest.mark.django_db
def test_an_edition_moved_to_another_language_leaves_one_count_for_the_other(
    client, editor, drones
):
    article = ArticleFactory(topics=[drones], slug="marshrut")
    ArticleFactory(topics=[drones], language="ru", slug="vtoroy")
    assert (topic_count(client), shown_count(client, "/ru/topics/drones/")) == (1, 1)
    article.language = "ru"
    services.article_update(article=article, by=editor, changed=["language"])
    assert (topic_count(client), shown_count(client, "/ru/topics/drones/")) == (0, 2)


@pytest.mark.django_db
def test_an_authors_pages_follow_a_byline_change(client, editor, settings):
    settings.ARTICLES_PER_PAGE = 1
    nino, anna = AuthorFactory(slug="nino"), AuthorFactory(slug="anna")
    article = ArticleFactory(authors=[nino, anna])
    ArticleFactory(authors=[nino])
    assert "Page 1 of 2" in client.get("/authors/nino/").text
    services.article_update(
        article=article, by=editor, changed=[], parts=services.ArticleParts(authors=[anna])
    )
    page = client.get("/authors/nino/").text
    assert "Page 1 of" not in page and 'class="pagination"' not in page


@pytest.mark.django_db
def test_a_scheduled_article_is_counted_once_publish_due_records_it(client, editor, drones):
    ArticleFactory(topics=[drones], publish_at=NOON - datetime.timedelta(days=1))
    with time_machine.travel(NOON, tick=False):
        article = ArticleFactory(draft=True, title="At one in the afternoon", topics=[drones])
        services.article_schedule(
            article=article, by=editor, publish_at=NOON + datetime.timedelta(hours=1)
        )
        assert topic_count(client) == 1
    with time_machine.travel(NOON + datetime.timedelta(hours=1, seconds=30), tick=False):
        # Public by query from its time on; counted when the next run records it (the lag
        # `list_counts` states).
        assert "At one in the afternoon" in client.get("/topics/drones/").text
        assert topic_count(client) == 1
        assert services.publish_due() == [article.pk]
        assert topic_count(client) == 2


@pytest.mark.django_db
def test_the_archive_of_a_month_counts_a_publication(client, editor):
    with time_machine.travel(NOON, tick=False):
        ArticleFactory(publish_at=NOON - datetime.timedelta(days=1))
        assert shown_count(client, "/archive/2026/3/") == 1
        article = ArticleFactory(draft=True)
        services.article_publish(article=article, by=editor)
        assert shown_count(client, "/archive/2026/3/") == 2
        assert shown_count(client, "/archive/2026/") == 2


@pytest.mark.django_db
def test_a_deleted_article_leaves_the_count(client, editor, drones):
    article, _ = ArticleFactory.create_batch(2, topics=[drones])
    assert topic_count(client) == 2
    response = signed_in(editor).post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert topic_count(client) == 1


@pytest.mark.django_db
def test_the_topic_page_reads_its_count_without_counting(client, editor, drones):
    rendering.articles_render(ids=[a.pk for a in ArticleFactory.create_batch(3, topics=[drones])])
    services.article_publish(article=ArticleFactory(draft=True, topics=[drones]), by=editor)
    with CaptureQueriesContext(connection) as queries:
        assert topic_count(client) == 4
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [statement for statement in sql if "COUNT(" in statement.upper()], sql
    assert sum("articles_listcount" in statement for statement in sql) == 1


@pytest.mark.django_db
def test_a_list_never_counted_is_counted_on_its_first_read_and_kept(client, drones):
    ArticleFactory.create_batch(2, topics=[drones])
    assert not ListCount.objects.exists()
    assert topic_count(client) == 2
    assert ListCount.objects.get(key=f"topic:{drones.pk}", language="en").count == 2
    with CaptureQueriesContext(connection) as queries:
        topic_count(client)
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]


@pytest.mark.django_db
def test_an_import_batch_counts_its_lists_once_committed(
    client, drones, django_capture_on_commit_callbacks
):
    ArticleFactory(topics=[drones])
    assert topic_count(client) == 1
    article = Article(title="Imported", slug="imported", status=Article.Status.PUBLISHED)
    article.publish_at = article.first_published_at = NOON
    with django_capture_on_commit_callbacks(execute=True):
        services.article_import(
            article=article, by=None, parts=services.ArticleParts(topics=[drones]), comment="x"
        )
        assert topic_count(client) == 1  # not before the batch commits
    assert topic_count(client) == 2


@pytest.mark.django_db
def test_the_kept_counts_are_what_the_pages_list(client, editor, drones):
    """Every kind of list: the kept count equals the page's own list."""
    nino = AuthorFactory(slug="nino")
    article = ArticleFactory(draft=True, topics=[drones], authors=[nino])
    ArticleFactory(topics=[drones], authors=[nino], status="scheduled", first_published_at=None)
    services.article_publish(article=article, by=editor)
    for key, language in ListCount.objects.values_list("key", "language"):
        assert list_counts.list_count(key, language) == (
            list_counts.list_articles(key, language).count()
        ), key


# --- PostgreSQL: two writers at once ------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_writers_counting_one_list_at_once_leave_both_counted(postgres, client, monkeypatch):
    """The second writer comes while the first has counted a list and not yet written it:
    it must wait for the first to commit and count both. Unlocked, both count one and the
    month's archive says 1 article."""
    drones = TopicFactory(slug="drones")
    first, second = ArticleFactory.create_batch(2, draft=True, topics=[drones])
    assert topic_count(client) == 0
    # Every list they will join already kept, so no writer waits on the other's new row.
    authors = [a.bylines.get().author_id for a in (first, second)]
    for key in ("year:2026", "month:2026:3", *(f"author:{pk}" for pk in authors)):
        list_counts.list_count(key, "en")
    first_counted, errors = threading.Event(), []
    save = ListCount.save

    def first_writer_slow_to_write(row, *args, **kwargs):
        if threading.current_thread().name == "first" and row.key.startswith("month:"):
            first_counted.set()
            time.sleep(0.5)  # the second writer counts meanwhile, if it may
        return save(row, *args, **kwargs)

    monkeypatch.setattr(ListCount, "save", first_writer_slow_to_write)

    def publish(article):
        try:
            if threading.current_thread().name == "second":
                first_counted.wait(10)
            with transaction.atomic():
                Article.objects.filter(pk=article.pk).update(
                    status=Article.Status.PUBLISHED, publish_at=NOON, first_published_at=NOON
                )
                list_counts.lists_refresh(list_counts.lists_of([article.pk]))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=publish, args=(first,), name="first"),
        threading.Thread(target=publish, args=(second,), name="second"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert topic_count(client) == 2
    assert shown_count(client, "/archive/2026/3/") == 2
    assert shown_count(client, "/archive/2026/") == 2


@pytest.mark.django_db(transaction=True)
def test_a_bulk_delete_that_fails_leaves_the_count_as_it_was(client, editor, drones, monkeypatch):
    """The admin's "delete selected" ran without a transaction: its recount stood even when
    the rows stayed, and the list read one short."""
    from django.contrib import admin

    first, _ = ArticleFactory.create_batch(2, topics=[drones])
    assert topic_count(client) == 2

    def refused(self, request, queryset):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(admin.ModelAdmin, "delete_queryset", refused)
    with pytest.raises(RuntimeError):
        signed_in(editor).post(
            "/admin/articles/article/",
            {"action": "delete_selected", "_selected_action": [first.pk], "post": "yes"},
        )
    assert Article.objects.filter(pk=first.pk).exists()
    assert topic_count(client) == 2
