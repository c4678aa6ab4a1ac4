import datetime

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from submissions.models import Call
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SeriesFactory,
    TopicFactory,
)
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _page_cache_entries() -> int:
    return sum(1 for key in cache._cache if ":pagecache:" in key and ":page:" in key)


def _call(**fields):
    deadline = timezone.now() + datetime.timedelta(days=30)
    return Call.objects.create(
        slug="drone-war-games", brief="Send us yours.", deadline=deadline, **fields
    )


# What each edit changes, where a reader sees it: (make the thing, its admin path, field).
SHOWN_ON_PAGES = {
    "author": (lambda: AuthorFactory(name="Old Name"), "articles/author", "name"),
    "series": (lambda: SeriesFactory(title="Old Name"), "articles/series", "title"),
    "topic": (lambda: TopicFactory(name="Old Name"), "articles/topic", "name"),
    "region": (lambda: RegionFactory(name="Old Name"), "articles/region", "name"),
    "call": (lambda: _call(title="Old Name"), "submissions/call", "title"),
}


def _page_showing(kind: str, thing) -> str:
    if kind == "call":
        ArticleFactory()
        return "/"
    related = {
        "author": {"authors": [thing]},
        "series": {"series": thing, "series_position": 1},
        "topic": {"topics": [thing]},
        "region": {"regions": [thing]},
    }[kind]
    return ArticleFactory(**related).get_absolute_url()


@pytest.mark.parametrize("kind", SHOWN_ON_PAGES)
def test_an_edit_in_the_admin_shows_at_once_on_cached_pages(
    kind, client, editor_client, page_cache, django_capture_on_commit_callbacks
):
    make, admin_path, field = SHOWN_ON_PAGES[kind]
    thing = make()
    url = _page_showing(kind, thing)
    client.get(url)
    cached = client.get(url)
    assert cached.headers["X-Page-Cache"] == "hit" and "Old Name" in cached.text

    change = f"/admin/{admin_path}/{thing.pk}/change/"
    data = form_as_shown(editor_client.get(change).text, f"{thing._meta.model_name}_form")
    data[field] = ["New Name"]
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(change, data).status_code == 302

    page = client.get(url).text
    assert "New Name" in page and "Old Name" not in page


def test_a_topic_deleted_in_the_admin_leaves_the_cached_pages(
    client, editor_client, page_cache, django_capture_on_commit_callbacks
):
    topic = TopicFactory(name="Removed Topic")
    ArticleFactory(topics=[topic])
    client.get("/topics/")
    assert "Removed Topic" in client.get("/topics/").text
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(f"/admin/articles/topic/{topic.pk}/delete/", {"post": "yes"})
    assert "Removed Topic" not in client.get("/topics/").text


def test_unknown_query_parameters_make_no_new_cache_entries(client, page_cache):
    article = ArticleFactory(topics=[TopicFactory(slug="drones")])
    for n in range(30):
        for url in ("/", article.get_absolute_url(), "/topics/drones/"):
            assert client.get(url, {"utm_source": f"campaign-{n}", "x": n}).status_code == 200
    assert _page_cache_entries() == 3
    assert client.get("/topics/drones/", {"fbclid": "new"}).headers["X-Page-Cache"] == "hit"


def test_page_numbers_past_the_end_make_no_new_cache_entries(client, page_cache, settings):
    settings.ARTICLES_PER_PAGE = 2
    topic = TopicFactory(slug="drones")
    for _ in range(3):
        ArticleFactory(topics=[topic])
    for page in ("1", "2", "01", "abc", *(str(n) for n in range(3, 40))):
        assert client.get("/topics/drones/", {"page": page}).status_code == 200
    assert _page_cache_entries() == 2  # page 1 and page 2, nothing else
    assert client.get("/topics/drones/?page=2").headers["X-Page-Cache"] == "hit"
    second_page = client.get("/topics/drones/?page=2").text
    assert second_page != client.get("/topics/drones/").text


def test_a_request_for_another_format_is_never_answered_from_the_page_cache(client, page_cache):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url()).headers["X-Page-Cache"] == "hit"
    other = client.get(article.get_absolute_url(), HTTP_ACCEPT="application/x-bibtex")
    assert "X-Page-Cache" not in other.headers


def test_a_cached_page_answers_a_conditional_request_with_304(client, page_cache):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url()).headers["X-Page-Cache"] == "hit"
    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_cached_page_keeps_the_security_headers(client, page_cache):
    client.get("/")
    hit = client.get("/")
    assert hit.headers["X-Page-Cache"] == "hit"
    for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
        assert header in hit.headers


def test_a_change_made_by_another_process_empties_this_ones_pages(client, page_cache, settings):
    """Another worker bumps the generation in the shared cache: pages kept go at once."""
    from django.db.models import F

    from base import pagecache

    article = ArticleFactory(title="Before the edit")
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    Article = type(article)
    # Saved by the other worker (a save moves the version its rendering is checked against).
    Article.objects.filter(pk=article.pk).update(
        title="After the edit", lock_version=F("lock_version") + 1
    )
    cache.incr(pagecache.GENERATION_KEY)  # as another process's pages_changed() does
    assert "After the edit" in client.get("/").text


def test_a_kept_page_is_not_served_past_a_scheduled_publication(client, page_cache):
    """A kept page expires when the next scheduled article becomes public, not when the beat
    task gets round to it."""
    import time_machine

    ArticleFactory(title="Already out")
    ArticleFactory(
        title="Due soon",
        status="scheduled",
        publish_at=timezone.now() + datetime.timedelta(seconds=30),
        first_published_at=None,
    )
    client.get("/")
    hit = client.get("/")
    assert hit.headers["X-Page-Cache"] == "hit" and "Due soon" not in hit.text
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        assert "Due soon" in client.get("/").text


BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
CITATION_TYPES = (
    "application/x-bibtex",
    "application/x-research-info-systems",
    "application/vnd.citationstyles.csl+json",
)


@pytest.mark.parametrize("method", ["get", "head"])
@pytest.mark.parametrize("first", ["application/xhtml+xml", "application/xml"])
@pytest.mark.parametrize("citation", CITATION_TYPES)
def test_a_citation_asked_for_behind_an_xml_type_never_becomes_the_page_for_browsers(
    method, first, citation, page_cache
):
    """The attack as it was sent: while the page is not cached, one anonymous request asks
    for an XML-ish type first and a citation format second. The next browser gets HTML."""
    url = ArticleFactory(title="Poisoned once").get_absolute_url()
    attacker, reader = Client(), Client()
    answer = getattr(attacker, method)(url, HTTP_ACCEPT=f"{first}, {citation}")
    assert answer.headers["Content-Type"].startswith(citation)

    for _ in range(2):  # the first reader builds the page, the second gets the cached copy
        page = getattr(reader, method)(url, HTTP_ACCEPT=BROWSER)
        assert page.status_code == 200
        assert page.headers["Content-Type"].startswith("text/html")
    if method == "get":
        assert "Poisoned once" in page.text
    assert page.headers["X-Page-Cache"] == "hit"


def test_only_html_answers_are_kept(client, page_cache):
    """A feed answers a browser's Accept with RSS: the page cache keeps HTML only."""
    ArticleFactory()
    client.get("/feed/", HTTP_ACCEPT=BROWSER)
    assert _page_cache_entries() == 0
    assert "X-Page-Cache" not in client.get("/feed/", HTTP_ACCEPT=BROWSER).headers


def test_an_answer_varying_on_a_header_the_cache_does_not_key_on_is_not_kept(rf, page_cache):
    """`Vary` names what the answer depends on: an answer that depends on a header the cache
    ignores (the reader's language, say) would be wrong for the next reader."""
    from base.pagecache import AnonymousPageCacheMiddleware

    def page_in_the_readers_language(request):
        response = HttpResponse(request.headers.get("Accept-Language", "en"))
        response["Vary"] = "Accept-Language"
        return response

    cached = AnonymousPageCacheMiddleware(page_in_the_readers_language)
    cached(rf.get("/topics/", HTTP_ACCEPT=BROWSER, HTTP_ACCEPT_LANGUAGE="ru"))
    second = cached(rf.get("/topics/", HTTP_ACCEPT=BROWSER, HTTP_ACCEPT_LANGUAGE="fa"))
    assert second.content == b"fa"
    assert _page_cache_entries() == 0


def test_a_request_that_does_not_ask_for_html_first_neither_reads_nor_fills_the_cache(
    rf, page_cache
):
    """Even below a middleware that forgot to answer it, an XML-first request is not taken
    for a browser: what it is given is not kept, and it is not given what was kept."""
    from base.pagecache import AnonymousPageCacheMiddleware

    cached = AnonymousPageCacheMiddleware(lambda request: HttpResponse(request.headers["Accept"]))
    hostile = "application/xhtml+xml, application/x-bibtex"
    cached(rf.get("/topics/", HTTP_ACCEPT=hostile))
    assert _page_cache_entries() == 0
    cached(rf.get("/topics/", HTTP_ACCEPT=BROWSER))
    assert cached(rf.get("/topics/", HTTP_ACCEPT=hostile)).content == hostile.encode()


def test_nothing_kept_is_a_model_instance_only_strings_and_plain_data(client, page_cache, settings):
    """A pickled model instance breaks on the next deploy that changes its class: the page
    cache and the fragments keep bytes, strings, numbers, lists and dicts only."""
    import pickle

    from django.db.models import Model

    settings.FRAGMENT_CACHE_SECONDS = 300
    topic = TopicFactory(slug="drones")
    for _ in range(3):
        ArticleFactory(topics=[topic], series=SeriesFactory())
    for url in ("/", "/topics/drones/", ArticleFactory().get_absolute_url(), "/archive/"):
        assert client.get(url).status_code == 200

    def plain(value) -> bool:
        if isinstance(value, list | tuple):
            return all(map(plain, value))
        if isinstance(value, dict):
            return all(plain(k) and plain(v) for k, v in value.items())
        return not isinstance(value, Model) and isinstance(
            value, str | bytes | int | float | bool | type(None) | datetime.date
        )

    kept = [pickle.loads(value) for key, value in cache._cache.items() if ":pagecache:" in key]  # noqa: S301
    assert kept and all(map(plain, kept))


def test_an_entry_written_by_another_release_is_never_read(client, page_cache, monkeypatch):
    """After a deploy the release differs: pages kept by the old code are not served."""
    from base import release

    ArticleFactory(title="Kept by the old code")
    client.get("/")
    assert client.get("/").headers["X-Page-Cache"] == "hit"
    monkeypatch.setattr(release, "release", lambda: "the-next-release")
    assert client.get("/").headers["X-Page-Cache"] == "miss"


def test_an_entry_that_cannot_be_read_is_a_miss_not_an_error(client, page_cache):
    """A kept value of another shape (a class renamed since, a broken entry) is rebuilt."""
    ArticleFactory(title="Still served")
    client.get("/")
    for key in [key for key in cache._cache if ":page:" in key]:
        cache._cache[key] = b"not a pickle at all"
    page = client.get("/")
    assert page.status_code == 200 and "Still served" in page.text
