import pytest
from django.core import mail

from submissions.models import Submission
from tests.factories import RegionFactory, TopicFactory
from tests.mail import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _latest_link(address: str, path: str) -> str:
    messages = [m for m in mail.outbox if address in m.to and path in m.body]
    assert messages, f"no mail to {address} with {path}"
    return link_in(messages[-1], path)


def test_the_whole_journey_of_a_contributed_simulation(
    page, browser, editor, settings, tmp_path, artifacts_dir
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    from submissions.models import private_storage

    private_storage._location = str(tmp_path)
    private_storage.__dict__.pop("base_location", None)
    private_storage.__dict__.pop("location", None)
    RegionFactory(name="Armenia", slug="armenia")
    TopicFactory(name="Transport corridors", slug="corridors")
    annex = tmp_path / "annex.pdf"
    annex.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
    base = page.base_url

    # 1. The contributor fills the form with two moves and a PDF.
    page.goto(base + "/submit/")
    page.locator("#id_full_name").fill("Nare Hakobyan")
    page.locator("#id_email").fill("nare@example.org")
    page.locator("#id_phone").fill("+374 10 123456")
    page.locator("#id_professional_title").fill("Research Associate")
    page.locator("#id_bio").fill("Nare studies transit politics.")
    page.locator("#id_title").fill("A month without the Meghri road")
    page.locator("#id_summary").fill("The only road south closes for a month.")
    page.locator("#id_scenario").fill("## Setting\n\nA landslide closes the road.")
    page.get_by_role("button", name="Preview the scenario").click()
    page.locator("[data-preview] h2").wait_for()
    assert page.locator("[data-preview] h2").inner_text() == "Setting"
    page.get_by_role("checkbox", name="Armenia").check()
    page.locator("#id_assumptions").fill("No side wants a war.")
    page.locator("#id_moves-0-phase").fill("Day 1")
    page.locator("#id_moves-0-actor").fill("Armenia")
    page.locator("#id_moves-0-action").fill("Opens an emergency supply line")
    page.get_by_role("button", name="Add a move").click()
    page.locator("#id_moves-1-phase").fill("Day 3")
    page.locator("#id_moves-1-actor").fill("Iran")
    page.locator("#id_moves-1-action").fill("Moves troops to the Aras")
    page.locator("#id_outcomes").fill("Politics matter more than trade.")
    page.get_by_role("checkbox", name="Transport corridors").check()
    page.locator("input[name=attachments]").set_input_files(str(annex))
    page.locator("#id_consent").check()
    page.screenshot(path=artifacts_dir / "contributing-1-form.png", full_page=True)
    page.get_by_role("button", name="Send my simulation").click()
    page.wait_for_url("**/submit/sent/")

    # 2. The contributor confirms from the e-mail.
    page.goto(base + _latest_link("nare@example.org", "/submissions/confirm/"))
    page.get_by_role("button", name="Confirm my submission").click()
    page.wait_for_load_state()
    assert "Your simulation is with the editors" in page.content()
    page.get_by_role("link", name="Follow your submission").click()
    assert "Submitted" in page.locator(".status-line").inner_text()
    submission = Submission.objects.get()
    assert submission.moves.count() == 2 and submission.attachments.count() == 1

    # 3. An editor asks for a revision in the admin.
    editor_tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    editor_tab.goto(base + "/admin/login/")
    editor_tab.get_by_label("Username").fill(editor.username)
    editor_tab.get_by_label("Password").fill("correct horse battery")
    editor_tab.get_by_role("button", name="Log in").click()
    editor_tab.goto(base + "/admin/submissions/submission/")
    editor_tab.get_by_role("link", name="A month without the Meghri road").click()
    editor_tab.get_by_role("button", name="Start review").click()
    editor_tab.get_by_label("Message to the contributor").fill("Please add Russia's move.")
    editor_tab.get_by_role("button", name="Request a revision").click()
    assert "Revision requested: “A month without the Meghri road”" in (
        editor_tab.locator(".messagelist").inner_text()
    )

    # 4. The contributor revises from the tracking link.
    page.goto(base + _latest_link("nare@example.org", "/submissions/track/"))
    assert "Please add Russia's move." in page.content()
    page.get_by_role("button", name="Add a move").click()
    page.locator("#id_moves-2-phase").fill("Week 2")
    page.locator("#id_moves-2-actor").fill("Russia")
    page.locator("#id_moves-2-action").fill("Offers to mediate")
    page.screenshot(path=artifacts_dir / "contributing-2-revise.png", full_page=True)
    page.get_by_role("button", name="Send the revised version").click()
    page.wait_for_load_state()
    assert "Resubmitted" in page.locator(".status-line").inner_text()

    # 5. The editor accepts, edits the draft and publishes it.
    editor_tab.goto(base + f"/admin/submissions/submission/{submission.pk}/change/")
    assert "Round 1 → round 2" in editor_tab.content()
    editor_tab.get_by_label("Message to the contributor").fill("Accepted, thank you.")
    editor_tab.get_by_role("button", name="Accept…").click()
    assert (
        "Accepted, thank you." in editor_tab.get_by_label("Message to Nare Hakobyan").input_value()
    )
    editor_tab.get_by_role("button", name="Yes, accept and send").click()
    editor_tab.wait_for_url("**/admin/articles/article/*/change/")
    editor_tab.locator("#id_dek").fill("A scenario of a month-long closure, and who gains.")
    editor_tab.screenshot(path=artifacts_dir / "contributing-3-draft.png", full_page=True)
    editor_tab.get_by_role("button", name="Save and publish now").click()
    assert "is now published" in editor_tab.locator(".messagelist").inner_text()

    # 6. The contributor receives the link, and readers see the simulation.
    published = only_mail_to_about("nare@example.org", "is published")
    article_path = link_in(published, "/articles/")
    reader = browser.new_context().new_page()
    reader.goto(base + article_path)
    assert reader.get_by_role("heading", level=1).inner_text() == "A month without the Meghri road"
    assert "Research Associate" in reader.locator(".article__header .byline").inner_text()
    assert "Offers to mediate" in reader.locator(".timeline").inner_text()
    assert "nare@example.org" not in reader.content()
    reader.screenshot(path=artifacts_dir / "contributing-4-published.png", full_page=True)
    assert page.console_errors == []


def only_mail_to_about(address: str, subject_part: str):
    matching = [m for m in mail.outbox if address in m.to and subject_part in m.subject]
    assert len(matching) == 1, [m.subject for m in mail.outbox]
    return matching[0]


@pytest.mark.parametrize("width", [1280, 390])
def test_capped_boxes_count_characters_as_the_contributor_types(
    browser, live_server, artifacts_dir, width
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/submit/")
    scenario_count = page.locator("#id_scenario_count")
    assert scenario_count.inner_text() == "0 of 30,000 characters"
    page.locator("#id_scenario").fill("## Setting\n\nA landslide.")
    assert scenario_count.inner_text() == "24 of 30,000 characters"
    page.locator("#id_summary").fill("x" * 1_850)
    summary_count = page.locator("#id_summary_count")
    assert summary_count.inner_text() == "1,850 of 2,000 characters"
    assert "counter--near" in summary_count.get_attribute("class")
    page.locator("#id_summary").press("End")
    page.keyboard.type("y" * 200)  # the browser stops at the cap
    assert summary_count.inner_text() == "2,000 of 2,000 characters"
    page.get_by_role("button", name="Add a move").click()
    assert page.locator("#id_moves-1-action_count").inner_text() == "0 of 2,000 characters"
    page.locator("#id_summary").scroll_into_view_if_needed()
    page.screenshot(path=artifacts_dir / f"counter-{width}.png")
    assert errors == []
    context.close()
