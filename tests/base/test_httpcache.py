"""What the HTTP cache in front is told: which answers it may keep, for how long, and the tags."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.cache import patch_cache_control

from base.httpcache import HttpCacheMiddleware, tag
from tests.factories import ArticleFactory, SeriesFactory

pytestmark = pytest.mark.django_db


def _answer(
    request=None, *, status=200, keys=("article-7", "list-articles"), cookie=None, control=None
):
    def view(request):
        response = HttpResponse("<p>The Lachin corridor</p>", status=status)
        tag(response, *keys)
        if cookie:
            response.set_cookie(cookie, "1")
        if control:
            response["Cache-Control"] = control
        return response

    return HttpCacheMiddleware(view)(request or RequestFactory().get("/articles/lachin/"))


def _directives(response) -> dict[str, str]:
    parts = [part.strip().partition("=") for part in response.get("Cache-Control", "").split(",")]
    return {name: value for name, _, value in parts if name}


def test_a_tagged_public_page_is_kept_by_shared_caches_with_grace_and_its_tags(settings):
    settings.HTTP_CACHE_SECONDS = 600
    settings.HTTP_CACHE_STALE_WHILE_REVALIDATE = 60
    settings.HTTP_CACHE_STALE_IF_ERROR = 86400
    response = _answer()
    assert _directives(response) == {
        "public": "",
        "max-age": "60",
        "s-maxage": "600",
        "stale-while-revalidate": "60",
        "stale-if-error": "86400",
    }
    assert response["xkey"] == "article-7 list-articles"


def test_each_vendor_header_gets_its_own_separator(settings):
    settings.HTTP_CACHE_TAG_HEADERS = ["xkey", "Surrogate-Key", "Cache-Tag"]
    response = _answer()
    assert response["xkey"] == "article-7 list-articles"
    assert response["Surrogate-Key"] == "article-7 list-articles"
    assert response["Cache-Tag"] == "article-7,list-articles"


def test_an_untagged_answer_is_left_as_its_view_made_it():
    response = _answer(keys=())
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert not response.has_header("xkey")


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().get("/", HTTP_COOKIE="sessionid=abc"),
        RequestFactory().get("/", HTTP_AUTHORIZATION="Token abc"),
        RequestFactory().post("/"),
    ],
    ids=["editor's session", "Authorization", "POST"],
)
def test_a_request_of_someone_in_particular_is_never_shared(request_):
    response = _answer(request_)
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("xkey")


@pytest.mark.parametrize(
    "kwargs",
    [{"cookie": "csrftoken"}, {"control": "private, max-age=0"}, {"control": "no-store"}],
    ids=["sets a cookie", "private", "no-store"],
)
def test_an_answer_that_is_someone_s_own_is_never_shared(kwargs):
    response = _answer(**kwargs)
    assert "s-maxage" not in response.get("Cache-Control", "")
    assert not response.has_header("xkey")


def test_a_server_error_is_never_kept():
    assert not _answer(status=500).has_header("xkey")


def test_a_view_that_knows_its_page_goes_stale_sooner_is_heard(settings):
    settings.HTTP_CACHE_SECONDS = 600

    def view(request):
        response = HttpResponse("home")
        tag(response, "list-articles")
        patch_cache_control(response, s_maxage=42)
        return response

    response = HttpCacheMiddleware(view)(RequestFactory().get("/"))
    assert _directives(response)["s-maxage"] == "42"
    assert _directives(response)["max-age"] == "42"


def test_home_names_the_latest_list_its_articles_and_its_series(client):
    series = SeriesFactory(is_active=True)
    shown = ArticleFactory(title="Drones over the Lachin road", series=series)
    response = client.get("/")
    keys = set(response["xkey"].split())
    assert {"list-articles", f"article-{shown.pk}", f"series-{series.pk}"} <= keys
    assert "s-maxage" in response["Cache-Control"]
    assert not response.cookies


def test_home_for_a_signed_in_editor_is_not_shared(editor_client):
    ArticleFactory()
    response = editor_client.get("/")
    assert "public" not in response.get("Cache-Control", "")
    assert not response.has_header("xkey")


def test_feeds_and_the_sitemap_are_lists_of_the_latest_articles(client):
    article = ArticleFactory(topics=["drones"])
    topic = article.topics.get()
    for url, expected in [
        ("/feed/", {"list-articles", f"article-{article.pk}"}),
        ("/feed/atom/", {"list-articles"}),
        (f"/topics/{topic.slug}/feed/", {f"list-topic-{topic.pk}", f"topic-{topic.pk}"}),
        ("/sitemap.xml", {"list-articles"}),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected <= set(response["xkey"].split()), url
