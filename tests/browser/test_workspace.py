"""The editor's workspace in a real browser: the dashboard and a moderation decision, with no
console error and no Content-Security-Policy violation."""

import pytest
from django.utils import timezone

from submissions.models import MessageTemplate, Submission
from tests.factories import ArticleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_CSP = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("CSP violation: " + event.violatedDirective + " " + event.blockedURI);
});
"""


def _log_in(page, username: str) -> None:
    page.add_init_script(REPORT_CSP)
    page.goto(page.base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()


def _shoot(page, artifacts_dir, name: str) -> None:
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=artifacts_dir / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _submission() -> Submission:
    return Submission.objects.create(
        status=Submission.Status.IN_REVIEW,
        full_name="Leyla Mammadova",
        email="leyla@example.org",
        phone="+994123456789",
        professional_title="Analyst",
        bio="Leyla writes on the Caspian.",
        title="Ferries stop on the Caspian",
        summary="What if the Caspian ferries stop for a season.",
        scenario="## Setting\n\nA storm season closes the ports.",
        assumptions="No side escalates.",
        outcomes="Trade moves to rail.",
        confirmed_at=timezone.now(),
    )


def test_the_dashboard_draws_without_errors(page, editor, artifacts_dir):
    ArticleFactory(draft=True, title="Drones over the Araxes", created_by=editor)
    ArticleFactory()
    _submission()
    _log_in(page, editor.username)
    page.goto(page.base_url + "/admin/")
    assert "Drones over the Araxes" in page.locator("#ws-drafts ~ ul").inner_text()
    assert page.locator("svg.workspace-chart rect").count() == 12 + 8
    assert page.locator("svg.workspace-chart").first.bounding_box()["width"] > 300
    _shoot(page, artifacts_dir, "workspace-dashboard")
    page.locator("#ws-waiting a").click()
    page.wait_for_url("**/admin/submissions/submission/?waiting=0")
    assert "Ferries stop on the Caspian" in page.locator("#result_list").inner_text()
    assert page.console_errors == []


def test_an_editor_accepts_with_an_edited_template_after_a_confirmation(
    page, editor, artifacts_dir
):
    MessageTemplate.objects.create(
        purpose="accept", name="Warm yes", body="We are glad to publish your simulation."
    )
    submission = _submission()
    _log_in(page, editor.username)
    page.goto(page.base_url + f"/admin/submissions/submission/{submission.pk}/change/")
    page.get_by_label("Start from a template").select_option(label="Warm yes")
    message = page.get_by_label("Message to the contributor")
    assert message.input_value() == "We are glad to publish your simulation."
    message.fill("We are glad to publish your simulation in our Caspian series.")
    _shoot(page, artifacts_dir, "workspace-moderation")

    page.get_by_role("button", name="Accept…").click()
    page.wait_for_selector(".confirm-move")
    assert "cannot be undone" in page.locator(".confirm-move__what").inner_text()
    _shoot(page, artifacts_dir, "workspace-confirm-accept")
    page.get_by_role("button", name="Yes, accept and send").click()
    page.wait_for_url("**/admin/articles/article/*/change/")

    submission.refresh_from_db()
    assert submission.status == Submission.Status.ACCEPTED
    assert submission.events.last().message == (
        "We are glad to publish your simulation in our Caspian series."
    )
    assert page.console_errors == []
