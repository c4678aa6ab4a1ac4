"""The editor in Chromium when the text and the people move: suggestions that follow the
text, who else has the article open, keeping one's version in a conflict, and a revert
that, once saved, leaves no banner behind. No console error on any admin page visited."""

import re

import pytest

from articles.models import Article
from articles.revisions import versions_of
from tests.browser.test_editor import log_in, new_tab
from tests.browser.waits import settled
from tests.factories import ArticleFactory, RegionFactory, TopicFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("empty_cache"),
]

SHOTS = "/tmp/shots"  # noqa: S108 (where the screenshots are looked at)
SAVED = re.compile(r"^Saved")


def open_as(browser, base_url: str, username: str, errors: list[str]):
    """A browser of its own (another person, or the same one elsewhere), signed in."""
    tab = new_tab(browser.new_context(viewport={"width": 1280, "height": 900}), base_url, errors)
    log_in(tab, username)
    return tab


def change_url(page, article) -> str:
    return page.base_url + f"/admin/articles/article/{article.pk}/change/"


def suggested(page) -> list[str]:
    return page.locator(".tag-suggestions__name").all_inner_texts()


def shot(page, name: str, seen=None) -> None:
    """The window at 1280 and 390 px wide, scrolled to `seen` when given."""
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if seen is not None:
            seen.evaluate("element => element.scrollIntoView({block: 'center'})")
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_suggestions_follow_the_text_on_load_and_while_typing(page, editor):
    for name in ("Armenia", "Azerbaijan", "Iran"):
        RegionFactory(name=name, slug=name.lower(), keywords="")
    for name in ("Drones", "Sanctions"):
        TopicFactory(name=name, slug=name.lower(), keywords="")
    article = ArticleFactory(
        draft=True,
        title="Border talks",
        dek="",
        body="Armenia and Azerbaijan met again. " * 40,
        regions=[],
        topics=[],
    )
    log_in(page, editor.username)

    # On load: the saved text's regions, without pressing anything.
    page.goto(change_url(page, article))
    box = page.locator(".tag-suggestions")
    box.locator(".tag-suggestions__name", has_text="Armenia").wait_for()
    assert set(suggested(page)) == {"+ Armenia", "+ Azerbaijan"}
    assert page.get_by_role("button", name=re.compile("Suggest again")).count() == 0

    # While typing: the standfirst names three more.
    page.locator("#id_dek").fill("")
    page.locator("#id_dek").press_sequentially(
        "Armenia, Azerbaijan and Iran argue over drones and sanctions."
    )
    box.locator(".tag-suggestions__name", has_text="Sanctions").wait_for()
    assert set(suggested(page)) == {
        "+ Armenia",
        "+ Azerbaijan",
        "+ Iran",
        "+ Drones",
        "+ Sanctions",
    }
    shot(page, "suggestions-while-typing", box)

    # A new article: suggestions come as soon as there is text, with no button.
    page.goto(page.base_url + "/admin/articles/article/add/")
    page.locator("#id_title").fill("Iran and its drones")
    page.locator("#id_title").press("End")
    page.keyboard.type(" ")
    box.locator(".tag-suggestions__name", has_text="Iran").wait_for()
    assert "+ Drones" in suggested(page)
    assert page.console_errors == []


def test_the_editor_says_who_else_has_the_article_open(page, browser, editor, nino):
    article = ArticleFactory(draft=True, title="Border posts", body="The first text.")
    errors: list[str] = []
    log_in(page, editor.username)
    page.goto(change_url(page, article))
    notice = page.locator("[data-presence]")
    settled(page)
    assert notice.is_hidden()

    # Another person opens it: her page names Eddie at once, his names her at his next ping.
    nina_tab = open_as(browser, page.base_url, "nino", errors)
    nina_tab.goto(change_url(nina_tab, article))
    nina_tab.locator("[data-presence]", has_text="Eddie Aliyev is also editing").wait_for()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # back in view
    notice.get_by_text(
        re.compile(r"^Nino Beridze is also editing this article \(since \d\d:\d\d UTC\)\.$")
    ).wait_for()
    shot(page, "presence-other-person", notice)

    # The same person in a second tab: named as such, not as someone else.
    second = new_tab(page.context, page.base_url, errors)
    second.goto(change_url(second, article))
    second_notice = second.locator("[data-presence]")
    second_notice.get_by_text("You have this article open in another tab.").wait_for()
    assert "Eddie" not in second_notice.inner_text()
    assert "Nino Beridze is also editing" in second_notice.inner_text()
    shot(second, "presence-own-tab", second_notice)

    # Closing the second tab takes it away at once.
    second.close()
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_function(
        "() => !document.querySelector('[data-presence]').innerText.includes('another tab')"
    )
    assert "Nino Beridze" in notice.inner_text()
    settled(nina_tab)
    nina_tab.context.close()
    assert errors == [] and page.console_errors == []


def test_keep_mine_saves_over_their_autosave_after_showing_the_difference(
    page, browser, editor, nino
):
    article = ArticleFactory(draft=True, title="Border posts", body="The first text.")
    errors: list[str] = []
    log_in(page, editor.username)
    page.goto(change_url(page, article))  # Eddie opens the draft first

    nina_tab = open_as(browser, page.base_url, "nino", errors)
    nina_tab.goto(change_url(nina_tab, article))
    nina_tab.locator("#id_body").fill("Nino's newer text.")
    nina_tab.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    settled(nina_tab)
    nina_tab.context.close()

    page.locator("#id_body").fill("Eddie's text, typed meanwhile.")
    conflict = page.locator("[data-autosave-conflict]")
    conflict.get_by_role("heading", name="Nino Beridze saved this article").wait_for(timeout=15000)
    assert "Differences from their version to yours" in conflict.inner_text()
    assert conflict.locator("del", has_text="Nino's").count() == 1
    assert conflict.locator("ins", has_text="Eddie's").count() == 1
    shot(page, "conflict-other-person", conflict)
    article.refresh_from_db()
    assert article.body == "Nino's newer text."  # nothing saved over theirs unasked

    settled(page)
    page.get_by_role("button", name="Keep mine").click()
    page.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    article.refresh_from_db()
    assert article.body == "Eddie's text, typed meanwhile."
    bodies = [v.field_dict["body"] for v in versions_of(article)[:2]]
    assert bodies == ["Eddie's text, typed meanwhile.", "Nino's newer text."]
    assert errors == [] and page.console_errors == []


def test_a_conflict_with_ones_own_other_tab_is_named_as_such(page, editor):
    article = ArticleFactory(draft=True, title="Border posts", body="The first text.")
    errors: list[str] = []
    log_in(page, editor.username)
    page.goto(change_url(page, article))
    other = new_tab(page.context, page.base_url, errors)
    other.goto(change_url(other, article))
    other.locator("#id_body").fill("Typed in the other tab.")
    other.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)

    page.bring_to_front()
    page.locator("#id_body").fill("Typed in this tab.")
    conflict = page.locator("[data-autosave-conflict]")
    conflict.get_by_role("heading", name="You saved this article in another tab").wait_for(
        timeout=15000
    )
    assert "someone" not in conflict.inner_text().lower()
    assert "Saved in your other tab" in conflict.inner_text()
    shot(page, "conflict-own-tab", conflict)
    settled(page)
    page.get_by_role("button", name="Keep this tab’s version").click()
    page.locator("[data-autosave-status]", has_text=SAVED).wait_for(timeout=15000)
    assert Article.objects.get(pk=article.pk).body == "Typed in this tab."
    assert errors == [] and page.console_errors == []


def test_a_refused_save_shows_both_versions_and_keeps_mine_on_request(page, browser, editor, nino):
    article = ArticleFactory(title="Border posts", body="The published text.")  # no autosave
    errors: list[str] = []
    log_in(page, editor.username)
    page.goto(change_url(page, article))

    nina_tab = open_as(browser, page.base_url, "nino", errors)
    nina_tab.goto(change_url(nina_tab, article))
    nina_tab.locator("#id_body").fill("Nino's correction.")
    settled(nina_tab)
    nina_tab.get_by_role("button", name="Save", exact=True).click()
    nina_tab.locator(".messagelist").wait_for()
    settled(nina_tab)
    nina_tab.context.close()

    page.locator("#id_body").fill("Eddie's correction.")
    settled(page)
    page.get_by_role("button", name="Save", exact=True).click()
    conflict = page.locator("[data-autosave-conflict]")
    conflict.get_by_role("heading", name="Nino Beridze saved this article").wait_for()
    assert conflict.locator("ins", has_text="Eddie's").count() == 1
    assert Article.objects.get(pk=article.pk).body == "Nino's correction."

    settled(page)
    page.get_by_role("button", name="Keep mine").click()
    page.locator(".messagelist .success").wait_for()
    assert Article.objects.get(pk=article.pk).body == "Eddie's correction."
    assert errors == [] and page.console_errors == []


def test_the_revert_banner_is_gone_once_the_revert_is_saved(page, editor):
    article = ArticleFactory(draft=True, title="Border posts", body="The first text.")
    log_in(page, editor.username)
    for body in ("The first version.", "The second version."):
        page.goto(change_url(page, article))
        page.locator("#id_body").fill(body)
        settled(page)
        page.get_by_role("button", name="Save", exact=True).click()
        page.locator(".messagelist").wait_for()
    first = versions_of(article).filter(revision__comment__startswith="Edited").last()
    page.goto(page.base_url + f"/admin/articles/article/{article.pk}/revisions/{first.pk}/revert/")
    settled(page)
    page.get_by_role("button", name="Open it in the editor").click()
    banner = page.locator(".messagelist", has_text="Review it and press Save")
    banner.wait_for()
    assert page.locator("#id_body").input_value() == "The first version."

    settled(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist .success").wait_for()
    assert banner.count() == 0
    assert page.locator("#id_body").input_value() == "The first version."
    assert Article.objects.get(pk=article.pk).body == "The first version."

    # Saving again with nothing changed writes nothing, and says so.
    count = versions_of(article).count()
    settled(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator(".messagelist", has_text="Nothing changed").wait_for()
    assert versions_of(article).count() == count
    shot(page, "nothing-changed")
    assert page.console_errors == []
