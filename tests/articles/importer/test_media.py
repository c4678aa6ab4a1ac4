"""Only pictures that cannot carry a script reach our public media, whatever their name."""

import io

import pytest
from PIL import Image

from articles.models import ImportRecord

from .exports import SITE, UPLOADS_URL, attachment, post, write_export

pytestmark = pytest.mark.django_db

SCRIPTED_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
)
PAGE = "<html><body><script>alert(document.cookie)</script></body></html>"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads" / "2021" / "05"
    folder.mkdir(parents=True)
    (folder / "evil.html").write_text(PAGE)
    (folder / "evil.svg").write_text(SCRIPTED_SVG)
    (folder / "fake.png").write_text(PAGE)  # a page named like a picture
    (folder / "map.png").write_bytes(_png())
    (folder / "picture.html").write_bytes(_png())  # a picture named like a page
    return tmp_path / "uploads"


BODY = (
    f'<p>Read <a href="{UPLOADS_URL}2021/05/evil.html">the briefing</a> first.</p>\n\n'
    f'<p><img src="{UPLOADS_URL}2021/05/evil.svg" alt="Map of the border"></p>\n\n'
    f'<p><img src="{UPLOADS_URL}2021/05/fake.png" alt="Fake map"></p>\n\n'
    f'<p><img src="{UPLOADS_URL}2021/05/map.png" alt="Real map"></p>\n\n'
    f'<p><img src="{UPLOADS_URL}2021/05/picture.html" alt="Renamed map"></p>'
)


def _import(tmp_path, uploads, run_import):
    export = write_export(
        tmp_path / "export.xml",
        attachment(501, "2021/05/evil.svg", parent=101, alt="Border map"),
        post(101, body=BODY, meta={"_thumbnail_id": ["501"]}),
    )
    run = run_import(export, media_dir=uploads)
    article = ImportRecord.objects.get(source_key=f"wordpress:{SITE}:101").article
    return run, article


def test_only_png_and_jpeg_pictures_are_stored_in_public_media(
    tmp_path, uploads, run_import, media_root
):
    _import(tmp_path, uploads, run_import)

    stored = sorted(p.relative_to(media_root).as_posix() for p in media_root.rglob("*.*"))
    assert stored == ["archive/2021/05/map.png", "archive/2021/05/picture.html.png"]


def test_a_refused_file_is_not_linked_and_its_text_stays(tmp_path, uploads, run_import):
    run, article = _import(tmp_path, uploads, run_import)

    for name in ("evil.html", "evil.svg", "fake.png"):
        assert name not in article.body
        assert name not in article.body_html
        assert name in run.row("post 101")["warnings"]
    assert "the briefing" in article.body
    assert "Map of the border" in article.body
    assert "/media/archive/2021/05/map.png" in article.body
    assert not article.image  # the SVG is not the featured image
    assert "featured image skipped" in run.row("post 101")["warnings"]


def test_a_dry_run_reports_the_refused_files_too(tmp_path, uploads, run_import, media_root):
    export = write_export(tmp_path / "export.xml", post(101, body=BODY))

    run = run_import(export, media_dir=uploads, dry_run=True)

    assert "evil.svg is not a PNG or JPEG image" in run.row("post 101")["warnings"]
    assert not media_root.exists() or not any(media_root.rglob("*.*"))
