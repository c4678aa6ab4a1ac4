"""A query compiled once answers as the queryset it was built from, value after value."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from base.prepared import PreparedQuery
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
MARKER_TIME = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def _public_by_slug() -> PreparedQuery:
    return PreparedQuery(
        lambda slug, now: Article.objects.published(now=now).filter(slug=slug),
        slug=(Article._meta.get_field("slug"), "marker-slug"),
        now=(
            Article._meta.get_field("publish_at"),
            datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
        ),
    )


def test_each_run_answers_as_the_queryset_with_its_own_values():
    soon = NOW + datetime.timedelta(hours=1)
    ArticleFactory(slug="out-now")
    ArticleFactory(slug="due-soon", status="scheduled", publish_at=soon, first_published_at=None)
    ArticleFactory(slug="a-draft", draft=True)
    query = _public_by_slug()
    for slug in ("out-now", "due-soon", "a-draft", "no-such-slug"):
        for now in (NOW, soon + datetime.timedelta(seconds=1)):
            expected = list(Article.objects.published(now=now).filter(slug=slug))
            assert list(query.run(slug=slug, now=now)) == expected, (slug, now)
    assert [a.slug for a in query.run(slug="due-soon", now=soon)] == ["due-soon"]


def test_the_query_is_built_and_compiled_once(django_assert_num_queries):
    ArticleFactory(slug="out-now")
    built = []
    query = PreparedQuery(
        lambda slug: built.append(slug) or Article.objects.filter(slug=slug),
        slug=(Article._meta.get_field("slug"), "marker-slug"),
    )
    with django_assert_num_queries(3):  # one per run: nothing compiles or looks up twice
        for _ in range(3):
            assert [a.slug for a in query.run(slug="out-now")] == ["out-now"]
    assert built == ["marker-slug"]


def test_a_marker_the_query_does_not_use_is_refused():
    query = PreparedQuery(
        lambda slug: Article.objects.all(), slug=(Article._meta.get_field("slug"), "marker")
    )
    with pytest.raises(ValueError, match="does not use"):
        list(query.run(slug="anything"))
