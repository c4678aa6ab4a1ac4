"""Admin pages on a phone and a desk: the revision history without sideways scrolling, a
writer's read-only view of a colleague's article rendered as readers will see it, and the
dashboard's "New article" and imported drafts."""

import re

import pytest

from articles import services
from articles.models import Article, ImportRecord
from base.roles import EDITORS
from tests.browser.test_editor import log_in, watch
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]


def scrolls_sideways(page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )


def edited_four_times(by) -> Article:
    article = ArticleFactory(
        draft=True, title="Iran–Azerbaijan border tensions after the Aras exercises"
    )
    for n, words in enumerate(["a first", "a second", "a longer third", "the fourth"], start=1):
        article.refresh_from_db()
        article.body = f"The text, {words} time: drills near Jolfa and Horadiz. " * n
        article.dek = f"Standfirst number {n}, rewritten to say what the drills mean."
        services.article_update(article=article, by=by, changed=["body", "dek"])
    # A colleague known by a long sign-in name only, and a revert's long comment.
    colleague = UserFactory(username="rashad.mammadli@caucasus-center.org", groups=[EDITORS])
    article.refresh_from_db()
    article.title = "Iran–Azerbaijan border tensions after the Aras exercises, revised"
    services.article_update(
        article=article,
        by=colleague,
        changed=["title"],
        comment="Reverted to the revision of 2026-12-01 09:15 UTC (Title, Standfirst, Body, "
        "Topics, Regions, Authors, Series, Featured image, Image alt text, Video URL)",
    )
    return article


@pytest.mark.parametrize("width", WIDTHS)
def test_revision_history_reads_without_sideways_scrolling(page, editor, artifacts_dir, width):
    article = edited_four_times(editor)
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch(page)
    log_in(page, editor.username)

    page.goto(f"{page.base_url}/admin/articles/article/{article.pk}/history/")

    assert page.locator("table.revisions tbody tr").count() == 5
    assert not scrolls_sideways(page)
    # Every part of a revision is on the screen: when, who, what, and the way back to it.
    rows = page.locator("table.revisions tbody tr")
    for part in (
        rows.nth(0).get_by_text("rashad.mammadli@caucasus-center.org"),
        rows.nth(0).get_by_text("Video URL", exact=False),
        rows.nth(1).get_by_text("Eddie Aliyev"),
        rows.nth(1).get_by_role("link", name="Revert to this…"),
    ):
        box = part.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
    page.get_by_role("button", name="Compare the two revisions").click()
    page.wait_for_url(re.compile(r"/revisions/compare/"))
    page.go_back()
    page.screenshot(path=artifacts_dir / f"history-{width}.png", full_page=True)
    assert page.console_errors == [] and violations == []


@pytest.mark.parametrize("width", WIDTHS)
def test_writer_reads_a_colleagues_draft_rendered(page, writer, artifacts_dir, width):
    article = ArticleFactory(
        draft=True,
        title="Exercises on the Aras",
        dek="What Tehran meant by the October drills.",
        body="## The Aras crossings\n\nDrills near **Jolfa** in October.\n\n"
        "| Year | Drills |\n| --- | --- |\n| 2021 | Fatehan-e Khaybar |",
        created_by=UserFactory(username="nigar"),
    )
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch(page)
    log_in(page, writer.username)

    page.goto(f"{page.base_url}/admin/articles/article/{article.pk}/change/")

    shown = page.frame_locator(".read-only-page__frame").locator("main")
    shown.locator("h1", has_text="Exercises on the Aras").wait_for()
    assert shown.locator("h2", has_text="The Aras crossings").count() == 1
    assert shown.locator("strong", has_text="Jolfa").count() == 1
    assert shown.locator("table td", has_text="Fatehan-e Khaybar").count() == 1
    text = page.locator("#content").inner_text()
    assert "You can read this article but not change it" in text
    assert "Save" not in text and "browser" not in text
    assert not scrolls_sideways(page)
    page.screenshot(path=artifacts_dir / f"read-only-{width}.png", full_page=True)
    assert page.console_errors == [] and violations == []


@pytest.mark.parametrize("width", WIDTHS)
def test_dashboard_starts_a_new_article_and_lists_imported_drafts(
    page, editor, artifacts_dir, width
):
    imported = ArticleFactory(draft=True, title="Drones over Karabakh (2016 post)")
    ImportRecord.objects.create(
        source="wordpress", source_key="wp:812", article=imported, content_hash="0" * 64
    )
    page.set_viewport_size({"width": width, "height": 900})
    violations = watch(page)
    log_in(page, editor.username)

    block = page.locator("section", has=page.locator("#ws-imported"))
    assert block.locator(".workspace-count").inner_text() == "1"
    assert not scrolls_sideways(page)
    page.screenshot(path=artifacts_dir / f"dashboard-{width}.png", full_page=True)
    block.get_by_role("link", name="Drones over Karabakh (2016 post)").click()
    page.wait_for_url(re.compile(rf"/admin/articles/article/{imported.pk}/change/$"))
    page.go_back()
    page.get_by_role("link", name="New article").click()
    page.wait_for_url(re.compile(r"/admin/articles/article/add/$"))
    page.locator("#id_title").wait_for()
    assert page.console_errors == [] and violations == []
