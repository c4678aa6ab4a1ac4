"""The page as readers will see it, and publishing at hand, in Chromium: the preview is the
article page in the site's typography and follows the text; the action bar stays in sight on
a long form at 1280 and 390 px; archiving asks first; a preview link is copied whole."""

import re
import tempfile
from pathlib import Path

import pytest
from PIL import Image

from articles.models import Article
from tests.browser.test_editor import log_in, watch
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots"  # looked at by hand
LONG_BODY = "\n\n".join(
    f"## Section {n}\n\n" + f"Paragraph {n} about the corridor and its lorries. " * 12
    for n in range(1, 13)
)


def _in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_action_bar_is_in_sight_without_scrolling_on_a_long_form(page, editor, width):
    SHOTS.mkdir(exist_ok=True)
    article = ArticleFactory(draft=True, title="The corridor, long", body=LONG_BODY)
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + f"/admin/articles/article/{article.pk}/change/")
    assert page.evaluate("document.documentElement.scrollHeight") > 2 * page.viewport_size["height"]
    assert _in_viewport(page, "[data-action-bar]")
    bar = page.locator("[data-action-bar]")
    for name in ("Save", "Save and send to review", "Save and publish now"):
        assert bar.get_by_role("button", name=name, exact=True).is_visible()
    assert "Archive…" in bar.inner_text()
    page.frame_locator("[data-md-preview]").locator("h1", has_text="The corridor").wait_for()
    page.screenshot(path=SHOTS / f"editor-action-bar-{width}.png")
    page.locator("[data-md-preview]").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / f"editor-with-preview-{width}.png")
    assert _in_viewport(page, "[data-action-bar]")
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    assert _in_viewport(page, "[data-action-bar]")
    page.screenshot(path=SHOTS / f"editor-action-bar-scrolled-{width}.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The bar's state of the checks follows the form; Save works from anywhere down it.
    summary = bar.locator("[data-checks-summary]")
    page.locator("#id_dek").fill("")
    summary.filter(has_text="1 to fix before publishing").wait_for()
    page.locator("#id_dek").fill("A new standfirst.")
    summary.filter(has_text="Checks pass").wait_for()
    bar.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist li").first.wait_for()
    assert page.url.endswith(f"/admin/articles/article/{article.pk}/change/")
    article.refresh_from_db()
    assert article.dek == "A new standfirst."
    assert violations == [] and page.console_errors == []


def test_archiving_asks_first_and_cancel_leaves_the_article_as_it_was(page, editor):
    article = ArticleFactory(title="Border posts")  # published
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + f"/admin/articles/article/{article.pk}/change/")
    bar = page.locator("[data-action-bar]")
    dialog = page.locator("dialog#confirm-archive")
    bar.get_by_role("button", name="Archive…").click()
    dialog.wait_for(state="visible")
    assert "Border posts" in dialog.inner_text() and "Gone" in dialog.inner_text()
    page.screenshot(path=SHOTS / "editor-confirm-archive-1280.png")
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED

    bar.get_by_role("button", name="Unpublish…").click()
    page.locator("dialog#confirm-unpublish").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator("dialog#confirm-unpublish").wait_for(state="hidden")

    bar.get_by_role("button", name="Archive…").click()
    dialog.get_by_role("button", name="Save and archive").click()
    page.locator(".messagelist", has_text="is now archived").wait_for()
    article.refresh_from_db()
    assert article.status == Article.Status.ARCHIVED
    assert violations == [] and page.console_errors == []


def test_the_preview_is_the_article_page_in_the_sites_typography_and_follows_the_text(page, editor):
    AuthorFactory(name="Eddie Editor", title="Senior Fellow", user=editor)
    published = ArticleFactory(title="A published analysis")
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + "/admin/articles/article/add/")
    page.locator("#id_title").fill("The corridor after the reopening")
    page.locator("#id_dek").fill("Eleven weeks closed, one month to recover.")
    page.locator("#id_body").fill(LONG_BODY)
    frame = page.frame_locator("[data-md-preview]")
    frame.locator("h2", has_text="Section 12").wait_for()
    assert frame.locator("h1").inner_text() == "The corridor after the reopening"
    assert frame.locator(".dek").inner_text() == "Eleven weeks closed, one month to recover."
    # The byline is the editor's own author profile, filled in for a new article.
    assert "Eddie Editor" in frame.locator(".byline").inner_text()
    assert "Senior Fellow" in frame.locator(".byline").inner_text()

    # The site's stylesheet, not the admin's: the same fonts as the public article page.
    fonts = frame.locator("h1").evaluate(
        "h => [getComputedStyle(h).fontFamily, getComputedStyle(h.ownerDocument.body).fontFamily]"
    )
    admin_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    reader = page.context.new_page()
    reader.goto(page.base_url + published.get_absolute_url())
    site_fonts = reader.locator("h1").evaluate(
        "h => [getComputedStyle(h).fontFamily, getComputedStyle(h.ownerDocument.body).fontFamily]"
    )
    reader.close()
    assert fonts == site_fonts
    assert fonts[1] != admin_font
    page.locator("#id_body").evaluate("t => { t.scrollTop = 0; }")
    page.locator(".md-editor").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=SHOTS / "editor-preview-1280.png")

    # Scrolling the text scrolls the preview to the same place.
    preview_top = "document.querySelector('[data-md-preview]').contentWindow.scrollY"
    page.locator("#id_body").evaluate("t => { t.scrollTop = 0; }")
    page.wait_for_function(f"() => {preview_top} === 0")
    page.locator("#id_body").evaluate("t => { t.scrollTop = t.scrollHeight; }")
    page.wait_for_function(
        "() => { const w = document.querySelector('[data-md-preview]').contentWindow;"
        " return w.scrollY > 0 && w.scrollY + w.innerHeight >="
        " w.document.documentElement.scrollHeight - 5; }"
    )
    assert frame.locator("h2", has_text="Section 12").is_visible()
    page.locator("#id_body").evaluate(
        "t => { t.scrollTop = t.scrollHeight / 2 - t.clientHeight / 2; }"
    )
    page.wait_for_function(
        "() => { const w = document.querySelector('[data-md-preview]').contentWindow;"
        " const room = w.document.documentElement.scrollHeight - w.innerHeight;"
        " return Math.abs(w.scrollY - room / 2) < room * 0.1; }"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#id_body").evaluate("t => { t.scrollTop = 0; }")
    page.locator("[data-md-preview]").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "editor-preview-390.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("[data-autosave-status]", has_text=re.compile("^Saved")).wait_for(timeout=15000)
    page.goto("about:blank")  # nothing left talking to the server while the test ends
    assert violations == [] and page.console_errors == []


def test_a_draft_is_viewed_as_readers_will_see_it_and_its_preview_link_is_copied(
    page, editor, live_server, settings
):
    settings.SITE_URL = live_server.url
    draft = ArticleFactory(draft=True, title="Water on the Aras", authors=[AuthorFactory()])
    draft.preview_links.create()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + f"/admin/articles/article/{draft.pk}/change/")

    with page.context.expect_page() as opened:
        page.get_by_role("link", name="View as readers will see it").click()
    readers = opened.value
    readers.wait_for_load_state()
    assert readers.locator("h1").inner_text() == "Water on the Aras"
    assert "Only the newsroom can open this page" in readers.locator(".preview-banner").inner_text()
    readers.screenshot(path=SHOTS / "as-readers-1280.png")
    readers.close()

    page.locator("#preview_links-group summary").click()
    link = page.locator("#preview_links-group .copy-link__url")
    address = link.inner_text()
    assert re.fullmatch(re.escape(live_server.url) + r"/preview/[^/]+/", address)
    page.get_by_role("button", name="Copy link").click()
    page.locator(".copy-link__done", has_text="Copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.screenshot(path=SHOTS / "editor-preview-link-1280.png")

    reader = page.context.browser.new_context().new_page()
    reader.goto(address)
    assert "Water on the Aras" in reader.locator("main").inner_text()
    reader.context.close()
    assert violations == [] and page.console_errors == []


def test_a_refused_publish_keeps_the_chosen_image_until_it_is_published(
    page, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    AuthorFactory(name="Eddie Editor", user=editor)
    picture = tmp_path / "border.png"
    Image.new("RGB", (64, 48), (179, 71, 12)).save(picture)
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(page.base_url + "/admin/articles/article/add/")
    page.locator("#id_title").fill("Posts on the Aras")
    page.locator("#id_dek").fill("Where the border runs.")
    page.locator("#id_body").fill("## The river\n\nThe posts stand every kilometre.")
    page.locator("summary", has_text="Media").first.click()
    page.locator("#id_image").set_input_files(picture)
    page.locator("[data-action-bar]").get_by_role("button", name="Save and publish now").click()

    # Refused for the missing alt text: both lists say so, and the image is still chosen.
    page.locator(".errornote").wait_for()
    assert "The featured image has no alt text" in page.locator(".errorlist.nonfield").inner_text()
    checks = page.locator("[data-checks-list]")
    assert "The featured image has no alt text" in checks.inner_text()
    assert "Kept from your last try: border.png" in page.locator("#content-main").inner_text()
    frame = page.frame_locator("[data-md-preview]")
    frame.locator("figure.article__image img").wait_for()
    page.screenshot(path=SHOTS / "editor-refused-keeps-image-1280.png", full_page=True)

    # The Media section is open now: its alt text field has the error.
    page.locator("#id_image_alt").fill("Border posts along the Aras")
    checks.locator(".content-check--error", has_text="alt text").wait_for(state="detached")
    page.locator("[data-action-bar]").get_by_role("button", name="Save and publish now").click()
    page.locator(".messagelist li", has_text="is now published").wait_for()
    article = Article.objects.get(title="Posts on the Aras")
    with article.image.open("rb") as saved:
        assert Image.open(saved).size == (64, 48)
    assert violations == [] and page.console_errors == []
