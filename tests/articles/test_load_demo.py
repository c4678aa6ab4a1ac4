import html
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from articles.models import Article, Author, Region, Series, Topic

pytestmark = pytest.mark.django_db


def _snapshot() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Author, Series, Topic, Region, get_user_model())
    } | {"bylines": sum(a.bylines.count() for a in Article.objects.all())}


def test_demo_content_covers_what_readers_and_editors_need(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Article.objects.published()
    assert published.count() >= 14
    assert set(published.values_list("kind", flat=True)) == set(Article.Kind.values)
    assert len({a.publish_at.year for a in published}) >= 4
    assert Author.objects.count() >= 6 and Author.objects.filter(is_contributor=True).exists()
    assert all(Author.objects.exclude(title="").values_list("title", flat=True))
    assert Series.objects.count() >= 3
    assert Topic.objects.count() >= 10 and Region.objects.count() >= 10
    assert Counter(Article.objects.values_list("status", flat=True))["draft"] >= 1

    hidden = Article.objects.exclude(pk__in=published)
    assert {a.status for a in hidden} >= {"draft", "scheduled"}
    home = client.get("/").text
    for article in hidden:
        assert client.get(article.get_absolute_url()).status_code == 404
        assert article.title not in home

    editor = get_user_model().objects.get(username="editor")
    assert editor.is_staff and editor.groups.filter(name="Editors").exists()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "editor", "password": "newsroom-demo"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_loading_the_demo_twice_duplicates_nothing():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


def test_every_demo_article_page_renders(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for article in Article.objects.published():
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200, article.slug
        assert article.title in html.unescape(response.text)
