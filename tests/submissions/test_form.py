import datetime
import re
import time

import pytest
from django.core import mail
from django.utils import timezone

from submissions.models import Call, Submission
from tests.factories import SeriesFactory
from tests.mail import link_in, only_mail_to
from tests.submissions.conftest import form_data, pdf, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 3

    def send(url="/submit/", **kwargs):
        return client.post(url, kwargs.pop("data"), **kwargs)

    return send


def test_a_submission_waits_unconfirmed_and_confirming_puts_it_in_the_queue(
    client, post, vocabulary, settings
):
    response = post(data=form_data(vocabulary) | {"attachments": [pdf()]})
    assert response.status_code == 302
    assert "Check your inbox to confirm" in client.get(response["Location"]).text
    submission = Submission.objects.get()
    assert submission.status == "unconfirmed"
    assert submission.phone == "+37410123456"
    assert [m.action for m in submission.moves.all()] == ["Action number 1", "Action number 2"]
    assert submission.attachments.get().original_name == "annex.pdf"

    confirm = link_in(only_mail_to("nare@example.org"), "/submissions/confirm/")
    mail.outbox.clear()
    page = _confirm(client, confirm)
    assert "Your simulation is with the editors" in page
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.confirmed_at
    tracking = link_in(only_mail_to("nare@example.org"), "/submissions/track/")
    assert (
        mail.outbox[0].subject
        == "Your simulation “A month without the Meghri road” is with the editors"
    )
    editors = only_mail_to(settings.EDITORS_EMAIL)
    assert "A month without the Meghri road" in editors.subject
    assert "Submitted" in client.get(tracking).text
    assert "Already confirmed" in _confirm(client, confirm)


def _confirm(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "nare-at-example", "Enter a complete e-mail address"),
        ("phone", "010 123 456", "international format"),
        ("phone", "+999 1", "international format"),
        ("full_name", "", "This field is required"),
        ("scenario", "", "This field is required"),
        ("consent", "", "We can only consider a simulation we may publish"),
    ],
)
def test_a_bad_field_says_why_and_everything_typed_stays(post, vocabulary, field, value, message):
    data = form_data(vocabulary, moves=3) | {field: value}
    if not value:
        data.pop(field)
    response = post(data=data)
    assert response.status_code == 400
    assert message in response.text
    typed = {"full_name": "Nare Hakobyan", "actors_other": "Trucking associations"}
    for name, kept in typed.items():
        if name != field:
            assert kept in response.text
    assert "Action number 3" in response.text and "Response number 2" in response.text
    iran = vocabulary["iran"].pk
    assert re.search(rf'name="actor_regions" value="{iran}"[^>]*checked', response.text)
    assert Submission.objects.count() == 0 and mail.outbox == []


def test_at_least_one_move_is_needed(post, vocabulary):
    response = post(data=form_data(vocabulary, moves=0))
    assert response.status_code == 400
    assert "Please submit at least 1 form" in response.text or "at least 1" in response.text


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (("x.pdf.exe", b"MZ\x90\x00"), "x.pdf.exe"),
        (("map.pdf", png_bytes()), "map.pdf"),
        (
            ("drawing.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>"),
            "drawing.svg",
        ),
    ],
)
def test_an_invalid_attachment_names_the_file_and_keeps_the_text(post, vocabulary, upload, reason):
    from django.core.files.uploadedfile import SimpleUploadedFile

    name, content = upload
    response = post(
        data=form_data(vocabulary) | {"attachments": [SimpleUploadedFile(name, content)]}
    )
    assert response.status_code == 400
    assert f"“{reason}”" in response.text
    assert "could not be kept" in response.text
    assert "A month without the Meghri road" in response.text
    assert Submission.objects.count() == 0


def test_more_than_five_files_are_refused(post, vocabulary):
    files = [pdf(f"annex-{n}.pdf") for n in range(6)]
    response = post(data=form_data(vocabulary) | {"attachments": files})
    assert "You can attach up to 5 files" in response.text


def test_honeypot_and_too_fast_submissions_are_quietly_dropped(post, vocabulary):
    assert post(data=form_data(vocabulary) | {"website": "http://spam.example"}).status_code == 302
    assert post(data=form_data(vocabulary, seconds_ago=0.5)).status_code == 302
    assert post(data=form_data(vocabulary) | {"started": "forged"}).status_code == 302
    assert Submission.objects.count() == 0 and mail.outbox == []


def test_submissions_from_one_address_are_rate_limited(post, vocabulary, settings):
    settings.SUBMISSIONS_RATE_LIMIT = "2/h"
    for n in range(2):
        assert post(data=form_data(vocabulary, email=f"n{n}@example.org")).status_code == 302
    response = post(data=form_data(vocabulary, email="third@example.org"))
    assert response.status_code == 429
    assert "Too many submissions from your address" in response.text
    assert "A month without the Meghri road" in response.text
    assert Submission.objects.count() == 2


def test_a_closed_call_takes_no_more_submissions(client, post, vocabulary):
    series = SeriesFactory()
    open_call = Call.objects.create(
        title="Open call", slug="open", brief="Send **scenarios**.", series=series,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )  # fmt: skip
    closed = Call.objects.create(
        title="Past call", slug="past", brief="Old.",
        deadline=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    page = client.get("/submit/").text
    assert "Open call" in page and "Past call" not in page
    assert "Open call" in client.get("/").text
    assert "<strong>scenarios</strong>" in client.get("/submit/open/").text
    response = post("/submit/past/", data=form_data(vocabulary))
    assert response.status_code == 410 and "is closed" in response.text
    assert Submission.objects.count() == 0
    assert post("/submit/open/", data=form_data(vocabulary)).status_code == 302
    assert Submission.objects.get().call == open_call
    closed.is_open = True
    closed.save()
    assert client.get("/submit/past/").status_code == 410  # the deadline has passed


def test_scenario_preview_renders_safe_markdown(client):
    response = client.post(
        "/submit/preview/", {"scenario": "## Heading\n\n<script>alert(1)</script>\n\n**bold**"}
    )
    html = response.json()["html"]
    assert "<h2" in html and "<strong>bold</strong>" in html and "<script" not in html


def test_lost_link_answers_the_same_and_sends_only_to_known_addresses(client, post, vocabulary):
    post(data=form_data(vocabulary))
    mail.outbox.clear()
    known = client.post("/submissions/lost-link/", {"email": "nare@example.org"})
    unknown = client.post("/submissions/lost-link/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    message = only_mail_to("nare@example.org")
    assert "/submissions/confirm/" in message.body
    assert len(mail.outbox) == 1


def test_good_files_are_kept_when_the_form_comes_back_for_another_error(post, vocabulary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("notes.exe", b"MZ\x90\x00")
    first = post(data=form_data(vocabulary, phone="not a phone") | {"attachments": [pdf(), bad]})
    assert first.status_code == 400
    assert "Remove annex.pdf" in first.text and "“notes.exe”" in first.text
    kept = re.search(r'name="kept_files" value="([^"]+)"', first.text).group(1)

    again = post(data=form_data(vocabulary) | {"kept_files": kept})
    assert again.status_code == 302
    attachment = Submission.objects.get().attachments.get()
    assert attachment.original_name == "annex.pdf"
    assert attachment.file.read().startswith(b"%PDF-")
    assert not attachment.file.name.startswith("pending/")


def test_kept_files_never_sent_are_deleted_after_a_day(post, vocabulary):
    import time_machine

    from submissions import services
    from submissions.models import private_storage

    post(data=form_data(vocabulary, phone="bad") | {"attachments": [pdf()]})
    _, names = private_storage.listdir("pending")
    assert len(names) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        services.purge_expired()
    assert private_storage.listdir("pending")[1] == []


def test_a_forged_kept_files_token_attaches_nothing(post, vocabulary):
    response = post(data=form_data(vocabulary) | {"kept_files": "forged:token"})
    assert response.status_code == 302
    assert not Submission.objects.get().attachments.exists()


def test_a_scenario_over_the_cap_is_refused_with_its_count_and_kept(post, vocabulary):
    from submissions.models import SCENARIO_MAX_CHARS

    scenario = "## Heading\n" * 20_000 + "The end."  # 220,008 characters
    response = post(data=form_data(vocabulary) | {"scenario": scenario})
    assert response.status_code == 400
    assert f"This can be up to {SCENARIO_MAX_CHARS:,} characters and has 220,008." in response.text
    assert "everything you typed is still here" in response.text
    assert scenario.count("## Heading") == response.text.count("## Heading")
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "cap"),
    [("bio", 1_500), ("summary", 2_000), ("assumptions", 8_000), ("outcomes", 8_000)],
)
def test_every_long_field_has_a_cap_the_browser_knows(client, post, vocabulary, field, cap):
    page = client.get("/submit/").text
    assert re.search(rf'<textarea name="{field}"[^>]*maxlength="{cap}"', page)
    assert f"Up to {cap:,} characters." in page
    response = post(data=form_data(vocabulary) | {field: "x" * (cap + 1)})
    assert response.status_code == 400
    assert f"This can be up to {cap:,} characters and has {cap + 1:,}." in response.text


def test_a_move_over_the_cap_is_refused(post, vocabulary):
    response = post(data=form_data(vocabulary) | {"moves-1-action": "y" * 2_001})
    assert response.status_code == 400
    assert "This can be up to 2,000 characters and has 2,001." in response.text


def test_line_breaks_count_once_as_in_the_browser(post, vocabulary):
    from submissions.models import BIO_MAX_CHARS

    bio = "line\r\n" * (BIO_MAX_CHARS // 5)  # 1,500 characters once \r\n is \n
    assert post(data=form_data(vocabulary) | {"bio": bio}).status_code == 302
    assert Submission.objects.get().bio == ("line\n" * 300).strip()


def test_the_revision_form_on_the_tracking_page_caps_the_scenario_too(client, post, vocabulary):
    from submissions import services
    from tests.factories import UserFactory
    from tests.submissions.test_moderation import _revision_form

    post(data=form_data(vocabulary))
    submission = Submission.objects.get()
    editor = UserFactory(groups=["Editors"])
    services.submission_confirm(submission=submission)
    services.submission_start_review(submission=submission, by=editor)
    services.submission_request_revision(submission=submission, by=editor, message="More.")
    tracking = submission.link("track").removeprefix("http://testserver")
    assert 'maxlength="30000"' in client.get(tracking).text

    scenario = "A long scenario. " * 2_000 + "The end."  # 34,008 characters
    response = client.post(tracking, _revision_form(submission) | {"scenario": scenario})
    assert response.status_code == 200
    assert "This can be up to 30,000 characters and has 34,008." in response.text
    assert response.text.count("A long scenario.") == 2_000
    submission.refresh_from_db()
    assert submission.round == 1 and submission.status == "revision_requested"


def test_a_form_opened_too_long_ago_comes_back_with_a_fresh_clock(post, vocabulary, settings):
    import time_machine
    from django.core import signing

    from submissions.forms import STARTED_SALT

    settings.SUBMISSIONS_FORM_MAX_HOURS = 24
    stale = form_data(vocabulary, seconds_ago=25 * 3600)
    response = post(data=stale)
    assert response.status_code == 400
    assert "This form was opened more than 24 hours ago" in response.text
    assert "A month without the Meghri road" in response.text
    assert Submission.objects.count() == 0
    started = re.search(r'name="started" value="([^"]+)"', response.text).group(1)
    assert abs(signing.loads(started, salt=STARTED_SALT) - time.time()) < 60

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        again = post(data=stale | {"started": started})
    assert again.status_code == 302
    assert Submission.objects.count() == 1


def test_the_preview_refuses_a_scenario_over_the_cap(client):
    from submissions.models import SCENARIO_MAX_CHARS

    response = client.post("/submit/preview/", {"scenario": "## h\n" * 20_000})
    assert response.status_code == 400
    assert response.json()["error"] == (
        f"The scenario can be up to {SCENARIO_MAX_CHARS:,} characters and has 100,000; "
        "shorten it to see the preview."
    )


def test_the_preview_says_when_markdown_is_shown_as_plain_text(client, monkeypatch):
    from newsroom.markdown import render_markdown
    from submissions import views

    # No CPU time at all: the budget runs out as soon as it is first checked.
    monkeypatch.setattr(views, "render_markdown", lambda s: render_markdown(s, cpu_seconds=0))
    response = client.post("/submit/preview/", {"scenario": "![" * 10_000})
    html = response.json()["html"]
    assert html.startswith("<p><em>This Markdown is too intricate to format")
    assert "<p>![![![" in html
