"""An old address never takes over one of the site's own: it is reported and skipped."""

import pytest

from articles.models import Redirect
from tests.factories import ArticleFactory

from .exports import SITE, post, write_export

pytestmark = pytest.mark.django_db


def test_a_permalink_that_is_the_address_of_an_existing_draft_is_refused(
    tmp_path, run_import, client
):
    ArticleFactory(slug="ceasefire-talks", draft=True)
    export = write_export(
        tmp_path / "export.xml", post(101, link=f"{SITE}/articles/ceasefire-talks/")
    )

    run = run_import(export, publish=True)

    assert client.get("/articles/ceasefire-talks/").status_code == 404
    assert "/articles/ceasefire-talks is an address of this site" in run.row("post 101")["warnings"]
    assert not Redirect.objects.exists()


@pytest.mark.parametrize(
    "link, old_slug, refused",
    [
        (f"{SITE}/articles/post-101/", "admin", "/articles/admin"),
        (f"{SITE}/admin/", "", "/admin"),
        (f"{SITE}/api/v1/articles/", "", "/api/v1/articles"),
        (f"{SITE}/submit/", "", "/submit"),
        (f"{SITE}/media/archive/x.png", "", "/media/archive/x.png"),
    ],
)
def test_a_reserved_path_is_never_an_old_address(tmp_path, run_import, link, old_slug, refused):
    meta = {"_wp_old_slug": [old_slug]} if old_slug else {}
    export = write_export(tmp_path / "export.xml", post(101, link=link, meta=meta))

    run = run_import(export, publish=True)

    assert refused not in set(Redirect.objects.values_list("old_path", flat=True))
    warnings = run.row("post 101")["warnings"]
    assert f"old address {refused} is an address of this site" in warnings


def test_an_old_address_outside_the_sites_own_is_kept(tmp_path, run_import):
    meta = {"_wp_old_slug": ["admin"]}
    export = write_export(
        tmp_path / "export.xml", post(101, link=f"{SITE}/2021/10/04/post-101/", meta=meta)
    )

    run_import(export, publish=True)

    old_paths = set(Redirect.objects.values_list("old_path", flat=True))
    assert old_paths == {"/2021/10/04/post-101", "/2021/10/04/admin"}


def test_the_old_address_of_another_article_is_left_to_it(tmp_path, run_import, client):
    shared = {"_wp_old_slug": ["khaybar-drills"]}
    export = write_export(
        tmp_path / "export.xml",
        post(101, title="First", link=f"{SITE}/2021/10/04/first/", meta=shared),
        post(102, title="Second", link=f"{SITE}/2021/10/04/second/", meta=shared),
    )

    run = run_import(export, publish=True)

    response = client.get("/2021/10/04/khaybar-drills/")
    assert response.status_code == 301
    assert response["Location"] == "/articles/post-101/"
    assert "already leads to another article" in run.row("post 102")["warnings"]
