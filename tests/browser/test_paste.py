"""Pasting into the article body in Chromium: a Word clipboard and a Google Docs one
(tests/articles/fixtures/clipboard/) arrive as Markdown at the caret, show in the preview,
and go away again with one Ctrl+Z; plain text is pasted by the browser as it is."""

from pathlib import Path

import pytest

from tests.browser.test_editor import log_in, watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIPBOARDS = Path(__file__).parent.parent / "articles" / "fixtures" / "clipboard"
BEFORE = "Opening paragraph.\n\n"
AFTER = "\n\nClosing paragraph."

# A paste as the browser fires it: a ClipboardEvent whose DataTransfer holds both kinds.
PASTE = """([html, plain]) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", plain);
  const text = document.querySelector("#id_body");
  const event = new ClipboardEvent(
    "paste", { clipboardData: data, bubbles: true, cancelable: true }
  );
  text.dispatchEvent(event);
}"""


def open_body_with_caret_between_paragraphs(page):
    page.goto(page.base_url + "/admin/articles/article/add/")
    body = page.locator("#id_body")
    body.click()
    page.keyboard.type(BEFORE + AFTER.lstrip("\n"))
    # The caret on the empty line between the two paragraphs.
    body.evaluate("(text, at) => text.setSelectionRange(at, at)", len(BEFORE))
    return body


def leave_the_editor(page) -> None:
    """Go back to the dashboard: the editor's last words to the server (autosave when the
    tab is hidden) are answered before the test's database goes."""
    page.goto(page.base_url + "/admin/")
    page.wait_for_load_state("networkidle")


def paste(page, name: str, plain: str) -> None:
    page.evaluate(PASTE, [(CLIPBOARDS / name).read_text(encoding="utf-8"), plain])


@pytest.mark.parametrize("width", [1280, 390])
def test_a_word_clipboard_is_pasted_as_markdown_and_undone_in_one_step(
    page, editor, artifacts_dir, width
):
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch(page)
    log_in(page, editor.username)
    body = open_body_with_caret_between_paragraphs(page)

    paste(page, "word.html", "The Lachin corridor after the reopening …")

    page.wait_for_function(
        "() => document.querySelector('#id_body').value.includes('[^2]: Customs data')"
    )
    value = body.input_value()
    assert value.startswith(BEFORE + "# The Lachin corridor after the reopening\n\n")
    assert value.endswith("[^2]: Customs data, [customs.am](https://customs.am/)." + AFTER)
    assert "| Month | Lorries |\n| --- | --- |" in value
    assert "- Tolls were **doubled**\n  - for lorries over 20 tonnes" in value
    # The caret follows the pasted text, where the writer goes on typing.
    caret = body.evaluate("text => text.selectionStart")
    assert value[:caret].endswith("customs.am/).")
    note = page.locator(".md-editor__paste-note")
    assert note.inner_text() == (
        "The picture in the pasted text was left out: add it from the image library."
    )

    preview = page.frame_locator("[data-md-preview]").locator("main")
    preview.locator("h2", has_text="The Lachin corridor after the reopening").wait_for()
    preview.locator("table th", has_text="Lorries").wait_for()
    assert preview.locator("ul ul li").inner_text() == "for lorries over 20 tonnes"
    assert preview.locator("section.footnotes li").count() == 2
    assert preview.locator("a[href='https://www.armstat.am/en/?nid=82']").count() == 1
    body.evaluate("text => text.setSelectionRange(0, 0)")  # the top in view for the picture
    page.locator(".md-editor").screenshot(path=artifacts_dir / f"editor-after-paste-{width}.png")

    body.focus()
    page.keyboard.press("Control+z")
    assert body.input_value() == BEFORE + AFTER.lstrip("\n")
    leave_the_editor(page)
    assert page.console_errors == [] and violations == []


def test_a_google_docs_clipboard_is_pasted_with_its_formatting(page, editor):
    violations = watch(page)
    log_in(page, editor.username)
    body = open_body_with_caret_between_paragraphs(page)
    # A footnote already in the body: the pasted ones follow on.
    body.evaluate("text => text.setSelectionRange(text.value.length, text.value.length)")
    page.keyboard.type("[^1]\n\n[^1]: An earlier note.")
    body.evaluate("(text, at) => text.setSelectionRange(at, at)", len(BEFORE))

    paste(page, "google_docs.html", "Iran and Azerbaijan at the Aras …")

    page.wait_for_function(
        "() => document.querySelector('#id_body').value.includes('[^3]: See *Iran Review*')"
    )
    value = body.input_value()
    assert "## Iran and Azerbaijan at the Aras\n\n" in value
    assert "**threat to its northern trade**" in value
    assert "[a statement in May](https://www.president.ir/en/152301).[^2]" in value
    assert "google.com/url" not in value
    assert "| 2022 | none \\| cancelled |" in value
    assert page.locator(".md-editor__paste-note").is_hidden()

    preview = page.frame_locator("[data-md-preview]").locator("main")
    preview.locator("strong", has_text="threat to its northern trade").wait_for()
    assert preview.locator("em", has_text="Zangezur").count() == 1
    assert preview.locator("table td", has_text="Fatehan-e Khaybar").count() == 1
    assert preview.locator("section.footnotes li").count() == 3
    leave_the_editor(page)
    assert page.console_errors == [] and violations == []


def test_a_hostile_clipboard_leaves_nothing_that_runs(page, editor):
    violations = watch(page)
    log_in(page, editor.username)
    body = open_body_with_caret_between_paragraphs(page)
    page.evaluate("() => { window.ran = false; window.alert = () => { window.ran = true; }; }")

    paste(page, "hostile.html", "A heading that clicks")

    page.wait_for_function("() => document.querySelector('#id_body').value.includes('Bold stays')")
    value = body.input_value()
    assert "javascript" not in value.lower() and "evil.example" not in value
    preview = page.frame_locator("[data-md-preview]").locator("main")
    preview.locator("strong", has_text="Bold stays").wait_for()
    assert preview.locator("script, iframe, object, embed, svg, [onerror], [onclick]").count() == 0
    assert "<script>alert(5)</script>" in preview.inner_text()
    assert page.evaluate("() => window.ran") is False  # nor on the editor's own page
    leave_the_editor(page)
    assert page.console_errors == [] and violations == []


def test_a_picture_copied_from_a_page_is_left_out_with_a_word_why(page, editor):
    violations = watch(page)
    log_in(page, editor.username)
    body = open_body_with_caret_between_paragraphs(page)

    page.evaluate(
        PASTE, ['<img src="https://example.org/chart.png" alt="Crossings per month">', ""]
    )

    note = page.locator(".md-editor__paste-note")
    note.wait_for()
    assert note.inner_text() == (
        "The picture in the pasted text was left out: add it from the image library."
    )
    assert body.input_value() == BEFORE + AFTER.lstrip("\n")
    leave_the_editor(page)
    assert page.console_errors == [] and violations == []


def test_plain_text_is_pasted_by_the_browser(page, editor):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    violations = watch(page)
    log_in(page, editor.username)
    body = open_body_with_caret_between_paragraphs(page)
    page.evaluate("() => navigator.clipboard.writeText('Just words, *as typed*.')")

    body.focus()
    page.keyboard.press("Control+v")

    assert body.input_value() == BEFORE + "Just words, *as typed*." + AFTER.lstrip("\n")
    assert page.locator(".md-editor__paste-note").is_hidden()
    leave_the_editor(page)
    assert page.console_errors == [] and violations == []
