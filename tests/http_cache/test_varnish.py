"""The site behind a real Varnish (deploy/varnish/default.vcl): what readers get from it."""

import datetime
import threading
import time

import pytest
import time_machine
from django.utils import timezone

from articles import services as articles
from outbox import services as outbox
from outbox.models import Notification
from tests.factories import ArticleFactory
from tests.forms import form_as_shown

from . import slow_urls

pytestmark = pytest.mark.varnish


def _is_hit(response) -> bool:
    # Varnish names two transactions on a hit (this one and the one that stored the object).
    return response.headers["X-Cache"] == "hit" and len(response.headers["X-Varnish"].split()) == 2


@pytest.mark.parametrize("path", ["/", "article", "topic", "/feed/", "/sitemap.xml"])
def test_a_public_page_is_served_from_varnish_on_the_second_request(reader, path):
    article = ArticleFactory(title="Drones over the Lachin road", topics=["drones"])
    path = {
        "article": article.get_absolute_url(),
        "topic": article.topics.get().get_absolute_url(),
    }.get(path, path)
    first, second = reader.get(path), reader.get(path)
    assert first.status == second.status == 200
    assert first.headers["X-Cache"] == "miss"
    assert _is_hit(second)
    assert second.data == first.data
    assert "Set-Cookie" not in second.headers
    assert "xkey" not in second.headers  # the tags are for the cache, not for readers


def test_an_edit_through_the_admin_shows_in_the_next_anonymous_request(reader, editor_client):
    article = ArticleFactory(title="Lachin road reopens")
    pages = ["/", article.get_absolute_url()]
    for path in pages:
        reader.get(path)
        assert _is_hit(reader.get(path)) and b"Lachin road reopens" in reader.get(path).data

    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["title"] = ["Lachin road closed again"]
    assert editor_client.post(url, data).status_code == 302  # committed, purge delivered
    committed = time.monotonic()
    for path in pages:
        while b"Lachin road closed again" not in (page := reader.get(path)).data:
            assert time.monotonic() - committed < 1, f"{path}: still the old page after 1 s"
            time.sleep(0.02)
        assert page.headers["X-Cache"] == "miss", path  # purged, then built again
    assert time.monotonic() - committed < 1
    assert Notification.objects.get(channel="purge", event="article.updated").status == "sent"


def test_a_purge_that_fails_while_varnish_is_down_is_retried_and_lands(varnish, reader, editor):
    article = ArticleFactory(title="Border post opens")
    varnish.stop()
    articles.correction_add(article=article, note="It opened in April.", by=editor)
    row = Notification.objects.get(channel="purge")
    assert (row.status, row.attempts) == ("pending", 1)
    assert "PURGE" in row.last_error and row.next_attempt_at > timezone.now()

    varnish.start()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2), tick=True):
        outbox.resend_pending()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_grace_serves_the_previous_page_while_one_request_rebuilds(reader, settings):
    settings.ROOT_URLCONF = slow_urls.__name__
    settings.HTTP_CACHE_SECONDS = 1
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 30
    slow_urls.builds.clear()
    assert b"Edition 1" in reader.get("/slow/").data
    time.sleep(1.2)  # past its s-maxage, inside its stale-while-revalidate

    answers, started = [], time.monotonic()

    def read():
        answers.append((reader.get("/slow/").data, time.monotonic() - started))

    readers = [threading.Thread(target=read) for _ in range(6)]
    for thread in readers:
        thread.start()
    for thread in readers:
        thread.join()
    assert [body for body, _ in answers] == [b"<p>Edition 1</p>"] * 6
    assert max(seconds for _, seconds in answers) < slow_urls.BUILD_SECONDS

    time.sleep(slow_urls.BUILD_SECONDS + 0.3)  # the one rebuild is done
    assert reader.get("/slow/").data == b"<p>Edition 2</p>"
    assert len(slow_urls.builds) == 2


def test_without_stale_while_revalidate_a_reader_waits_for_the_fresh_page(reader, settings):
    """The grace above comes from the page's header, not from Varnish's default."""
    settings.ROOT_URLCONF = slow_urls.__name__
    settings.HTTP_CACHE_SECONDS = 1
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 0
    slow_urls.builds.clear()
    reader.get("/slow/")
    time.sleep(1.2)
    started = time.monotonic()
    assert reader.get("/slow/").data == b"<p>Edition 2</p>"
    assert time.monotonic() - started >= slow_urls.BUILD_SECONDS


def test_an_editor_and_any_cookie_or_authorization_go_straight_to_the_site(
    reader, editor, editor_client, settings
):
    article = ArticleFactory(title="Ceasefire holds")
    reader.get("/")
    assert _is_hit(reader.get("/"))
    settings.HTTP_CACHE_PURGE = []  # an edit the cache is not told of
    article.title = "Ceasefire broken"
    articles.article_update(article=article, by=editor, changed=["title"])
    assert b"Ceasefire holds" in reader.get("/").data  # readers: the cached page

    session = editor_client.cookies["sessionid"].value
    for headers in (
        {"Cookie": f"sessionid={session}"},
        {"Cookie": "csrftoken=abc"},
        {"Authorization": "Token 0123456789abcdef"},
    ):
        answer = reader.get("/", **headers)
        assert answer.headers["X-Cache"] == "miss", headers
        assert b"Ceasefire broken" in answer.data, headers
    assert b"Ceasefire holds" in reader.get("/").data  # and the cached page is untouched


def test_no_answer_from_the_cache_carries_a_cookie(reader):
    article = ArticleFactory(topics=["drones"])
    topic = article.topics.get()
    paths = [
        "/", "/feed/", "/feed/atom/", f"/topics/{topic.slug}/feed/", "/sitemap.xml",
        "/robots.txt", article.get_absolute_url(), f"/topics/{topic.slug}/", "/submit/",
        "/follow/", "/admin/login/", "/search/?q=drones",
    ]  # fmt: skip
    for path in paths * 2:
        answer = reader.get(path)
        if answer.headers["X-Cache"] == "hit":
            assert "Set-Cookie" not in answer.headers, path
        if "Set-Cookie" in answer.headers:
            assert answer.headers["X-Cache"] == "miss", path
    assert _is_hit(reader.get("/"))  # the test saw hits at all
    assert not _is_hit(reader.get("/submit/"))  # a form's CSRF cookie is never shared


def test_a_page_is_kept_compressed_and_given_whole_to_a_client_that_does_not_ask(reader):
    """Browsers ask for gzip and get the stored, compressed page (a quarter of the bytes for
    every hit); a client that does not ask gets it unpacked, the same text."""
    import gzip

    article = ArticleFactory(title="Drones over the Lachin road", body="The road. " * 400)
    path = article.get_absolute_url()
    reader.get(path, **{"Accept-Encoding": "gzip"})  # stored
    packed = reader.http.request(
        "GET", reader.base + path, headers={"Accept-Encoding": "gzip"}, decode_content=False
    )
    plain = reader.get(path)
    assert _is_hit(packed) and _is_hit(plain)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) * 3 < len(plain.data)
    assert "Accept-Encoding" in packed.headers["Vary"]
