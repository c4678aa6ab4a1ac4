"""Purges of the HTTP cache through the outbox: what is written, and what each cache is sent."""

import datetime
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles import services as articles
from notifications import purges
from outbox import services
from outbox.fan_out import FanOutTransport
from outbox.models import Notification
from tests.factories import ArticleFactory, AuthorFactory, SeriesFactory
from tests.forms import form_as_shown
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


class Recorder:
    """A stand-in for a cache or a CDN's API on 127.0.0.1: keeps every request it gets and
    answers each with the next of `answers` (then 200)."""

    def __init__(self, answers=(), body=b'{"success": true}'):
        self.requests: list[dict] = []
        self.answers = list(answers)
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                recorder.requests.append(
                    {
                        "method": self.command,
                        "path": self.path,
                        "headers": dict(self.headers),
                        "body": self.rfile.read(length),
                    }
                )
                status = recorder.answers.pop(0) if recorder.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_PURGE = _record

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    made = []

    def make(**kwargs):
        made.append(Recorder(**kwargs))
        return made[-1]

    yield make
    for each in made:
        each.close()


@pytest.fixture
def varnish(recorder, settings):
    cache = recorder()
    settings.HTTP_CACHE_PURGE = [{"kind": "varnish", "url": cache.url}]
    return cache


def _purge_rows():
    return list(Notification.objects.filter(channel="purge"))


def test_without_a_cache_configured_nothing_is_written(editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    assert _purge_rows() == []


def test_a_publication_purges_its_page_and_every_list_it_joins(
    varnish, editor, django_capture_on_commit_callbacks
):
    author, series = AuthorFactory(), SeriesFactory()
    article = ArticleFactory(
        draft=True, authors=[author], series=series, topics=["drones"], regions=["Armenia"]
    )
    topic, region = article.topics.get(), article.regions.get()
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)

    [row] = _purge_rows()
    assert row.status == "sent"
    assert row.context["keys"] == sorted(
        [
            f"article-{article.pk}",
            "list-articles",
            f"list-author-{author.pk}",
            f"list-series-{series.pk}",
            f"list-topic-{topic.pk}",
            f"list-region-{region.pk}",
            f"editions-{article.translation_key}",  # its other editions link it
        ]
    )
    [request] = varnish.requests
    assert request["method"] == "PURGE"
    assert request["headers"]["xkey-purge"].split() == row.context["keys"]


def test_a_second_expansion_of_the_announcement_writes_no_second_purge(
    varnish, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    announcement = Notification.objects.get(channel="fan_out")
    FanOutTransport().send(announcement)  # a worker that died half-way, say
    assert len(_purge_rows()) == 1


def test_an_edit_through_the_admin_and_an_unpublication_purge_the_article(
    varnish, editor, editor_client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="Lachin road reopens")
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["title"] = ["Lachin road reopens to lorries"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_unpublish(article=article, by=editor)
    events = [row.event for row in Notification.objects.filter(channel="purge").order_by("pk")]
    assert events == ["article.updated", "article.unpublished"]
    assert all(f"article-{article.pk}" in r["headers"]["xkey-purge"] for r in varnish.requests)
    assert len(varnish.requests) == 2


def test_renaming_an_author_in_the_admin_purges_the_pages_showing_them(
    varnish, editor_client, django_capture_on_commit_callbacks
):
    author = AuthorFactory(name="Leyla Mammadova")
    article = ArticleFactory(authors=[author])
    url = f"/admin/articles/author/{author.pk}/change/"
    data = form_as_shown(editor_client.get(url).text)
    data["name"] = ["Leyla Mammadova-Aliyeva"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    [row] = _purge_rows()
    assert set(row.context["keys"]) == {
        f"author-{author.pk}",
        f"list-author-{author.pk}",
        f"article-{article.pk}",
    }
    assert row.status == "sent" and len(varnish.requests) == 1


def test_a_purge_refused_by_the_cache_is_retried_with_backoff_and_lands_later(
    recorder, settings, editor, editor_client, django_capture_on_commit_callbacks
):
    cache = recorder(answers=[503])
    settings.HTTP_CACHE_PURGE = [{"kind": "varnish", "url": cache.url}]
    article = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        articles.article_publish(article=article, by=editor)
    [row] = _purge_rows()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "503" in row.last_error and row.next_attempt_at > timezone.now()

    dashboard = editor_client.get("/admin/").content.decode()
    assert "HTTP cache purges failing" in dashboard and "answered 503" in dashboard

    due = timezone.now() - datetime.timedelta(seconds=1)  # its backoff has run out
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=due)
    with django_capture_on_commit_callbacks(execute=True):
        services.deliver([row.pk])
    row.refresh_from_db()
    assert row.status == "sent" and len(cache.requests) == 2
    assert "Every change reached the HTTP cache" in editor_client.get("/admin/").content.decode()


def test_the_fastly_purge_is_one_batch_request_with_the_surrogate_keys(recorder, settings):
    api = recorder(body=b'{"article-1": "108-1391560174-974124"}')
    settings.FASTLY_API_URL = api.url
    purges.send(
        {"kind": "fastly", "service_id": "SU1Z0isxPaozGVKXdv0eY", "token": "t0k"}, ["a", "b"]
    )
    [request] = api.requests
    assert request["method"] == "POST"
    assert request["path"] == "/service/SU1Z0isxPaozGVKXdv0eY/purge"
    assert request["headers"]["Fastly-Key"] == "t0k"
    assert request["headers"]["Surrogate-Key"] == "a b"
    assert "Fastly-Soft-Purge" not in request["headers"]  # gone at once, not marked stale


def test_the_fastly_batch_holds_at_most_256_keys(recorder, settings):
    api = recorder()
    settings.FASTLY_API_URL = api.url
    keys = [f"article-{n}" for n in range(300)]
    purges.send({"kind": "fastly", "service_id": "S", "token": "t"}, keys)
    sent = [r["headers"]["Surrogate-Key"].split() for r in api.requests]
    assert [len(batch) for batch in sent] == [256, 44]
    assert [key for batch in sent for key in batch] == keys


def test_the_cloudflare_purge_posts_the_tags_as_json_with_a_bearer_token(recorder, settings):
    api = recorder()
    settings.CLOUDFLARE_API_URL = api.url + "/client/v4"
    keys = [f"article-{n}" for n in range(31)]
    purges.send({"kind": "cloudflare", "zone_id": "023e105f4ecef8ad", "token": "cf"}, keys)
    first, second = api.requests
    assert first["method"] == "POST"
    assert first["path"] == "/client/v4/zones/023e105f4ecef8ad/purge_cache"
    assert first["headers"]["Authorization"] == "Bearer cf"
    assert first["headers"]["Content-Type"] == "application/json"
    assert json.loads(first["body"]) == {"tags": keys[:30]}
    assert json.loads(second["body"]) == {"tags": keys[30:]}


def test_a_cloudflare_answer_without_success_is_a_failure(recorder, settings):
    api = recorder(body=b'{"success": false, "errors": [{"code": 1134}]}')
    settings.CLOUDFLARE_API_URL = api.url
    with pytest.raises(purges.PurgeError, match="did not confirm"):
        purges.send({"kind": "cloudflare", "zone_id": "z", "token": "t"}, ["a"])


def test_a_cache_that_does_not_answer_is_a_transient_failure(settings):
    with pytest.raises(purges.PurgeError, match=r"PURGE http://127\.0\.0\.1"):
        purges.send({"kind": "varnish", "url": f"http://127.0.0.1:{free_port()}"}, ["a"])
    assert purges.PurgeTransport().is_transient(purges.PurgeError("down"))
