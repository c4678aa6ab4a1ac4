"""Translating in Chromium: an editor starts a translation, sends a link to a translator
without an account, who translates side by side; the source then changes, the translation
is flagged stale, its changes are read beside it, and it is brought up to date. No console
error and no CSP violation on any page visited."""

import pytest

from articles.models import Article
from articles.revisions import versions_of
from articles.services import article_update
from tests.browser.test_editor import log_in, new_tab, watch
from tests.browser.waits import settled
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_cache"),
]

SHOTS = "/tmp/shots"  # noqa: S108 (where the screenshots are looked at)
BODY = "The corridor reopened in April.\n\nLorries wait two days at the border."


def shot(page, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_translation_from_start_to_stale_and_back_with_an_outside_translator(
    page, browser, editor
):
    violations = watch(page)
    source = ArticleFactory(title="Border posts", dek="Who holds the road.", body=BODY)
    log_in(page, editor.username)
    page.goto(page.base_url + f"/admin/articles/article/{source.pk}/change/")
    page.get_by_label("Translate into").select_option("ru")
    page.get_by_role("button", name="Start the translation").click()
    page.locator(".messagelist", has_text="edition is started as a draft").wait_for()
    russian = Article.objects.get(translation_of=source, language="ru")
    assert page.url.endswith(f"/admin/articles/article/{russian.pk}/change/")

    # A link for a translator without an account, shown whole to copy.
    page.get_by_text("A translator without an account").click()
    page.get_by_label("Name").fill("Irina Petrova")
    page.get_by_label("E-mail (kept here, never shown)").fill("irina@example.org")
    page.get_by_role("button", name="Make the link").click()
    link = page.get_by_label("The link for Irina Petrova").input_value()
    assert link.startswith(page.base_url + "/translate/")
    settled(page)

    # Irina, in a browser of her own, translates paragraph by paragraph.
    errors: list[str] = []
    irina = new_tab(
        browser.new_context(viewport={"width": 1280, "height": 900}), page.base_url, errors
    )
    irina_violations = watch(irina)
    irina.goto(link)
    assert "irina@example.org" not in irina.content()
    irina.get_by_label("Title in Русский").fill("Пограничные посты")
    irina.get_by_label("Standfirst in Русский").fill("Кто держит дорогу.")
    irina.get_by_label("Paragraph 1 in Русский").fill("Коридор открылся в апреле.")
    irina.get_by_role("button", name="Send the translation to the editors").click()
    irina.locator(".form-errors", has_text="empty: 2").wait_for()
    assert (
        irina.get_by_label("Paragraph 1 in Русский").input_value() == "Коридор открылся в апреле."
    )
    irina.get_by_label("Paragraph 2 in Русский").fill("Грузовики ждут на границе два дня.")
    shot(irina, "translator-form")
    irina.get_by_role("button", name="Send the translation to the editors").click()
    irina.get_by_role("heading", name="Thank you, Irina Petrova").wait_for()
    irina.context.close()
    russian.refresh_from_db()
    assert russian.status == Article.Status.REVIEW and russian.title == "Пограничные посты"

    # The source changes: the translation is flagged, its changes read beside it.
    source.body = BODY.replace("two days", "three days")
    article_update(article=source, by=editor, changed=["body"])
    page.goto(page.base_url + f"/admin/articles/article/{russian.pk}/change/")
    page.locator(".editions__stale", has_text="Stale since").wait_for()
    shot(page, "translation-stale")
    page.get_by_role("link", name="See what changed, beside this translation").click()
    changed = page.locator(".beside__row--changed")
    assert changed.locator("del", has_text="two").count() == 1
    assert changed.locator("ins", has_text="three").count() == 1
    shot(page, "translation-beside")
    page.get_by_role("button", name="The translation is up to date with the source").click()
    page.locator(".messagelist", has_text="no longer stale").wait_for()
    assert page.locator(".editions__stale").count() == 0
    russian.refresh_from_db()
    assert russian.stale_since is None
    assert russian.source_revision == versions_of(source).first()

    # The status page says so too.
    page.goto(page.base_url + "/admin/articles/article/translations/")
    row = page.get_by_role("row", name="Border posts")
    assert row.locator(".translation-state--review").count() == 1
    shot(page, "translation-status")
    settled(page)
    # The one refusal answered 400 (Chromium logs it); nothing else went wrong.
    assert errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    assert page.console_errors == []
    assert violations == [] and irina_violations == []
