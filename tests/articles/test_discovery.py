import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from articles import services
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r'class="card__title"[^>]*><a href="[^"]+">([^<]+)</a>', html)


def _results(html: str) -> list[str]:
    """The titles a search found (an empty result also shows the latest articles)."""
    found = re.search(r'<ol class="card-list results">(.*?)</ol>', html, re.S)
    return _titles(found.group(1)) if found else []


# --- Search ------------------------------------------------------------------------------------


def test_search_ranks_title_above_standfirst_above_body(client):
    ArticleFactory(title="Notes on trade", dek="Ports.", body="The Lachin road matters.")
    ArticleFactory(title="Notes on borders", dek="The Lachin road, again.", body="Text.")
    ArticleFactory(title="The Lachin road", dek="A report.", body="Text.")
    response = client.get("/search/", {"q": "Lachin"})
    assert _results(response.text) == ["The Lachin road", "Notes on borders", "Notes on trade"]
    assert "<mark>Lachin</mark>" in response.text or "<mark>lachin</mark>" in response.text.lower()


def test_search_understands_phrases_exclusions_and_or(client):
    ArticleFactory(title="Drone war over Karabakh", body="Loitering munitions and TB2s.")
    ArticleFactory(title="Drones in Ukraine", body="Shahed drones over Kyiv.")
    ArticleFactory(title="Pipelines and ports", body="Oil moves west through Georgia.")

    def found(q):
        return sorted(_results(client.get("/search/", {"q": q}).text))

    assert found('"loitering munitions"') == ["Drone war over Karabakh"]
    assert found("drone -Ukraine") == ["Drone war over Karabakh"]
    assert found("Kyiv or Georgia") == ["Drones in Ukraine", "Pipelines and ports"]
    assert found("Karabakh Georgia") == []


def test_search_filters_show_counts_and_narrow_the_results(client):
    drones, energy = TopicFactory(name="Drones", slug="drones"), TopicFactory(name="Energy")
    armenia = RegionFactory(name="Armenia", slug="armenia")
    ArticleFactory(title="Drones one", body="security", topics=[drones], regions=[armenia])
    ArticleFactory(title="Drones two", body="security", topics=[drones], kind="report")
    ArticleFactory(
        title="Energy one",
        body="security",
        topics=[energy],
        publish_at=timezone.now().replace(year=2021),
    )
    page = client.get("/search/", {"q": "security"}).text
    assert re.search(r">Drones</a> <span class=\"count\">2</span>", page)
    assert re.search(r">Armenia</a> <span class=\"count\">1</span>", page)
    assert re.search(r">2021</a> <span class=\"count\">1</span>", page)
    assert re.search(r">Report</a> <span class=\"count\">1</span>", page)
    narrowed = client.get("/search/", {"q": "security", "topic": "drones", "region": "armenia"})
    assert _results(narrowed.text) == ["Drones one"]
    assert _results(client.get("/search/", {"q": "security", "kind": "report"}).text) == [
        "Drones two"
    ]
    assert _results(client.get("/search/", {"q": "security", "year": "2021"}).text) == [
        "Energy one"
    ]


def test_search_pages_through_many_results(client, settings):
    settings.ARTICLES_PER_PAGE = 5
    for n in range(7):
        ArticleFactory(title=f"Corridor study {n}", body="corridor")
    first = client.get("/search/", {"q": "corridor"}).text
    assert len(_results(first)) == 5 and "Page 1 of 2" in first
    assert len(_results(client.get("/search/", {"q": "corridor", "page": 2}).text)) == 2


@pytest.mark.parametrize(
    "q", ["", "   ", "!!! $$$ ***", "x" * 10_000, '"', "-", "or", "a:b & | ! ()"]
)
def test_empty_or_absurd_queries_get_a_clear_page(client, q):
    ArticleFactory(title="Anything")
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "Search our analyses" in response.text or "Results for" in response.text


def test_a_nul_in_the_query_gets_the_bad_request_page(client):
    """No parameter may carry a NUL (base/requests.py): the reader is told, not given a 500."""
    response = client.get("/search/", {"q": "drones\x00"})
    assert response.status_code == 400
    assert "We could not understand that request" in response.text


def test_search_never_finds_what_is_not_public(client):
    ArticleFactory(title="Public corridor")
    ArticleFactory(title="Draft corridor", draft=True)
    ArticleFactory(title="Future corridor", future=True)
    assert _results(client.get("/search/", {"q": "corridor"}).text) == ["Public corridor"]


def test_search_makes_the_same_queries_for_few_and_many_results(
    client, settings, django_assert_num_queries
):
    # Three: with two results or fewer a search also looks for a better spelling, a fixed
    # cost of its own (tests/articles/test_search_help.py).
    for n in range(3):
        ArticleFactory(title=f"Ceasefire {n}", topics=[TopicFactory()])
    # the matching ids; counts by kind and year, by topic, by region; the page of results with
    # their series, then their bylines with authors and their topics; the results' text for
    # the snippets, which PostgreSQL then highlights in one more query (ts_headline)
    queries = 9 if connection.vendor == "postgresql" else 8
    with django_assert_num_queries(queries, info="3 results"):
        few = _results(client.get("/search/", {"q": "ceasefire"}).text)
    for n in range(20):
        ArticleFactory(title=f"Ceasefire more {n}", topics=[TopicFactory()])
    with django_assert_num_queries(queries, info="23 results"):
        many = _results(client.get("/search/", {"q": "ceasefire"}).text)
    assert (len(few), len(many)) == (3, settings.ARTICLES_PER_PAGE)


# --- Feeds, sitemap, robots ---------------------------------------------------------------------


@pytest.fixture
def feed_content():
    topic = TopicFactory(name="Drones", slug="drones")
    region = RegionFactory(name="Armenia", slug="armenia")
    author = AuthorFactory(name="Elif Demir", slug="elif")
    ArticleFactory(
        title="Drones over Karabakh",
        dek="How they changed the war.",
        topics=[topic],
        regions=[region],
        authors=[author],
    )
    ArticleFactory(title="Unrelated public piece")
    ArticleFactory(title="A draft on drones", draft=True, topics=[topic])


@pytest.mark.parametrize(
    ("url", "version"),
    [
        ("/feed/", "rss20"),
        ("/feed/atom/", "atom10"),
        ("/topics/drones/feed/", "rss20"),
        ("/regions/armenia/feed/", "rss20"),
        ("/authors/elif/feed/", "rss20"),
    ],
)
def test_feeds_are_valid_and_carry_summaries_authors_and_categories(
    client, feed_content, url, version
):
    response = client.get(url)
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == version
    titles = [entry.title for entry in feed.entries]
    assert "Drones over Karabakh" in titles and "A draft on drones" not in titles
    entry = next(e for e in feed.entries if e.title == "Drones over Karabakh")
    assert "How they changed the war." in entry.summary
    assert entry.author == "Elif Demir"
    assert {"Drones", "Armenia"} <= {tag.term for tag in entry.tags}
    assert entry.link.endswith("/articles/" + entry.link.rsplit("/articles/", 1)[1])


def test_pages_point_to_their_feeds(client, feed_content):
    assert 'type="application/rss+xml"' in client.get("/").text
    topic_page = client.get("/topics/drones/").text
    assert 'href="/topics/drones/feed/"' in topic_page
    assert 'href="/authors/elif/feed/"' in client.get("/authors/elif/").text


def test_sitemap_lists_published_articles_and_pages_with_them(client, feed_content):
    response = client.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.find("s:loc", ns).text: u for u in root.findall("s:url", ns)}
    assert any(u.endswith("/topics/drones/") for u in urls)
    assert any(u.endswith("/regions/armenia/") for u in urls)
    assert any(u.endswith("/authors/elif/") for u in urls)
    article_urls = [u for u in urls if "/articles/" in u]
    assert len(article_urls) == 2
    assert all(urls[u].find("s:lastmod", ns) is not None for u in article_urls)


def test_robots_txt_points_to_the_sitemap(client):
    text = client.get("/robots.txt").text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text and "Disallow: /preview/" in text


# --- Article page: SEO and related analyses -------------------------------------------------------


def test_article_page_has_valid_json_ld_and_open_graph(client):
    original = ArticleFactory(
        title='Oil </script> and "arms"',
        rights="republished",
        source_outlet="Black Sea Review",
        source_url="https://example.org/original",
        source_published_on=datetime.date(2023, 3, 6),
        authors=[AuthorFactory(name="Yonatan Levi", title="Visiting Fellow")],
    )
    page = client.get(original.get_absolute_url()).text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == 'Oil </script> and "arms"'
    assert data["author"][0] == {
        "@type": "Person",
        "name": "Yonatan Levi",
        "jobTitle": "Visiting Fellow",
        "url": data["author"][0]["url"],
    }
    assert data["publisher"]["name"].startswith("Caucasus Center")
    assert data["isBasedOn"]["url"] == "https://example.org/original"
    assert datetime.datetime.fromisoformat(data["datePublished"]) == original.publish_at
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_related_analyses_share_the_most_tags_newest_first_among_equals(client):
    drones, energy, armenia = TopicFactory(), TopicFactory(), RegionFactory()
    article = ArticleFactory(title="The piece", topics=[drones, energy], regions=[armenia])
    now = timezone.now()
    ArticleFactory(title="One tag, older", topics=[drones], publish_at=now - datetime.timedelta(9))
    ArticleFactory(title="One tag, newer", topics=[energy], publish_at=now - datetime.timedelta(2))
    ArticleFactory(title="Three tags", topics=[drones, energy], regions=[armenia])
    ArticleFactory(title="Unrelated")
    ArticleFactory(title="Draft with all tags", draft=True, topics=[drones, energy])
    page = client.get(article.get_absolute_url()).text
    related = page.split('id="related-heading"')[1]
    assert _titles(related)[:3] == ["Three tags", "One tag, newer", "One tag, older"]
    assert "Unrelated" not in related and "Draft with all tags" not in related


# --- Page cache and conditional requests ---------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def test_anonymous_pages_are_cached_and_emptied_when_an_article_changes(
    client, editor, page_cache, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="First version", authors=[AuthorFactory()])
    assert client.get("/").headers["X-Page-Cache"] == "miss"
    assert client.get("/").headers["X-Page-Cache"] == "hit"

    draft = ArticleFactory(title="Breaking analysis", draft=True, authors=[AuthorFactory()])
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=draft, by=editor)
    assert "Breaking analysis" in client.get("/").text

    for change in (services.article_unpublish, services.article_archive):
        target = draft if change is services.article_unpublish else article
        with django_capture_on_commit_callbacks(execute=True):
            change(article=target, by=editor)
        assert target.title not in client.get("/").text


def test_editors_and_previews_never_get_a_cached_page(client, editor_client, page_cache):
    ArticleFactory(title="Cached for readers")
    client.get("/")
    response = editor_client.get("/")
    assert "X-Page-Cache" not in response.headers


def test_a_scheduled_article_appears_when_due_even_with_a_cached_page(client, page_cache):
    import time_machine

    ArticleFactory(title="Already out")
    ArticleFactory(
        title="Due soon",
        status="scheduled",
        publish_at=timezone.now() + datetime.timedelta(seconds=30),
        first_published_at=None,
    )
    assert "Due soon" not in client.get("/").text
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        # locmem honours the entry's timeout, which ended when the article became due
        assert "Due soon" in client.get("/").text


def test_article_pages_and_feeds_answer_304_when_unchanged(client):
    article = ArticleFactory()
    for url in (article.get_absolute_url(), "/feed/"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers.get("ETag")
        again = client.get(url, HTTP_IF_NONE_MATCH=first.headers["ETag"])
        assert again.status_code == 304 and again.content == b""
    since = client.get(article.get_absolute_url()).headers["Last-Modified"]
    assert client.get(article.get_absolute_url(), HTTP_IF_MODIFIED_SINCE=since).status_code == 304


def test_topic_index_and_region_pages_count_published_articles(client):
    drones, armenia = TopicFactory(name="Drones"), RegionFactory(name="Armenia")
    ArticleFactory(topics=[drones], regions=[armenia])
    ArticleFactory(topics=[drones], draft=True)
    assert '>Drones</a> <span class="count">1 article</span>' in client.get("/topics/").text
    assert '>Armenia</a> <span class="count">1 article</span>' in client.get("/regions/").text
