"""The article editor in Chromium: live preview, autosave, content checks, conflicts,
preview links — with no console error and no CSP violation on any admin page visited."""

import re
from urllib.parse import urlsplit

import pytest

from articles.models import Article
from tests.browser.waits import track_requests
from tests.factories import ArticleFactory, AuthorFactory, RegionFactory, TopicFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password
SCREENS = "var/screens"
SAVED = re.compile(r"^Saved")  # not "Unsaved changes…"


def watch(page) -> list[str]:
    """Every Content-Security-Policy violation on every page this tab opens."""
    violations: list[str] = []
    page.expose_binding(
        "reportCspViolation",
        lambda source, text: violations.append(f"{source['page'].url}: {text}"),
    )
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', function (e) {"
        " window.reportCspViolation(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    return violations


def log_in(page, username: str) -> None:
    page.goto(page.base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def new_tab(context, base_url: str, errors: list[str]):
    tab = context.new_page()
    track_requests(tab)
    tab.base_url = base_url
    tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
    tab.on("pageerror", lambda e: errors.append(str(e)))
    return tab


def pick_author(page, name: str) -> None:
    page.locator("#bylines-group .select2-selection").first.click()
    page.keyboard.type(name)
    page.locator(".select2-results__option", has_text=name).first.click()


BODY = (
    "## What changed\n\nThe corridor reopened for lorries in April, after eleven weeks.\n\n"
    "![](/static/img/favicon.svg)\n\nTrade through Goris recovered within a month."
)


def test_editor_writes_with_live_preview_recovers_a_closed_tab_and_publishes_after_checks(
    page, browser, editor, artifacts_dir
):
    AuthorFactory(name="Elif Demir")
    TopicFactory(name="Transport corridors")
    RegionFactory(name="Armenia")
    violations = watch(page)
    log_in(page, editor.username)

    tab = new_tab(page.context, page.base_url, errors := [])
    violations_in_tab = watch(tab)
    tab.goto(page.base_url + "/admin/articles/article/add/")
    tab.locator("#id_title").fill("The Lachin corridor after the reopening")
    tab.locator("#id_dek").fill("Eleven weeks closed, one month to recover.")
    tab.locator("#id_body").fill(BODY)
    preview = tab.frame_locator("[data-md-preview]").locator("main")
    preview.locator("h2", has_text="What changed").wait_for()
    assert "eleven weeks" in preview.inner_text()
    assert tab.locator("[data-md-words]").inner_text() != "0"
    tab_checks = tab.locator("[data-checks-list]")
    tab_checks.locator(".content-check--error", has_text="has no alt text").wait_for()

    # Autosave: a few seconds after typing stops, the draft exists on the server.
    tab.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    tab.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    article = Article.objects.get()
    assert article.status == "draft" and "eleven weeks" in article.body
    tab.screenshot(path=f"{SCREENS}/editor-1-writing-1280.png", full_page=True)

    # The tab closes; opening the article again shows the text.
    change_url = tab.url
    tab.close()
    violations += violations_in_tab
    page.goto(change_url)
    checks = page.locator("[data-checks-list]")
    assert "eleven weeks" in page.locator("#id_body").input_value()
    assert page.locator("#id_title").input_value() == "The Lachin corridor after the reopening"

    # Publishing is refused while the body's image has no alt text; the failure is named.
    pick_author(page, "Elif Demir")
    page.get_by_role("button", name="Save and publish now").click()
    page.locator(".errornote, .errorlist").first.wait_for()
    assert "has no alt text" in page.locator("#content-main").inner_text()
    assert Article.objects.get().status == "draft"
    page.screenshot(path=f"{SCREENS}/editor-2-refused-1280.png", full_page=True)

    # Fixed, it publishes.
    fixed = page.locator("#id_body").input_value().replace("![](", "![Map of the corridor](")
    page.locator("#id_body").fill(fixed)
    checks.locator(".content-check--error").first.wait_for(state="detached")
    page.get_by_role("button", name="Save and publish now").click()
    page.locator(".messagelist", has_text="is now published").wait_for()
    assert Article.objects.get().status == "published"

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.screenshot(path=f"{SCREENS}/editor-3-published-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})
    history_url = change_url.replace("change/", "history/")
    for url in (page.base_url + "/admin/", page.base_url + "/admin/articles/article/", history_url):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, url
    page.screenshot(path=f"{SCREENS}/editor-4-history-1280.png", full_page=True)
    assert violations == []
    assert errors == []


def test_an_autosave_that_meets_a_newer_save_shows_both_versions(page, browser, editor):
    UserFactory(username="leyla", first_name="Leyla", groups=["Editors"])
    article = ArticleFactory(draft=True, title="Border posts", body="The first text.")
    url = page.base_url + f"/admin/articles/article/{article.pk}/change/"
    violations = watch(page)
    log_in(page, editor.username)
    page.goto(url)  # Eddie opens the article first

    leyla_context = browser.new_context(viewport={"width": 1280, "height": 900})
    leyla = new_tab(leyla_context, page.base_url, errors := [])
    violations += watch(leyla)
    log_in(leyla, "leyla")
    leyla.goto(url)
    leyla.locator("#id_body").fill("Leyla's newer text.")
    leyla.get_by_role("button", name="Save", exact=True).click()
    leyla.locator(".messagelist").wait_for()
    leyla_context.close()

    page.locator("#id_body").fill("Eddie's text, typed meanwhile.")
    conflict = page.locator("[data-autosave-conflict]")
    conflict.wait_for(timeout=15000)
    text = conflict.inner_text()
    assert "Leyla" in text
    assert "Leyla's newer text." in text and "Eddie's text, typed meanwhile." in text
    assert "Not saved" in page.locator("[data-autosave-status]").inner_text()
    page.screenshot(path=f"{SCREENS}/editor-5-conflict-1280.png", full_page=True)
    article.refresh_from_db()
    assert article.body == "Leyla's newer text."
    assert violations == [] and errors == [] and page.console_errors == []


def test_a_writer_shares_a_draft_by_preview_link_that_works_logged_out(page, browser, writer):
    draft = ArticleFactory(
        draft=True,
        title="Water on the Aras, a draft",
        created_by=writer,
        authors=[AuthorFactory(user=writer)],
    )
    violations = watch(page)
    log_in(page, writer.username)
    page.goto(page.base_url + f"/admin/articles/article/{draft.pk}/change/")
    page.locator("#preview_links-group summary").click()
    page.locator("#preview_links-group .add-row a", has_text="Add another Preview link").click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist li").first.wait_for()
    page.locator("#preview_links-group summary").click()
    link = page.locator("#preview_links-group a[href*='/preview/']").first
    href = urlsplit(link.get_attribute("href")).path  # shown whole, with the site's address
    page.screenshot(path=f"{SCREENS}/editor-6-preview-link-1280.png", full_page=True)

    reader = browser.new_context().new_page()
    reader.goto(page.base_url + href)
    assert "Water on the Aras, a draft" in reader.locator("main").inner_text()
    assert "Preview" in reader.inner_text("body")
    reader.context.close()
    assert violations == [] and page.console_errors == []


def test_every_part_of_the_editor_script_runs_without_a_console_message_or_csp_violation(
    page, editor
):
    """The add page, then the change page, using each part of the script once: toolbar and
    shortcuts, preview and word count, the simulation timeline, autosave, the browser copy
    and the tag suggestions. Any console message at all (not only errors) fails it."""
    RegionFactory(name="Armenia")
    violations = watch(page)
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    log_in(page, editor.username)

    page.goto(page.base_url + "/admin/articles/article/add/")
    title = page.locator("#id_title")
    title.fill("Roads to Armenia")
    title.press("Enter")  # one line: Enter does not break the title
    assert title.input_value() == "Roads to Armenia"
    body = page.locator("#id_body")
    preview = page.frame_locator("[data-md-preview]").locator("main")
    body.fill("Trade through Goris recovered")
    page.get_by_role("button", name="Section heading").click()
    preview.locator("h2", has_text="Trade through Goris recovered").wait_for()
    body.press("End")
    body.press("Enter")
    body.press("Enter")
    # The placeholder is selected: typing replaces it.
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("Lorries")
    body.press("End")
    page.keyboard.type(" crossed into Armenia with ")
    body.press("Control+i")
    page.keyboard.type("grain")
    body.press("End")
    page.get_by_role("button", name="Footnote").click()
    preview.locator("strong", has_text="Lorries").wait_for()
    preview.locator("em", has_text="grain").wait_for()
    assert "The note." in preview.inner_text()
    assert page.locator("[data-md-words]").inner_text() not in ("", "0")

    page.locator("#id_kind").select_option("simulation")
    assert page.locator(".only-for-simulation").is_visible()
    page.locator("#id_kind").select_option("analysis")
    assert page.locator(".only-for-simulation").is_hidden()

    # Autosave turns the add page into the new draft's change page.
    page.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    page.wait_for_url(re.compile(r"/admin/articles/article/\d+/change/$"))
    article = Article.objects.get()
    assert "**Lorries**" in article.body and "_grain_" in article.body

    # The change page offers back text this browser kept, and autosaves it once restored.
    kept = "A text this browser kept, about Armenia."
    page.evaluate(
        "([key, body]) => localStorage.setItem(key, JSON.stringify("
        "{at: Date.now(), values: {title: 'Roads to Armenia', dek: '', body: body}}))",
        [f"newsroom:article:{article.pk}", kept],
    )
    page.reload()
    page.get_by_role("button", name="Restore it").click()
    assert body.input_value() == kept
    preview.locator("p", has_text=kept).wait_for()
    page.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    article.refresh_from_db()
    assert article.body == kept

    # A suggested region, clicked, is chosen in the form.
    page.locator(".tag-suggestions__add", has_text="Armenia").click()
    chosen = page.locator("#id_regions").evaluate(
        "select => Array.from(select.selectedOptions, option => option.text)"
    )
    assert chosen == ["Armenia"]

    assert violations == []
    assert messages == []
