"""Property: no filter combination of the API reaches an article that is not public."""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.models import Article
from tests.factories import ArticleFactory, RegionFactory, TopicFactory

pytestmark = pytest.mark.django_db

STATUSES = [s.value for s in Article.Status]
OFFSETS = [-1000, -1, 1, 1000]  # minutes from now


@st.composite
def specs(draw):
    status = draw(st.sampled_from(STATUSES))
    needs_time = status in ("published", "scheduled")
    offset = draw(st.sampled_from(OFFSETS) if needs_time else st.none() | st.sampled_from(OFFSETS))
    return status, offset, draw(st.sets(st.sampled_from(["t1", "t2"]))), draw(st.booleans())


FILTERS = st.fixed_dictionaries(
    {},
    optional={
        "topic": st.sampled_from(["t1", "t2", "t1,t2"]),
        "region": st.just("r1"),
        "match": st.sampled_from(["any", "all"]),
        "kind": st.sampled_from(["analysis", "report"]),
        "q": st.just("leakprobe"),
        "published_after": st.just((timezone.now() - datetime.timedelta(days=30)).isoformat()),
        "ordering": st.sampled_from(["published", "-published"]),
        "page_size": st.integers(min_value=1, max_value=5),
    },
)


def _selected(tags: set[str], report: bool, params: dict) -> bool:
    """Whether `params` select an article with these topics and kind. Every probe is in region
    r1, has "Leakprobe" in its title and is dated within a day of now, so those filters and
    the ordering and page size leave it in."""
    if "kind" in params and params["kind"] != ("report" if report else "analysis"):
        return False
    if "topic" not in params:
        return True
    wanted = set(params["topic"].split(","))
    return wanted <= tags if params.get("match") == "all" else bool(wanted & tags)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(articles=st.lists(specs(), min_size=1, max_size=8), params=FILTERS)
def test_no_filter_combination_reaches_a_draft(client, articles, params):
    # Each example starts afresh, also after one that failed half-way.
    Article.objects.all().delete()
    TopicFactory._meta.model.objects.filter(slug__in=["t1", "t2"]).delete()
    RegionFactory._meta.model.objects.filter(slug="r1").delete()
    topics = {"t1": TopicFactory(slug="t1"), "t2": TopicFactory(slug="t2")}
    region = RegionFactory(slug="r1")
    now = timezone.now()
    public, expected = set(), set()
    for n, (status, offset, tags, report) in enumerate(articles):
        when = now + datetime.timedelta(minutes=offset) if offset is not None else None
        article = ArticleFactory(
            slug=f"probe-{n}",
            title=f"Leakprobe {n}",
            status=status,
            kind="report" if report else "analysis",
            publish_at=when,
            first_published_at=when if status == "published" else None,
            topics=[topics[t] for t in tags],
            regions=[region],
        )
        if status == "published" or (status == "scheduled" and offset < 0):
            public.add(article.slug)
            if _selected(tags, report, params):
                expected.add(article.slug)
    seen = set()
    url, query = "/api/v1/articles/", params
    while url:
        response = client.get(url, query)
        assert response.status_code == 200, response.content
        body = response.json()
        seen |= {a["slug"] for a in body["results"]}
        url, query = body["next"], None
    # Nothing that is not public, and every public article the filters select: an API that
    # answered nothing at all would pass a check for leaks alone.
    assert seen == expected, (seen - public, expected - seen)
    for slug in {f"probe-{n}" for n in range(len(articles))} - public:
        assert client.get(f"/api/v1/articles/{slug}/").status_code == 404
