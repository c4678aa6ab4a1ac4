"""Property: whatever mix of statuses and times, no unpublished article reaches a reader."""

import datetime
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from tests.factories import ArticleFactory, TopicFactory

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Article.Status]
# When the article is (or would be) public: long ago, a minute ago, in a minute, next year.
OFFSETS = [-400 * 24 * 60, -1, 1, 365 * 24 * 60]


@st.composite
def article_specs(draw):
    status = draw(st.sampled_from(STATUSES))
    needs_time = status in ("published", "scheduled")
    offset = draw(st.sampled_from(OFFSETS) if needs_time else st.none() | st.sampled_from(OFFSETS))
    return status, offset, draw(st.booleans())


def _is_public(status: str, offset: int | None) -> bool:
    return status == "published" or (status == "scheduled" and offset is not None and offset < 0)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(article_specs(), min_size=1, max_size=8))
def test_no_draft_reaches_search_feeds_sitemap_related_or_cached_pages(
    client, django_settings, specs
):
    Article.objects.all().delete()
    cache.clear()
    django_settings.PAGE_CACHE_SECONDS = 300
    topic = TopicFactory(slug=f"leak-{TopicFactory._meta.model.objects.count()}")
    now = timezone.now()
    expected = set()
    for n, (status, offset, featured) in enumerate(specs):
        title = f"Leakcheck item{n}"
        publish_at = now + datetime.timedelta(minutes=offset) if offset is not None else None
        ArticleFactory(
            title=title,
            status=status,
            publish_at=publish_at,
            first_published_at=publish_at if status == "published" else None,
            is_featured=featured,
            topics=[topic],
        )
        if _is_public(status, offset):
            expected.add(title)

    def titles(text: str) -> set[str]:
        return set(re.findall(r"Leakcheck item\d+", text))

    assert titles(client.get("/search/", {"q": "leakcheck"}).text) == expected
    for url in ("/feed/", "/feed/atom/", f"/topics/{topic.slug}/feed/"):
        feed = feedparser.parse(client.get(url).content)
        assert {entry.title for entry in feed.entries} == expected, url
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    locations = " ".join(loc.text for loc in sitemap.iter() if loc.tag.endswith("loc"))
    public_slugs = {a.slug for a in Article.objects.filter(title__in=expected)}
    listed = set(re.findall(r"/articles/([\w-]+)/", locations))
    assert listed == public_slugs
    for _ in range(2):  # the second is served from the page cache
        assert titles(client.get("/").text) == expected
        assert titles(client.get(f"/topics/{topic.slug}/").text) == expected
    for article in Article.objects.filter(title__in=expected):
        page = client.get(article.get_absolute_url()).text
        related = page.split('id="related-heading"')[1] if "related-heading" in page else ""
        assert titles(related) <= expected - {article.title}
    for article in Article.objects.exclude(title__in=expected):
        assert client.get(article.get_absolute_url()).status_code in (404, 410)


@pytest.fixture
def django_settings(settings):
    return settings
