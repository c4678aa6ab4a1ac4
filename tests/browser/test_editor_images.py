"""Images, videos and links to our own articles in the body, in Chromium: the Image
button's chooser (upload with alt text required, or pick from the library), a picture
dropped on or pasted into the text, the video embed and "Link to an analysis" — with no
console error and no CSP violation."""

import base64
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from articles import images
from articles.models import LibraryImage
from tests.browser.test_editor import log_in, watch
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots")  # noqa: S108 (where the screenshots are looked at)
REFERENCE = re.compile(r"!\[([^\]]*)\]\(image:(\d+)\)")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png_bytes(width=1600, height=900, colour=(30, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def shoot(page, name: str, *, full_page=False) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=full_page)


def open_draft(page, body: str):
    article = ArticleFactory(draft=True, title="The corridor in pictures", body=body)
    page.goto(page.base_url + f"/admin/articles/article/{article.pk}/change/")
    return article


def settled(page) -> None:
    """Autosave has kept the text; the editor is left, so that no timer of its own (autosave,
    presence) sends a request while the test's database is emptied."""
    page.locator("[data-autosave-status]", has_text=re.compile(r"^Saved")).wait_for(timeout=15000)
    page.goto("about:blank")


def put_caret_at_end(page) -> None:
    page.locator("#id_body").click()
    page.keyboard.press("Control+End")


def test_the_image_button_uploads_with_alt_text_required_and_inserts_a_figure(page, editor):
    violations = watch(page)
    log_in(page, editor.username)
    open_draft(page, "The corridor reopened in April.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".md-editor__toolbar").scroll_into_view_if_needed()
    shoot(page, "editor-toolbar-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator(".md-editor__toolbar").scroll_into_view_if_needed()
    shoot(page, "editor-toolbar-1280.png")
    put_caret_at_end(page)
    page.get_by_role("button", name="Image", exact=True).click()
    dialog = page.locator('dialog[data-chooser="image"]')
    dialog.wait_for(state="visible")

    # Nothing chosen, nothing described: both are asked for, nothing is sent.
    dialog.get_by_role("button", name="Upload and insert").click()
    assert "Choose a picture" in dialog.locator('[data-error-for="file"]').inner_text()
    assert "alt text" in dialog.locator('[data-error-for="alt"]').inner_text()
    assert not LibraryImage.objects.exists()

    dialog.locator("[data-image-file]").set_input_files(
        {"name": "map.png", "mimeType": "image/png", "buffer": png_bytes()}
    )
    dialog.locator("[data-image-chosen]").wait_for(state="visible")
    dialog.get_by_role("textbox", name="Alt text (required)").fill(
        "Map of the Lachin corridor and the Hakari bridge"
    )
    dialog.get_by_label("Caption", exact=True).fill("The checkpoint opened in April 2023.")
    dialog.get_by_label("Credit", exact=True).fill("Caucasus Center")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "image-chooser-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "image-chooser-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    dialog.get_by_role("button", name="Upload and insert").click()
    dialog.wait_for(state="hidden")

    body = page.locator("#id_body").input_value()
    image = LibraryImage.objects.get()
    alt = "Map of the Lachin corridor and the Hakari bridge"
    assert body == f"The corridor reopened in April.\n\n![{alt}](image:{image.pk})"
    assert image.alt == "Map of the Lachin corridor and the Hakari bridge"
    assert image.caption == "The checkpoint opened in April 2023."
    assert {r["format"] for r in image.renditions} == {"webp", "png"}

    # The preview shows the figure as readers will get it.
    figure = page.frame_locator("[data-md-preview]").locator("figure.figure")
    figure.wait_for()
    assert "The checkpoint opened in April 2023." in figure.inner_text()
    picture = figure.locator("img")
    assert picture.get_attribute("alt") == "Map of the Lachin corridor and the Hakari bridge"
    assert "480w" in picture.get_attribute("srcset")
    assert picture.get_attribute("width") == "1200"

    # One Ctrl+Z takes the insertion back.
    page.locator("#id_body").focus()
    page.keyboard.press("Control+z")
    assert page.locator("#id_body").input_value() == "The corridor reopened in April."

    # The library offers it next time, found by its words.
    put_caret_at_end(page)
    page.get_by_role("button", name="Image", exact=True).click()
    dialog.get_by_label("Search by alt text, caption or credit").fill("hakari")
    choice = dialog.get_by_role("button", name=re.compile("Insert: Map of the Lachin"))
    choice.locator("img").evaluate("img => img.decode()")
    dialog.get_by_text("Or choose from the library").scroll_into_view_if_needed()
    shoot(page, "image-library-chooser-1280.png")
    choice.click()
    dialog.wait_for(state="hidden")
    assert page.locator("#id_body").input_value().endswith(f"(image:{image.pk})")
    settled(page)

    # The library in the admin: thumbnails, search, its description edited.
    page.goto(page.base_url + "/admin/articles/libraryimage/?q=hakari")
    page.locator("img.library-thumb").wait_for()
    shoot(page, "image-library-1280.png")
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "image-library-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Map of the Lachin corridor and the Hakari bridge").click()
    page.get_by_label("Caption").fill("The checkpoint opened on 23 April 2023.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    image.refresh_from_db()
    assert image.caption == "The checkpoint opened on 23 April 2023."
    assert page.console_errors == []
    assert violations == []


DROP_OR_PASTE = """([kind, encoded, name, type]) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name || "screenshot.png", { type: type || "image/png" }));
  const text = document.querySelector("#id_body");
  const event = kind === "paste"
    ? new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true })
    : new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
  text.dispatchEvent(event);
  return event.defaultPrevented;
}"""


@pytest.mark.parametrize("kind", ["paste", "drop"])
def test_a_pasted_or_dropped_picture_asks_for_its_alt_text_before_it_is_inserted(
    page, editor, kind
):
    violations = watch(page)
    log_in(page, editor.username)
    open_draft(page, "Before the picture.")
    put_caret_at_end(page)
    encoded = base64.b64encode(png_bytes(800, 500)).decode()
    assert page.evaluate(DROP_OR_PASTE, [kind, encoded]) is True
    dialog = page.locator('dialog[data-chooser="image"]')
    dialog.wait_for(state="visible")
    dialog.locator("[data-image-chosen]").wait_for(state="visible")
    alt = dialog.get_by_role("textbox", name="Alt text (required)")
    assert alt.evaluate("field => field === document.activeElement")
    assert page.locator("#id_body").input_value() == "Before the picture."  # nothing yet
    alt.press("Enter")  # no alt text: asked for, not sent
    assert "alt text" in dialog.locator('[data-error-for="alt"]').inner_text()
    alt.fill("Queue of lorries at the border post")
    dialog.get_by_role("button", name="Upload and insert").click()
    dialog.wait_for(state="hidden")
    image = LibraryImage.objects.get()
    assert (image.width, image.height) == (800, 500)
    assert page.locator("#id_body").input_value() == (
        f"Before the picture.\n\n![Queue of lorries at the border post](image:{image.pk})"
    )
    settled(page)
    assert page.console_errors == []
    assert violations == []


def test_link_to_an_analysis_and_a_video_are_inserted_by_their_choosers(page, editor):
    violations = watch(page)
    target = ArticleFactory(title="Iran and the Armenian border")
    ArticleFactory(title="Iran's drones, unfinished", draft=True)
    log_in(page, editor.username)
    open_draft(page, "As we wrote in our analysis, the border matters.")
    text = page.locator("#id_body")
    start = "As we wrote in ".__len__()
    text.evaluate(
        f"t => {{ t.focus(); t.setSelectionRange({start}, {start + len('our analysis')}); }}"
    )
    page.get_by_role("button", name="Link to an analysis").click()
    dialog = page.locator('dialog[data-chooser="article"]')
    dialog.get_by_label("Search our articles by title").fill("iran")
    dialog.locator(".md-chooser__article", has_text="unfinished").wait_for()
    listed = dialog.locator(".md-chooser__article").all_inner_texts()
    assert "Published" in listed[0] and "Iran and the Armenian border" in listed[0]
    assert "not public yet" in listed[1]
    page.set_viewport_size({"width": 390, "height": 844})
    shoot(page, "link-chooser-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "link-chooser-1280.png")
    dialog.locator(".md-chooser__article", has_text="Armenian border").click()
    dialog.wait_for(state="hidden")
    assert text.input_value() == (
        f"As we wrote in [our analysis](article:{target.pk}), the border matters."
    )
    preview = page.frame_locator("[data-md-preview]")
    preview.locator(f'a[href="{target.get_absolute_url()}"]', has_text="our analysis").wait_for()

    # A video: a host not allowed is refused in words; YouTube is embedded.
    put_caret_at_end(page)
    page.get_by_role("button", name="Video", exact=True).click()
    video = page.locator('dialog[data-chooser="video"]')
    video.get_by_label("Address of the video").fill("https://evil.example/watch?v=1")
    video.get_by_role("button", name="Insert the video").click()
    refusal = video.locator('[data-error-for="url"]')
    refusal.wait_for(state="visible")
    assert "YouTube or Vimeo" in refusal.inner_text()
    video.get_by_label("Address of the video").fill("https://www.youtube.com/watch?v=abc_DEF-123")
    video.get_by_label("Title shown under it").fill("Briefing on the corridor")
    video.get_by_label("Address of the video").press("Enter")  # Enter inserts, never submits
    video.wait_for(state="hidden")
    assert text.input_value().endswith(
        "\n\n![Briefing on the corridor](https://www.youtube.com/watch?v=abc_DEF-123)"
    )
    assert "/change/" in page.url  # the article's form was not sent
    preview.locator('iframe[src="https://www.youtube-nocookie.com/embed/abc_DEF-123"]').wait_for(
        state="attached"
    )
    settled(page)
    assert page.console_errors == []
    assert violations == []


def test_an_article_page_with_a_figure_at_both_widths(page, client):
    author = AuthorFactory(name="Elif Demir")
    upload = io.BytesIO()
    picture = Image.new("RGB", (2400, 1350), (214, 200, 170))
    for x in range(0, 2400, 150):
        for y in range(0, 1350, 150):
            if (x + y) // 150 % 2:
                picture.paste((40, 70, 110), (x, y, x + 150, y + 150))
    picture.save(upload, format="JPEG")
    upload.seek(0)
    upload.name = "chart.jpg"
    upload.size = len(upload.getvalue())
    image = images.image_upload(
        upload=upload,
        alt="Lorries crossing at the Hakari bridge, by month",
        caption="Crossings fell by two thirds while the corridor was closed.",
        credit="Caucasus Center",
    )
    article = ArticleFactory(
        authors=[author],
        title="The Lachin corridor after the reopening",
        body="Trade recovered within a month.\n\n"
        f"![chart]({image.reference})\n\nGoris saw the first lorries in April.",
    )
    violations = watch(page)
    for width, height in ((1280, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(page.base_url + article.get_absolute_url())
        figure = page.locator("figure.figure")
        figure.scroll_into_view_if_needed()
        picture = figure.locator("img")
        picture.evaluate("img => img.decode()")
        assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
        # The browser picked a WebP rendition from srcset near the column's width.
        assert picture.evaluate("img => img.currentSrc").endswith(".webp")
        box = picture.bounding_box()
        assert box["width"] <= width
        shoot(page, f"article-figure-{width}.png")
    assert page.console_errors == []
    assert violations == []


def test_a_dropped_file_that_is_no_picture_is_kept_from_the_browser_and_explained(page, editor):
    log_in(page, editor.username)
    open_draft(page, "Before the document.")
    url = page.url
    encoded = base64.b64encode(b"%PDF-1.7 a report").decode()
    dropped = page.evaluate(DROP_OR_PASTE, ["drop", encoded, "report.pdf", "application/pdf"])
    assert dropped is True  # the browser does not open the file in place of the editor
    dialog = page.locator('dialog[data-chooser="image"]')
    dialog.wait_for(state="visible")
    message = dialog.locator('[data-error-for="file"]')
    assert "“report.pdf” is not a PNG or JPEG picture" in message.inner_text()
    assert page.url == url
    assert page.locator("#id_body").input_value() == "Before the document."
    dialog.get_by_role("button", name="Close").click()
    dialog.wait_for(state="hidden")
    page.goto("about:blank")
    assert page.console_errors == []
