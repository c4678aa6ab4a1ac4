import pytest

from tests.factories import ArticleFactory, AuthorFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _report():
    return ArticleFactory(
        title="Drones over the Lachin corridor",
        slug="drones-lachin",
        kind="report",
        report_number="CC-2025-004",
        key_takeaways="Drones changed the balance.",
        authors=[AuthorFactory(name="Anna van der Berg")],
    )


def test_copy_button_puts_the_apa_reference_on_the_clipboard(page, artifacts_dir):
    _report()
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page.base_url)
    page.goto(page.base_url + "/articles/drones-lachin/")
    cite = page.get_by_role("region", name="Cite this")
    apa = cite.locator("#cite-apa").inner_text()
    assert apa.startswith("van der Berg, A.")

    cite.get_by_role("button", name="Copy APA citation").click()
    page.get_by_text("Citation copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == apa
    cite.screenshot(path=artifacts_dir / "citing-cite-this.png")
    assert page.console_errors == []  # the script runs under the strict CSP


def test_without_javascript_the_reference_is_text_and_no_button_shows(browser, live_server):
    _report()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/articles/drones-lachin/")
    assert page.locator("#cite-chicago").inner_text().startswith("Berg, Anna van der.")
    assert page.get_by_role("button", name="Copy APA citation").count() == 0
    assert page.get_by_role("link", name="BibTeX").get_attribute("href") == (
        "/articles/drones-lachin/cite.bib"
    )
    context.close()
