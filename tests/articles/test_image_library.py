"""The image library: uploads checked by their bytes, renditions made at upload, and the
body's references (`image:N`, video embeds, `article:N`) on the page, in the PDF, the feed
and the content checks."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import content_checks, images, pdf, rendering, services
from articles.models import BodyImage, LibraryImage
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def picture_file(width=2000, height=1000, image_format="JPEG", name="chart.jpg", exif=None):
    out = io.BytesIO()
    mode = "RGBA" if image_format == "PNG" else "RGB"
    picture = Image.new(mode, (width, height), (200, 60, 30, 255)[: len(mode)])
    options = {"exif": exif} if exif is not None else {}
    picture.save(out, format=image_format, **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{image_format.lower()}")


def upload(**kwargs) -> LibraryImage:
    return images.image_upload(
        upload=kwargs.pop("file", None) or picture_file(),
        alt=kwargs.pop("alt", "Oil exports by route, 2019–2025"),
        credit=kwargs.pop("credit", "Caucasus Center"),
        caption=kwargs.pop("caption", "Most oil now leaves through Ceyhan."),
    )


def test_an_upload_makes_renditions_in_webp_and_in_its_own_format():
    image = upload()
    assert (image.width, image.height) == (2000, 1000)
    made = {(r["format"], r["width"], r["height"]) for r in image.renditions}
    assert made == {
        (image_format, width, width // 2)
        for image_format in ("webp", "jpeg")
        for width in (480, 800, 1200, 1600)
    }
    for rendition in image.renditions:
        with default_storage.open(rendition["name"]) as handle, Image.open(handle) as opened:
            assert opened.format == rendition["format"].upper()
            assert opened.size == (rendition["width"], rendition["height"])


def test_a_small_image_is_never_enlarged_and_a_png_stays_a_png():
    image = upload(file=picture_file(640, 480, "PNG", "map.png"))
    assert {(r["format"], r["width"]) for r in image.renditions} == {
        ("webp", 480), ("webp", 640), ("png", 480), ("png", 640),
    }  # fmt: skip


def test_the_kept_copy_loses_the_camera_metadata():
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Maker"  # Make
    image = upload(file=picture_file(exif=exif.tobytes()))
    with default_storage.open(image.file.name) as handle:
        assert b"Secret Camera Maker" not in handle.read()


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png",
         "not a PNG or JPEG"),
        (b"%PDF-1.7 a document", "chart.jpg", "not a PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "broken.png", "damaged"),
    ],
)  # fmt: skip
def test_what_is_not_an_image_by_its_bytes_is_refused_whatever_its_name(content, name, says):
    with pytest.raises(ValidationError) as refused:
        images.check_image_upload(SimpleUploadedFile(name, content))
    assert says in " ".join(refused.value.messages)


def test_an_image_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(images, "IMAGE_MAX_BYTES", 1000)
    with pytest.raises(ValidationError, match="the library takes images up to"):
        images.check_image_upload(picture_file())


def body_with(image: LibraryImage, before: str = "Opening paragraph.") -> str:
    return f"{before}\n\n![reminder]({image.reference})\n\nClosing paragraph."


def test_a_library_image_on_its_own_line_is_a_figure_with_every_rendition():
    image = upload()
    article = ArticleFactory(body=body_with(image))
    figure = re.search(r"<figure class=\"figure\".*?</figure>", article.body_html, re.S).group(0)
    webp = image.renditions_in("webp")
    for rendition in webp:
        assert f"{LibraryImage.url_of(rendition)} {rendition['width']}w" in figure
    assert 'sizes="' in figure
    assert 'width="1200" height="600"' in figure
    assert 'alt="Oil exports by route, 2019–2025"' in figure
    assert 'loading="lazy"' in figure
    assert "Most oil now leaves through Ceyhan." in figure
    assert "Caucasus Center" in figure
    assert "<p><figure" not in article.body_html
    assert BodyImage.objects.filter(article=article, image=image).exists()


def test_the_article_page_shows_the_figure(client):
    image = upload()
    article = ArticleFactory(body=body_with(image))
    page = client.get(article.get_absolute_url()).content.decode()
    assert re.search(
        r'<img data-image="\d+" src="[^"]+-1200\.jpg" srcset="[^"]+-480\.webp 480w', page
    )
    assert 'width="1200" height="600" alt="Oil exports by route, 2019–2025"' in page


def test_an_image_inside_a_sentence_is_a_picture_without_a_figure():
    image = upload()
    article = ArticleFactory(body=f"See ![x]({image.reference}) here.")
    assert "<figure" not in article.body_html
    assert 'alt="Oil exports by route, 2019–2025"' in article.body_html


def test_an_author_cannot_type_what_only_the_library_may_write():
    article = ArticleFactory(
        body='<img src="x.png" srcset="javascript:alert(1) 1w" onerror="alert(1)">\n\n'
        '<iframe src="https://evil.example/"></iframe>'
    )
    assert "srcset" not in article.body_html
    assert "onerror" not in article.body_html
    assert "iframe" not in article.body_html


def test_editing_the_alt_text_and_caption_renders_the_articles_that_show_it_again(
    client, django_capture_on_commit_callbacks
):
    image = upload()
    article = ArticleFactory(body=body_with(image))
    client.get(article.get_absolute_url())  # rendered once, as readers saw it
    version = article.lock_version
    image.alt = "Oil exports by pipeline"
    image.caption = "Corrected: Supsa too."
    with django_capture_on_commit_callbacks(execute=True):
        images.image_update(image=image)
    article.refresh_from_db()
    assert 'alt="Oil exports by pipeline"' in article.body_html
    assert "Corrected: Supsa too." in article.body_html
    assert article.lock_version == version  # not an edit: nobody's open form goes stale
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Corrected: Supsa too." in page


def test_a_missing_image_is_left_out_and_reported_by_the_checks():
    image = upload()
    body = body_with(image) + "\n\n![gone](image:999999)"
    article = ArticleFactory(body=body)
    assert "image:999999" not in article.body_html
    findings = content_checks.run_checks(content_checks.Content.of(article))
    codes = {f.code: f.message for f in findings}
    assert "body_image_missing" in codes
    assert "image 999999" in codes["body_image_missing"]


def test_a_library_image_without_alt_text_is_reported_once():
    image = upload()
    LibraryImage.objects.filter(pk=image.pk).update(alt="")
    article = ArticleFactory(body=body_with(image))
    findings = content_checks.run_checks(content_checks.Content.of(article))
    alt_findings = [f for f in findings if f.code == "body_image_without_alt"]
    assert len(alt_findings) == 1
    assert f"Image {image.pk} of the library" in alt_findings[0].message


def test_the_pdf_prints_the_image_from_a_rendition_inside_the_file():
    image = upload()
    article = ArticleFactory(body=body_with(image))
    printed = pdf.edition_html(article, corrected_on=None)
    assert re.search(r'<img data-image="\d+" src="data:image/jpeg;base64,', printed)
    assert "srcset" not in printed
    assert "Most oil now leaves through Ceyhan." in printed


def test_the_pdf_edition_prints_with_the_image(pdf_printing):
    image = upload()
    article = ArticleFactory(body=body_with(image))
    assert pdf.render_pdf(article).count(b"/Subtype /Image") >= 1


def test_the_feed_leads_with_the_image_by_absolute_address(client, settings):
    settings.SITE_URL = "https://caucasus.example"
    image = upload()
    ArticleFactory(body=body_with(image))
    feed = client.get("/feed/").content.decode()
    rendition = image.rendition(width=800)
    address = "https://caucasus.example" + LibraryImage.url_of(rendition)
    assert f'<enclosure length="{rendition["bytes"]}" type="image/jpeg" url="{address}"' in feed
    assert f'&lt;img src="{address}" width="800"' in feed


def test_a_link_to_an_article_follows_its_slug(client, editor, django_capture_on_commit_callbacks):
    target = ArticleFactory(title="The Lachin corridor", slug="lachin-corridor")
    linking = ArticleFactory(body=f"As we wrote in [our analysis](article:{target.pk}), it closed.")
    assert (
        '<a href="/articles/lachin-corridor/" rel="noopener noreferrer">our analysis</a>'
        in linking.body_html
    )
    with django_capture_on_commit_callbacks(execute=True):
        target.slug = "lachin-corridor-closure"
        services.article_update(article=target, by=editor, changed=["slug"])
    linking.refresh_from_db()
    assert (
        '<a href="/articles/lachin-corridor-closure/" rel="noopener noreferrer">our analysis</a>'
        in linking.body_html
    )
    page = client.get(linking.get_absolute_url()).content.decode()
    assert (
        'href="/articles/lachin-corridor-closure/" rel="noopener noreferrer">our analysis' in page
    )


def test_a_link_to_an_unpublished_article_keeps_its_words_without_a_link(
    editor, django_capture_on_commit_callbacks
):
    target = ArticleFactory(slug="drones-over-shusha")
    linking = ArticleFactory(body=f"See [the drones piece](article:{target.pk}).")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=target, by=editor)
    linking.refresh_from_db()
    assert "drones-over-shusha" not in linking.body_html
    assert "<p>See the drones piece.</p>" in linking.body_html
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=target, by=editor)
    linking.refresh_from_db()
    assert (
        '<a href="/articles/drones-over-shusha/" rel="noopener noreferrer">the drones piece</a>'
        in linking.body_html
    )


def test_a_link_to_a_deleted_article_keeps_its_words_without_a_link(
    editor_client, django_capture_on_commit_callbacks
):
    target = ArticleFactory(slug="gone-soon")
    linking = ArticleFactory(body=f"See [the old piece](article:{target.pk}).")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/article/{target.pk}/delete/", {"post": "yes"}
        )
    assert response.status_code == 302
    linking.refresh_from_db()
    assert "<p>See the old piece.</p>" in linking.body_html
    findings = content_checks.run_checks(content_checks.Content.of(linking))
    assert any(
        f.code == "link_to_unpublished" and "no longer exists" in f.message for f in findings
    )


def test_a_link_to_a_draft_is_reported_by_the_checks():
    target = ArticleFactory(draft=True, title="Unfinished")
    linking = ArticleFactory(body=f"See [it](article:{target.pk}).")
    findings = content_checks.run_checks(content_checks.Content.of(linking))
    assert any(
        f.code == "link_to_unpublished"
        and f"article {target.pk}" in f.message
        and "draft" in f.message
        for f in findings
    )


def test_a_video_of_an_allowed_host_is_an_embed_card_and_others_stay_images():
    article = ArticleFactory(
        body="![Briefing: the Zangezur corridor](https://www.youtube.com/watch?v=abc_DEF-123)\n\n"
        "![A chart](https://evil.example/watch?v=1)"
    )
    assert 'src="https://www.youtube-nocookie.com/embed/abc_DEF-123"' in article.body_html
    assert 'title="Video: Briefing: the Zangezur corridor"' in article.body_html
    assert 'href="https://www.youtube.com/watch?v=abc_DEF-123"' in article.body_html
    assert article.body_html.count("<iframe") == 1


# --- The admin's endpoints ---------------------------------------------------------------


def test_the_chooser_uploads_an_image_with_its_alt_text(editor_client):
    answer = editor_client.post(
        "/admin/articles/libraryimage/chooser/upload/",
        {"file": picture_file(), "alt": "Pipeline map", "credit": "CC", "caption": ""},
    ).json()
    assert answer["saved"] is True
    image = LibraryImage.objects.get(pk=answer["image"]["id"])
    assert answer["image"]["markdown"] == f"![Pipeline map](image:{image.pk})"
    assert image.renditions


def test_the_chooser_refuses_an_image_without_alt_text_or_a_file_that_is_not_one(editor_client):
    answer = editor_client.post(
        "/admin/articles/libraryimage/chooser/upload/",
        {"file": SimpleUploadedFile("x.jpg", b"<html>not a picture</html>"), "alt": ""},
    ).json()
    assert answer["saved"] is False
    assert "alt" in answer["errors"]
    assert "not a PNG or JPEG image" in answer["errors"]["file"][0]
    assert not LibraryImage.objects.exists()


def test_the_chooser_searches_the_library(editor_client):
    upload(alt="Map of the Lachin corridor")
    upload(alt="Chart of gas prices")
    found = editor_client.get("/admin/articles/libraryimage/chooser/?q=lachin").json()
    assert [image["alt"] for image in found["images"]] == ["Map of the Lachin corridor"]


def test_the_library_lists_and_edits_images(editor_client, django_capture_on_commit_callbacks):
    image = upload(alt="Map of the Lachin corridor")
    listing = editor_client.get("/admin/articles/libraryimage/?q=lachin").content.decode()
    assert "library-thumb" in listing and "Map of the Lachin corridor" in listing
    article = ArticleFactory(body=body_with(image))
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            f"/admin/articles/libraryimage/{image.pk}/change/",
            {"alt": "Map of the corridor, 2023", "credit": "CC", "caption": "New caption"},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert 'alt="Map of the corridor, 2023"' in article.body_html


def test_an_image_an_article_shows_cannot_be_deleted(editor_client):
    image = upload()
    ArticleFactory(body=body_with(image))
    page = editor_client.get(f"/admin/articles/libraryimage/{image.pk}/delete/").content.decode()
    assert "Cannot delete" in page or "protected" in page
    editor_client.post(f"/admin/articles/libraryimage/{image.pk}/delete/", {"post": "yes"})
    assert LibraryImage.objects.filter(pk=image.pk).exists()


def test_the_link_chooser_finds_articles_with_their_status(editor_client):
    ArticleFactory(title="Iran and the border")
    ArticleFactory(title="Iran drafts", draft=True)
    found = editor_client.get("/admin/articles/article/link-chooser/?q=iran").json()["articles"]
    assert [(a["title"], a["public"]) for a in found] == [
        ("Iran and the border", True),
        ("Iran drafts", False),
    ]
    assert found[1]["status_label"] == "Draft"


def test_the_embed_check_refuses_a_host_not_allowed(editor_client):
    refused = editor_client.get("/admin/articles/article/embed/?url=https://evil.example/v/1")
    assert refused.json()["ok"] is False
    assert "YouTube or Vimeo" in refused.json()["error"]
    taken = editor_client.get(
        "/admin/articles/article/embed/?url=https://vimeo.com/76979871&title=Briefing"
    ).json()
    assert taken == {"ok": True, "markdown": "![Briefing](https://vimeo.com/76979871)"}


def test_a_writer_uploads_to_the_library_but_cannot_delete_from_it(writer_client):
    answer = writer_client.post(
        "/admin/articles/libraryimage/chooser/upload/",
        {"file": picture_file(), "alt": "Border post at Agarak"},
    ).json()
    assert answer["saved"] is True
    image = LibraryImage.objects.get()
    refused = writer_client.post(
        f"/admin/articles/libraryimage/{image.pk}/delete/", {"post": "yes"}
    )
    assert refused.status_code == 403
    assert LibraryImage.objects.filter(pk=image.pk).exists()


def test_an_image_many_articles_show_is_carried_to_them_by_a_worker(
    monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(rendering, "RENDER_IN_REQUEST", 1)
    monkeypatch.setattr(rendering, "RENDER_BATCH", 2)
    image = upload()
    articles = [ArticleFactory(body=body_with(image)) for _ in range(3)]
    image.caption = "Recounted in May."
    with django_capture_on_commit_callbacks(execute=True) as handed:
        images.image_update(image=image)
    assert len(handed) == 2  # two batches for the worker
    for article in articles:
        article.refresh_from_db()
        assert "Recounted in May." in article.body_html


def test_the_library_adds_an_image_from_its_own_form_and_says_what_is_wrong(editor_client):
    refused = editor_client.post(
        "/admin/articles/libraryimage/add/",
        {"file": SimpleUploadedFile("map.png", b"GIF89a not a png"), "alt": "Map"},
    )
    assert refused.status_code == 200
    assert "not a PNG or JPEG image" in refused.content.decode()
    added = editor_client.post(
        "/admin/articles/libraryimage/add/",
        {"file": picture_file(900, 600, "PNG", "map.png"), "alt": "Map", "credit": "CC"},
    )
    assert added.status_code == 302
    image = LibraryImage.objects.get()
    assert (image.width, image.height, image.credit) == (900, 600, "CC")
    assert {(r["format"], r["width"]) for r in image.renditions} >= {("webp", 900), ("png", 900)}


def test_a_link_to_a_scheduled_article_is_a_link_and_reported_until_it_is_out():
    target = ArticleFactory(future=True, slug="coming-soon")
    linking = ArticleFactory(body=f"See [the next piece](article:{target.pk}).")
    assert 'href="/articles/coming-soon/"' in linking.body_html
    findings = content_checks.run_checks(content_checks.Content.of(linking))
    assert any(
        f.code == "link_to_unpublished" and "scheduled and not out yet" in f.message
        for f in findings
    )


def test_a_video_inside_a_sentence_or_a_channel_is_a_link_not_a_broken_picture():
    article = ArticleFactory(
        body="Watch ![the briefing](https://youtu.be/abcDEF) first.\n\n"
        "![Our channel](https://www.youtube.com/@caucasuscenter)"
    )
    assert "<img" not in article.body_html and "<iframe" not in article.body_html
    assert '<a href="https://youtu.be/abcDEF">the briefing</a>' in article.body_html
    assert '<p><a href="https://www.youtube.com/@caucasuscenter">Our channel</a></p>' in (
        article.body_html
    )
