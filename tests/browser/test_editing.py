import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_schedules_then_publishes_a_draft_and_readers_see_it(
    page, browser, editor, artifacts_dir
):
    drones = TopicFactory(name="Drones", slug="drones")
    draft = ArticleFactory(
        draft=True,
        title="Loitering munitions, a first draft",
        slug="loitering-munitions",
        topics=[drones],
        authors=[AuthorFactory(name="Elif Demir")],
    )

    page.goto(page.base_url + "/admin/login/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(page.base_url + f"/admin/articles/article/{draft.pk}/change/")
    page.locator("#id_title").fill("Loitering munitions over the Caucasus")
    when = timezone.now() + datetime.timedelta(days=1)
    page.locator("#id_publish_at_0").fill(f"{when:%Y-%m-%d}")
    page.locator("#id_publish_at_1").fill("09:30:00")
    page.screenshot(path=artifacts_dir / "editing-1-draft.png", full_page=True)
    page.get_by_role("button", name="Save and schedule").click()

    page.wait_for_selector(".messagelist")
    assert "is now scheduled" in page.locator(".messagelist").inner_text()
    assert "Scheduled" in page.locator(".workflow-row__state").inner_text()
    page.screenshot(path=artifacts_dir / "editing-2-scheduled.png", full_page=True)

    page.get_by_role("button", name="Save and publish now").click()
    page.wait_for_selector(".messagelist")
    assert "is now published" in page.locator(".messagelist").inner_text()
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED

    reader = browser.new_context().new_page()
    reader.goto(page.base_url + "/")
    assert "Loitering munitions over the Caucasus" in reader.locator("main").inner_text()
    reader.goto(page.base_url + "/topics/drones/")
    assert reader.locator(".card__title").all_inner_texts() == [
        "Loitering munitions over the Caucasus"
    ]
    reader.screenshot(path=artifacts_dir / "editing-3-reader-topic.png", full_page=True)
    assert page.console_errors == []
