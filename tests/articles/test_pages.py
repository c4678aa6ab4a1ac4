import datetime
import re

import pytest
from django.utils import timezone

from articles import list_counts, rendering
from articles.models import Article, Correction, Move
from newsroom.views import HOME_LATEST
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    RegionFactory,
    SeriesFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged():
    """A topic, a region, an author and a series shared by the articles of a test."""
    return {
        "topic": TopicFactory(name="Drones", slug="drones"),
        "region": RegionFactory(name="Armenia", slug="armenia"),
        "author": AuthorFactory(name="Leyla Huseynova", slug="leyla", title="Senior Fellow"),
        "series": SeriesFactory(title="Drones in regional wars", slug="drones-series"),
    }


def _article(tagged, **kwargs):
    """An article as the services leave it: saved with its byline and tags, rendered, and
    counted in its lists."""
    article = ArticleFactory(
        authors=[tagged["author"]],
        topics=[tagged["topic"]],
        regions=[tagged["region"]],
        series=tagged["series"],
        **kwargs,
    )
    rendering.article_render(article_id=article.pk)
    list_counts.lists_refresh(list_counts.lists_of([article.pk]))
    return article


def _public_urls(article) -> list[str]:
    year, month = article.publish_at.year, article.publish_at.month
    return [
        "/",
        "/topics/drones/",
        "/regions/armenia/",
        "/authors/leyla/",
        "/series/drones-series/",
        f"/archive/{year}/",
        f"/archive/{year}/{month:02d}/",
    ]


def test_every_public_page_shows_a_published_article(client, tagged):
    article = _article(tagged, title="Loitering munitions over Karabakh")
    for url in [*_public_urls(article), "/topics/", "/regions/", "/archive/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        if url not in ("/topics/", "/regions/", "/archive/"):
            assert "Loitering munitions over Karabakh" in response.text, url


def test_article_page_shows_byline_with_titles_dates_and_tags(client, tagged):
    second = AuthorFactory(name="Elif Demir", slug="elif", title="Defence Analyst")
    article = ArticleFactory(
        title="Drones and armour",
        authors=[tagged["author"], second],
        topics=[tagged["topic"]],
        regions=[tagged["region"]],
        publish_at=datetime.datetime(2020, 12, 14, 9, tzinfo=datetime.UTC),
    )
    page = client.get(article.get_absolute_url()).text
    assert 'Leyla Huseynova</a>, <span class="byline__title" dir="auto">Senior Fellow' in page
    assert page.index("Leyla Huseynova") < page.index("Elif Demir")
    assert "14 December 2020" in page
    assert 'href="/topics/drones/"' in page and 'href="/regions/armenia/"' in page
    assert "min read" in page


@pytest.mark.parametrize("hidden", ["draft", "future"])
def test_draft_and_future_article_are_nowhere(client, tagged, hidden):
    visible = _article(tagged, title="The visible one")
    secret = _article(tagged, title="The secret one", **{hidden: True})
    assert client.get(secret.get_absolute_url()).status_code == 404
    for url in _public_urls(visible):
        response = client.get(url)
        assert "The visible one" in response.text, url
        assert "The secret one" not in response.text, url


@pytest.mark.parametrize(("status", "code"), [("review", 404), ("archived", 410)])
def test_articles_in_review_or_archived_are_not_public(client, tagged, status, code):
    article = _article(tagged, title="Not for readers", status=status)
    response = client.get(article.get_absolute_url())
    assert response.status_code == code
    assert "Not for readers" not in response.text
    for url in _public_urls(article):
        assert "Not for readers" not in client.get(url).text, url


def test_archived_article_answers_gone_with_a_page_of_the_site(client, tagged):
    article = _article(tagged, status="archived")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 410
    assert "This analysis is no longer available" in response.text
    assert "Skip to content" in response.text


def test_scheduled_article_is_public_once_its_time_has_passed(client, tagged):
    article = _article(
        tagged,
        title="Due while nobody looked",
        status=Article.Status.SCHEDULED,
        publish_at=timezone.now() - datetime.timedelta(minutes=1),
        first_published_at=None,
    )
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Due while nobody looked" in client.get("/topics/drones/").text


def test_topic_index_counts_only_published_articles(client, tagged):
    _article(tagged)
    _article(tagged)
    _article(tagged, draft=True)
    page = client.get("/topics/").text
    assert 'Drones</a> <span class="count">2 articles</span>' in page


def test_list_pages_are_paginated(client, tagged, settings):
    settings.ARTICLES_PER_PAGE = 5
    for _ in range(7):
        _article(tagged)
    first = client.get("/topics/drones/")
    assert first.text.count('class="card"') == 5
    assert "Page 1 of 2" in first.text
    second = client.get("/topics/drones/?page=2")
    assert second.text.count('class="card"') == 2
    assert client.get("/topics/drones/?page=abc").status_code == 200


def test_unknown_pages_answer_404_in_the_site_design(client):
    for url in ("/articles/no-such-thing/", "/topics/nothing/", "/archive/1999/", "/nope/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find that page" in response.text
        assert "Skip to content" in response.text


def test_server_error_page_is_in_the_site_design(client, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("newsroom.views.render", explode)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "boom" not in response.text


def test_series_page_lists_articles_in_series_order_with_navigation(client, tagged):
    second = _article(tagged, title="Part two", series_position=2)
    first = _article(tagged, title="Part one", series_position=1)
    page = client.get("/series/drones-series/").text
    assert page.index("Part one") < page.index("Part two")
    article_page = client.get(first.get_absolute_url()).text
    assert "Next in the series" in article_page and second.get_absolute_url() in article_page


@pytest.mark.parametrize(
    ("rights", "notice"),
    [
        ("exclusive", "Republishing it, in whole or in part, requires credit"),
        ("republished", "This piece first appeared in"),
        ("excerpt", "This is an excerpt of a piece published in"),
    ],
)
def test_article_shows_its_rights_notice(client, rights, notice):
    article = ArticleFactory(
        rights=rights,
        source_outlet="Black Sea Review",
        source_url="https://example.org/original",
        source_published_on=datetime.date(2023, 3, 6),
    )
    page = client.get(article.get_absolute_url()).text
    assert notice in page
    if rights == "republished":
        assert '<link rel="canonical" href="https://example.org/original">' in page
        assert "6 March 2023" in page
    else:
        assert (
            f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
        )


def test_long_article_has_a_table_of_contents(client):
    body = "\n\n".join(f"## Section {n}\n\nText of section {n}." for n in range(1, 6))
    article = ArticleFactory(body=body)
    page = client.get(article.get_absolute_url()).text
    assert 'aria-labelledby="toc-heading"' in page
    assert '<a href="#section-3">Section 3</a>' in page
    assert '<h2 id="section-3">Section 3</h2>' in page


def test_short_article_has_no_table_of_contents(client):
    article = ArticleFactory(body="## One\n\nShort.")
    assert "toc-heading" not in client.get(article.get_absolute_url()).text


def test_simulation_shows_its_timeline_in_order(client):
    article = ArticleFactory(kind=Article.Kind.SIMULATION)
    Move.objects.create(article=article, position=2, phase="Day 3", actor="Iran", action="Drills")
    Move.objects.create(
        article=article, position=1, phase="Day 1", actor="Armenia", action="Road cut"
    )
    page = client.get(article.get_absolute_url()).text
    assert "The sequence of moves" in page
    assert page.index("Road cut") < page.index("Drills")


def test_briefing_embeds_its_video_from_an_allowed_host(client):
    article = ArticleFactory(
        kind=Article.Kind.BRIEFING, video_url="https://www.youtube.com/watch?v=abcDEF12345"
    )
    page = client.get(article.get_absolute_url()).text
    assert 'src="https://www.youtube-nocookie.com/embed/abcDEF12345"' in page


def test_correction_shows_and_changes_the_updated_date(client):
    article = ArticleFactory(publish_at=datetime.datetime(2023, 2, 20, tzinfo=datetime.UTC))
    Correction.objects.create(
        article=article,
        note="An earlier version gave the wrong date for the checkpoint.",
        created_at=datetime.datetime(2023, 2, 22, tzinfo=datetime.UTC),
    )
    page = client.get(article.get_absolute_url()).text
    assert "An earlier version gave the wrong date" in page
    assert "Updated <time" in page and "22 February 2023" in page


def test_anonymous_public_pages_set_no_cookie(client, tagged):
    article = _article(tagged)
    for url in [*_public_urls(article), article.get_absolute_url(), "/topics/", "/nope/"]:
        response = client.get(url)
        assert not response.cookies, url


def test_every_response_carries_the_security_headers(client, tagged):
    article = _article(tagged)
    for url in ("/", article.get_absolute_url(), "/nope/", "/admin/login/"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert (
            "script-src 'self'" in csp
            and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
        )
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
        assert "camera=()" in headers["Permissions-Policy"]
        assert headers["X-Frame-Options"] == "DENY"


# Each list page: the page's own object (topic, region, author or series) where it has one,
# the paginator's count (archives: the months with articles), the page of articles, then one
# prefetch each for bylines (with their authors) and topics. Home: the featured article and
# the latest ones (each with the two prefetches), the active series with their counts, and
# the open calls with their series.
# With no cache of any kind. Home: the latest cards, the featured card, the active series,
# the open calls. A list: the topic, region, author or series itself (an archive: its
# months), the count (kept on write: one lookup), the page's cards (plain values rendered
# on write).
LIST_PAGE_QUERIES = {
    "/": 4,
    "/topics/drones/": 3,
    "/regions/armenia/": 3,
    "/authors/leyla/": 3,
    "/series/drones-series/": 3,
    "archive_year": 3,
    "archive_month": 3,
}


def test_list_pages_make_the_same_queries_for_1_and_30_articles(
    client, tagged, settings, django_assert_num_queries
):
    featured = _article(
        tagged, publish_at=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC), is_featured=True
    )
    urls = {
        **{url: url for url in LIST_PAGE_QUERIES if url.startswith("/")},
        "archive_year": "/archive/2024/",
        "archive_month": "/archive/2024/05/",
    }
    for name, url in urls.items():
        with django_assert_num_queries(LIST_PAGE_QUERIES[name], info=f"{url}, 1 article"):
            page = client.get(url).text
        assert featured.title in page, url  # the count is of a page that lists the article
    extra_topic, extra_region = TopicFactory(), RegionFactory()
    for day in range(2, 31):
        article = _article(tagged, publish_at=datetime.datetime(2024, 5, day, tzinfo=datetime.UTC))
        article.topics.add(extra_topic)
        article.regions.add(extra_region)
        article.bylines.create(author=AuthorFactory(), position=1)
        rendering.article_render(article_id=article.pk)  # as the services do after an edit
    for name, url in urls.items():
        with django_assert_num_queries(LIST_PAGE_QUERIES[name], info=f"{url}, 30 articles"):
            page = client.get(url).text
        # The count is of a full page: a page of cards, or home's featured and latest.
        shown = set(re.findall(r">(Analysis number \d+)<", page))
        assert len(shown) == (HOME_LATEST + 1 if url == "/" else settings.ARTICLES_PER_PAGE), url
    home = client.get("/").text
    assert featured.title in home[home.index('class="featured"') : home.index("</section>")]


def test_article_page_needs_a_handful_of_queries(client, tagged, django_assert_max_num_queries):
    article = _article(tagged, series_position=1)
    # with no cache of any kind: the article's row with its parts rendered on write (byline,
    # tags, timeline, corrections, series navigation, references, JSON-LD); the cards of
    # its related analyses
    with django_assert_max_num_queries(2):
        client.get(article.get_absolute_url())
