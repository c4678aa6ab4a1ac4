"""Media served by the site: never guessed at, and only pictures shown in the page."""

import importlib

import pytest
from django.test import RequestFactory
from django.urls import clear_url_caches, resolve

from base import media


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "evil.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "evil.html").write_text("<script>alert(1)</script>")
    (tmp_path / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return tmp_path


@pytest.mark.parametrize("name", ["evil.svg", "evil.html"])
def test_a_file_that_is_not_a_picture_is_a_download(media_root, name):
    response = media.serve_media(RequestFactory().get(f"/media/{name}"), name)

    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_picture_is_shown_and_never_sniffed(media_root):
    response = media.serve_media(RequestFactory().get("/media/map.png"), "map.png")

    assert response["Content-Type"] == "image/png"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def debug_urls(settings):
    import newsroom.urls

    settings.DEBUG = True
    yield importlib.reload(newsroom.urls)
    settings.DEBUG = False
    importlib.reload(newsroom.urls)
    clear_url_caches()


def test_with_debug_on_media_is_served_by_our_view(debug_urls):
    match = resolve("/media/archive/2021/05/evil.svg", urlconf=debug_urls)

    assert match.func is media.serve_media
    assert match.kwargs == {"path": "archive/2021/05/evil.svg"}
