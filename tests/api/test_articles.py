import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from base.api_keys import ReadThrottle
from base.models import ApiKey
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SeriesFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _slugs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [a["slug"] for a in response.json()["results"]]


@pytest.fixture
def corpus():
    t = {n: TopicFactory(slug=n) for n in ("drones", "energy", "diplomacy")}
    r = {n: RegionFactory(slug=n) for n in ("armenia", "iran")}
    series = SeriesFactory(slug="ceasefire")
    elif_ = AuthorFactory(slug="elif", name="Elif Demir")

    def article(slug, days, topics=(), regions=(), **kw):
        kw.setdefault("publish_at", NOW - datetime.timedelta(days=days))
        return ArticleFactory(
            slug=slug,
            title=kw.pop("title", f"Article {slug}"),
            topics=[t[x] for x in topics],
            regions=[r[x] for x in regions],
            **kw,
        )

    article("a", 1, ["drones", "energy"], ["armenia"], kind="report", series=series)
    article("b", 2, ["drones"], ["iran"], authors=[elif_])
    article("c", 3, ["energy"], ["armenia", "iran"], title="Pipeline politics")
    article("d", 400, ["diplomacy"], [], kind="report", series=series)
    article("draft", 1, ["drones"], ["armenia"], status="draft", publish_at=None)
    article("future", -3, ["drones"], ["armenia"], status="scheduled")
    article("archived", 5, ["drones"], ["armenia"], status="archived")
    return t


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["a", "b", "c", "d"]),
        ({"topic": "drones"}, ["a", "b"]),
        ({"topic": "drones,energy"}, ["a", "b", "c"]),
        ({"topic": "drones,energy", "match": "all"}, ["a"]),
        ({"topic": ["drones", "energy"], "match": "any"}, ["a", "b", "c"]),
        ({"region": "armenia,iran", "match": "all"}, ["c"]),
        ({"region": "iran"}, ["b", "c"]),
        ({"topic": "energy", "region": "iran"}, ["c"]),
        ({"series": "ceasefire"}, ["a", "d"]),
        ({"author": "elif"}, ["b"]),
        ({"kind": "report"}, ["a", "d"]),
        ({"kind": "report", "series": "ceasefire", "topic": "diplomacy"}, ["d"]),
        ({"published_after": (NOW - datetime.timedelta(days=2, hours=12)).isoformat()}, ["a", "b"]),
        ({"published_before": (NOW - datetime.timedelta(days=10)).isoformat()}, ["d"]),
        ({"published_before": "9450-06-10T01:52:24-16:32"}, ["a", "b", "c", "d"]),
        ({"q": "pipeline"}, ["c"]),
        ({"q": "pipeline", "topic": "drones"}, []),
        ({"ordering": "published"}, ["d", "c", "b", "a"]),
    ],
)
def test_every_filter_and_combination_gives_the_expected_set(client, corpus, params, expected):
    response = client.get("/api/v1/articles/", params)
    slugs = _slugs(response)
    if params.get("ordering"):
        assert slugs == expected
    else:
        assert sorted(slugs) == sorted(expected)
        assert slugs == sorted(slugs, key=["a", "b", "c", "d"].index)  # newest first


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"topic": "nope"}, "topic"),
        ({"region": "drones"}, "region"),
        ({"kind": "poem"}, "kind"),
        ({"match": "most"}, "match"),
        ({"published_after": "yesterday"}, "published_after"),
        ({"author": "nobody"}, "author"),
        ({"q": "!!!"}, "q"),
        ({"ordering": "title"}, "ordering"),
        ({"published_after": "9999-12-31T23:00:00-16:32"}, "published_after"),
    ],
)
def test_a_bad_filter_value_is_a_400_in_json(client, corpus, params, field):
    response = client.get("/api/v1/articles/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["detail"] and field in body.get("errors", {})


def test_nothing_unpublished_is_reachable_by_slug(client, corpus):
    for slug in ("draft", "future", "archived"):
        response = client.get(f"/api/v1/articles/{slug}/")
        assert response.status_code == 404
        assert response.json()["detail"]


def test_unknown_endpoints_answer_json(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_detail_carries_the_article_and_markdown_on_request(client):
    article = ArticleFactory(
        kind="simulation",
        body="## Setting\n\nText.",
        authors=[AuthorFactory(name="Nare", title="Analyst", email="nare@example.org")],
    )
    article.moves.create(position=0, phase="Day 1", actor="Iran", action="Drills")
    data = client.get(f"/api/v1/articles/{article.slug}/").json()
    assert '<h2 id="setting">Setting</h2>' in data["body_html"]
    assert data["body_markdown"] is None
    assert data["authors"] == [
        {"name": "Nare", "slug": article.ordered_authors()[0].slug, "title": "Analyst", "orcid": ""}
    ]
    assert data["timeline"][0]["actor"] == "Iran"
    assert data["rights"]["type"] == "exclusive"
    with_md = client.get(f"/api/v1/articles/{article.slug}/", {"include": "markdown"}).json()
    assert with_md["body_markdown"].startswith("## Setting")
    authors = client.get("/api/v1/authors/").content
    assert (
        b"nare@example.org" not in authors
        and b"nare@example.org" not in client.get(f"/api/v1/articles/{article.slug}/").content
    )


def test_cursor_pages_stay_stable_while_articles_are_published(client):
    for n in range(7):
        ArticleFactory(slug=f"old-{n}", publish_at=NOW - datetime.timedelta(days=10 + n))
    first = client.get("/api/v1/articles/", {"page_size": 3}).json()
    assert [a["slug"] for a in first["results"]] == ["old-0", "old-1", "old-2"]
    ArticleFactory(slug="breaking", publish_at=NOW)  # published between two pages
    second = client.get(first["next"]).json()
    assert [a["slug"] for a in second["results"]] == ["old-3", "old-4", "old-5"]
    third = client.get(second["next"]).json()
    assert [a["slug"] for a in third["results"]] == ["old-6"] and third["next"] is None


def test_page_size_is_capped(client):
    for _ in range(3):
        ArticleFactory()
    assert len(client.get("/api/v1/articles/", {"page_size": 1000}).json()["results"]) == 3
    assert client.get("/api/v1/articles/", {"page_size": "abc"}).status_code == 200


def test_list_makes_one_query_for_1_and_for_50_articles(client, django_assert_num_queries):
    from articles import rendering
    from articles.models import Article

    topic, region = TopicFactory(), RegionFactory()
    ArticleFactory(topics=[topic], regions=[region], series=SeriesFactory())
    for _ in range(49):
        ArticleFactory(
            topics=[TopicFactory()], regions=[region], authors=[AuthorFactory(), AuthorFactory()]
        )
    # As the services leave them: each article's list item rendered on write.
    rendering.articles_render(ids=Article.objects.values_list("pk", flat=True))
    # the page's articles with their items (plain JSON rendered on write)
    with django_assert_num_queries(1):
        one = client.get("/api/v1/articles/?page_size=1").json()
    with django_assert_num_queries(1):
        fifty = client.get("/api/v1/articles/?page_size=50").json()
    assert (len(one["results"]), len(fifty["results"])) == (1, 50)
    authors = {len(item["authors"]) for item in fifty["results"]}
    assert authors == {1, 2} and all(item["topics"] for item in fifty["results"])


def test_a_repeated_conditional_request_gets_304(client):
    article = ArticleFactory()
    for url in ("/api/v1/articles/", f"/api/v1/articles/{article.slug}/", "/api/v1/topics/"):
        first = client.get(url)
        assert "public" in first["Cache-Control"]
        again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304
    modified = client.get(f"/api/v1/articles/{article.slug}/")["Last-Modified"]
    again = client.get(f"/api/v1/articles/{article.slug}/", HTTP_IF_MODIFIED_SINCE=modified)
    assert again.status_code == 304


def test_anonymous_reads_are_throttled_but_a_key_raises_the_limit(client, monkeypatch):
    monkeypatch.setattr(ReadThrottle, "THROTTLE_RATES", {"anon": "3/min", "key": "100/min"})
    cache.clear()
    ArticleFactory()
    for _ in range(3):
        assert client.get("/api/v1/articles/").status_code == 200
    limited = client.get("/api/v1/articles/")
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "throttled" in limited.json()["detail"].lower() or limited.json()["detail"]
    key, raw = ApiKey.issue(name="A research group")
    for _ in range(10):
        assert client.get("/api/v1/articles/", HTTP_X_API_KEY=raw).status_code == 200
    key.revoked_at = timezone.now()
    key.save()
    assert client.get("/api/v1/articles/", HTTP_X_API_KEY=raw).status_code in (401, 403)
    cache.clear()


def test_cors_is_open_for_reading(client):
    response = client.get("/api/v1/topics/", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_counts_are_of_published_articles_only(client, corpus):
    topics = {t["slug"]: t["article_count"] for t in client.get("/api/v1/topics/").json()}
    assert topics["drones"] == 2
    series = client.get("/api/v1/series/").json()
    assert series[0]["article_count"] == 2


def test_docs_are_served_from_our_own_static_files(client):
    page = client.get("/api/docs/").text
    assert "swagger-ui" in page
    assert "cdn" not in page.lower() and "https://" not in page.split("<body")[0].replace(
        "https://swagger.io", ""
    )


def test_the_list_gives_each_editions_language_and_filters_by_it(client):
    source = ArticleFactory(slug="ceasefire")
    ArticleFactory(slug="peremirie", language="ru", translation_key=source.translation_key)
    everything = client.get("/api/v1/articles/").json()["results"]
    assert {(a["slug"], a["language"]) for a in everything} == {
        ("ceasefire", "en"),
        ("peremirie", "ru"),
    }
    russian = client.get("/api/v1/articles/", {"language": "ru"}).json()["results"]
    assert [a["slug"] for a in russian] == ["peremirie"]
    refused = client.get("/api/v1/articles/", {"language": "xx"})
    assert refused.status_code == 400 and "language" in refused.json()["errors"]
