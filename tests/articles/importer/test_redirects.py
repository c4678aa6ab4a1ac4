import pytest

from articles import services
from articles.models import ImportRecord

from .conftest import UPLOADS, WXR

pytestmark = pytest.mark.django_db

SITE = "https://blog.caucasus-center.example"


def _article(post_id: int):
    return ImportRecord.objects.get(source_key=f"wordpress:{SITE}:{post_id}").article


@pytest.mark.parametrize(
    "old",
    [
        "/2021/10/04/drills-on-the-araz/",
        "/2021/10/04/drills-on-the-araz",
        "/2021/10/04/khaybar-drills/",
        "/2021/10/04/iran-drills-draft/",
        "/2021/10/04/Drills-On-The-Araz/",
    ],
)
def test_the_permalink_and_every_old_slug_redirect_to_the_article(
    vocabulary, run_import, client, old
):
    run_import(WXR, media_dir=UPLOADS, publish=True)

    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == "/articles/drills-on-the-araz/"


def test_the_redirect_follows_the_article_after_a_later_slug_change(vocabulary, run_import, client):
    run_import(WXR, media_dir=UPLOADS, publish=True)
    article = _article(101)
    article.slug = "iran-drills-on-the-araz-2021"
    article.save()

    response = client.get("/2021/10/04/khaybar-drills/", follow=True)

    assert response.redirect_chain == [("/articles/iran-drills-on-the-araz-2021/", 301)]
    assert response.status_code == 200


def test_an_old_address_of_a_draft_stays_not_found(vocabulary, run_import, client):
    run_import(WXR, media_dir=UPLOADS)

    response = client.get("/2021/10/04/drills-on-the-araz/")

    assert response.status_code == 404
    assert "drills-on-the-araz" not in response.headers.get("Location", "")


def test_an_unpublished_article_is_no_longer_redirected_to(vocabulary, run_import, client, editor):
    run_import(WXR, media_dir=UPLOADS, publish=True)
    services.article_unpublish(article=_article(101), by=editor)

    assert client.get("/2021/10/04/drills-on-the-araz/").status_code == 404


def test_a_page_of_the_site_is_never_shadowed_by_an_old_address(vocabulary, client):
    from articles.models import Redirect
    from tests.factories import ArticleFactory

    article = ArticleFactory()
    Redirect.objects.create(old_path="/search", article=article)

    assert client.get("/search/").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nothing%00/",
        "/articles/x/cite.bib%00",
        "/%00",
        # Routes that take any text: a secret, an API slug.
        "/submissions/track/x%00/",
        "/follow/manage/x%00/",
        "/api/v1/articles/x%00/",
    ],
)
def test_a_nul_byte_in_an_address_is_not_found_without_a_query(
    client, path, django_assert_num_queries
):
    # PostgreSQL refuses a NUL in a text value (a 500): no lookup may hand it one.
    with django_assert_num_queries(0):
        response = client.get(path)

    assert response.status_code == 404


def test_an_encoded_nul_byte_in_an_old_address_is_not_found(client):
    # "%2500" is "%00" once decoded: the old-address lookup decodes once more.
    assert client.get("/2021/10/%2500drills/").status_code == 404


def test_an_old_address_with_a_nul_byte_is_not_looked_up(django_assert_num_queries):
    from articles.importer.redirects import redirect_target

    with django_assert_num_queries(0):
        assert redirect_target("/nothing\x00/") is None
