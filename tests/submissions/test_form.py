import datetime
import re
import time
import zlib

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from submissions.models import Call, Submission
from tests.factories import SeriesFactory
from tests.mail import link_in, only_mail_to, sent_to
from tests.submissions.conftest import filled_submission_form, pdf, png_bytes

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
    response = post(data=filled_submission_form(vocabulary) | {"attachments": [pdf()]})
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
    again = client.post(confirm)
    assert again.status_code == 302 and again["Location"] == tracking


def _confirm(client, url):
    response = client.post(url, follow=True)
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
    data = filled_submission_form(vocabulary, moves=3) | {field: value}
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
    response = post(data=filled_submission_form(vocabulary, moves=0))
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
        data=filled_submission_form(vocabulary)
        | {"attachments": [SimpleUploadedFile(name, content)]}
    )
    assert response.status_code == 400
    assert f"“{reason}”" in response.text
    assert "could not be kept" in response.text
    assert "A month without the Meghri road" in response.text
    assert Submission.objects.count() == 0


def test_more_than_five_files_are_refused(post, vocabulary):
    files = [pdf(f"annex-{n}.pdf") for n in range(6)]
    response = post(data=filled_submission_form(vocabulary) | {"attachments": files})
    assert "You can attach up to 5 files" in response.text


def test_honeypot_and_too_fast_submissions_are_quietly_dropped(post, vocabulary):
    assert (
        post(
            data=filled_submission_form(vocabulary) | {"website": "http://spam.example"}
        ).status_code
        == 302
    )
    assert post(data=filled_submission_form(vocabulary, seconds_ago=0.5)).status_code == 302
    assert post(data=filled_submission_form(vocabulary) | {"started": "forged"}).status_code == 302
    assert Submission.objects.count() == 0 and mail.outbox == []


def test_submissions_from_one_address_are_rate_limited(post, vocabulary, settings):
    settings.SUBMISSIONS_RATE_LIMIT = "2/h"
    settings.EDITORS_EMAIL = "desk@caucasus.example"
    for n in range(2):
        assert (
            post(data=filled_submission_form(vocabulary, email=f"n{n}@example.org")).status_code
            == 302
        )
    response = post(data=filled_submission_form(vocabulary, email="third@example.org"))
    assert response.status_code == 429
    assert "sent from your address too often" in response.text
    assert 'href="mailto:desk@caucasus.example"' in response.text
    assert "A month without the Meghri road" in response.text
    assert 'value="third@example.org"' in response.text
    assert Submission.objects.count() == 2


def test_refused_forms_do_not_count_against_the_submission_limit(post, vocabulary, settings):
    settings.SUBMISSIONS_RATE_LIMIT = "2/h"
    for _typo in range(2):
        response = post(data=filled_submission_form(vocabulary, phone="not a number"))
        assert response.status_code == 400
    assert post(data=filled_submission_form(vocabulary)).status_code == 302
    assert Submission.objects.count() == 1


def test_a_flood_of_refused_forms_is_stopped(post, vocabulary, settings):
    settings.SUBMISSIONS_POST_LIMIT = "3/h"
    for _ in range(3):
        assert post(data=filled_submission_form(vocabulary, phone="x")).status_code == 400
    flooded = post(data=filled_submission_form(vocabulary))
    assert flooded.status_code == 429
    assert "A month without the Meghri road" in flooded.text
    assert Submission.objects.count() == 0


def test_a_limited_form_is_read_without_its_files(post, vocabulary, settings, monkeypatch):
    from submissions import stash

    settings.SUBMISSIONS_RATE_LIMIT = "1/h"
    assert post(data=filled_submission_form(vocabulary)).status_code == 302
    kept = []
    monkeypatch.setattr(stash, "keep", lambda uploads: kept.extend(uploads) or [])
    response = post(data=filled_submission_form(vocabulary) | {"attachments": [pdf()]})
    assert response.status_code == 429
    assert "The files you chose were not read" in response.text
    assert "A month without the Meghri road" in response.text
    assert kept == []


def test_a_made_up_forwarded_header_does_not_lift_the_submission_limit(post, vocabulary, settings):
    settings.SUBMISSIONS_RATE_LIMIT, settings.PROXY_COUNT = "1/h", 0
    assert post(data=filled_submission_form(vocabulary)).status_code == 302
    for n in range(5):
        forged = post(
            data=filled_submission_form(vocabulary), HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        )
        assert forged.status_code == 429
    assert Submission.objects.count() == 1


def test_behind_a_proxy_each_contributor_has_their_own_limit(post, vocabulary, settings):
    settings.SUBMISSIONS_RATE_LIMIT, settings.PROXY_COUNT = "1/h", 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    first = post(
        data=filled_submission_form(vocabulary), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
    )
    assert first.status_code == 302
    other = post(
        data=filled_submission_form(vocabulary), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy
    )
    assert other.status_code == 302
    again = post(
        data=filled_submission_form(vocabulary), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy
    )
    assert again.status_code == 429


def test_an_oversized_body_is_refused_before_it_is_parsed(
    client, post, vocabulary, settings, monkeypatch
):
    from django.http import multipartparser

    settings.SUBMISSIONS_MAX_REQUEST_BYTES = 200_000
    parsed = []
    original = multipartparser.MultiPartParser.parse
    monkeypatch.setattr(
        multipartparser.MultiPartParser,
        "parse",
        lambda self: parsed.append(1) or original(self),
    )
    big = SimpleUploadedFile("annex.pdf", b"%PDF-1.4\n" + b"0" * 300_000, "application/pdf")
    response = post(data=filled_submission_form(vocabulary) | {"attachments": [big]})
    assert response.status_code == 413
    assert "more than we can take" in response.text and "5 files of 10 MB" in response.text
    assert parsed == [] and Submission.objects.count() == 0
    # A request that declares more than the limit is refused on the declaration alone.
    declared = client.post(
        "/submit/", filled_submission_form(vocabulary), CONTENT_LENGTH="999999999"
    )
    assert declared.status_code == 413


def test_the_oversize_check_comes_before_the_csrf_check(vocabulary, settings):
    from django.test import Client

    settings.SUBMISSIONS_MAX_REQUEST_BYTES = 1000
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/submit/", filled_submission_form(vocabulary)).status_code == 413
    settings.SUBMISSIONS_MAX_REQUEST_BYTES = 10_000_000
    assert (
        strict.post("/submit/", filled_submission_form(vocabulary)).status_code == 403
    )  # no token


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
    response = post("/submit/past/", data=filled_submission_form(vocabulary))
    assert response.status_code == 410 and "is closed" in response.text
    assert Submission.objects.count() == 0
    assert post("/submit/open/", data=filled_submission_form(vocabulary)).status_code == 302
    assert Submission.objects.get().call == open_call
    closed.is_open = True
    closed.save()
    assert client.get("/submit/past/").status_code == 410  # the deadline has passed


def test_scenario_previews_are_rate_limited_per_client(client, settings):
    settings.SUBMISSIONS_PREVIEW_RATE_LIMIT, settings.PROXY_COUNT = "2/h", 0
    for _ in range(2):
        assert client.post("/submit/preview/", {"scenario": "**x**"}).status_code == 200
    forged = client.post(
        "/submit/preview/", {"scenario": "**x**"}, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert forged.status_code == 429 and "Too many previews" in forged.json()["error"]


def test_scenario_preview_renders_safe_markdown(client):
    response = client.post(
        "/submit/preview/", {"scenario": "## Heading\n\n<script>alert(1)</script>\n\n**bold**"}
    )
    html = response.json()["html"]
    assert "<h2" in html and "<strong>bold</strong>" in html and "<script" not in html


def test_lost_link_answers_the_same_and_sends_only_to_known_addresses(client, post, vocabulary):
    post(data=filled_submission_form(vocabulary))
    mail.outbox.clear()
    known = client.post("/submissions/lost-link/", {"email": "nare@example.org"})
    unknown = client.post("/submissions/lost-link/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.text == unknown.text
    message = only_mail_to("nare@example.org")
    assert "/submissions/confirm/" in message.body
    assert len(mail.outbox) == 1


def test_lost_link_mails_one_mailbox_a_few_times_a_day_at_most(client, post, vocabulary, settings):
    settings.LOST_LINK_MAILBOX_RATE_LIMIT = "3/d"
    post(data=filled_submission_form(vocabulary))
    mail.outbox.clear()
    # django-ratelimit's day for a key starts at a time of day set by the key's CRC-32: begin
    # just after this mailbox's day starts, so that the hour of requests below never spans
    # two days (run at 19:51 UTC, it did, and a fourth mail went out).
    day = 86_400
    today = int(time.time()) // day * day
    opens = today + zlib.crc32(b"nare@example.org") % day
    start = datetime.datetime.fromtimestamp(opens + 60, tz=datetime.UTC)
    for n, spelling in enumerate(["nare@example.org", "NARE@example.org"] * 3):
        # Each request in a new ten-minute window, from a different client.
        with time_machine.travel(start + datetime.timedelta(minutes=11 * n)):
            response = client.post(
                "/submissions/lost-link/", {"email": spelling}, REMOTE_ADDR=f"198.51.100.{n}"
            )
        assert response.status_code == 200
    assert len(sent_to("nare@example.org")) == 3


def test_lost_link_requests_from_one_client_are_limited(client, settings):
    settings.LOST_LINK_RATE_LIMIT, settings.EDITORS_EMAIL = "10/h", "desk@caucasus.example"
    answers = [
        client.post(
            "/submissions/lost-link/",
            {"email": f"c{n}@example.org"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",  # made up: ignored
        )
        for n in range(11)
    ]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert "too often" in answers[-1].text and "desk@caucasus.example" in answers[-1].text
    assert 'value="c10@example.org"' in answers[-1].text


def test_good_files_are_kept_when_the_form_comes_back_for_another_error(post, vocabulary):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("notes.exe", b"MZ\x90\x00")
    first = post(
        data=filled_submission_form(vocabulary, phone="not a phone") | {"attachments": [pdf(), bad]}
    )
    assert first.status_code == 400
    assert "Remove annex.pdf" in first.text and "“notes.exe”" in first.text
    kept = re.search(r'name="kept_files" value="([^"]+)"', first.text).group(1)

    again = post(data=filled_submission_form(vocabulary) | {"kept_files": kept})
    assert again.status_code == 302
    attachment = Submission.objects.get().attachments.get()
    assert attachment.original_name == "annex.pdf"
    assert attachment.file.read().startswith(b"%PDF-")
    assert not attachment.file.name.startswith("pending/")


def test_kept_files_never_sent_are_deleted_after_a_day(post, vocabulary):
    import time_machine

    from submissions import services
    from submissions.models import private_storage

    post(data=filled_submission_form(vocabulary, phone="bad") | {"attachments": [pdf()]})
    _, names = private_storage.listdir("pending")
    assert len(names) == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        services.purge_expired()
    assert private_storage.listdir("pending")[1] == []


def test_a_forged_kept_files_token_attaches_nothing(post, vocabulary):
    response = post(data=filled_submission_form(vocabulary) | {"kept_files": "forged:token"})
    assert response.status_code == 302
    assert not Submission.objects.get().attachments.exists()


def test_a_scenario_over_the_cap_is_refused_with_its_count_and_kept(post, vocabulary):
    from submissions.models import SCENARIO_MAX_CHARS

    scenario = "## Heading\n" * 20_000 + "The end."  # 220,008 characters
    response = post(data=filled_submission_form(vocabulary) | {"scenario": scenario})
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
    response = post(data=filled_submission_form(vocabulary) | {field: "x" * (cap + 1)})
    assert response.status_code == 400
    assert f"This can be up to {cap:,} characters and has {cap + 1:,}." in response.text


def test_a_move_over_the_cap_is_refused(post, vocabulary):
    response = post(data=filled_submission_form(vocabulary) | {"moves-1-action": "y" * 2_001})
    assert response.status_code == 400
    assert "This can be up to 2,000 characters and has 2,001." in response.text


def test_line_breaks_count_once_as_in_the_browser(post, vocabulary):
    from submissions.models import BIO_MAX_CHARS

    bio = "line\r\n" * (BIO_MAX_CHARS // 5)  # 1,500 characters once \r\n is \n
    assert post(data=filled_submission_form(vocabulary) | {"bio": bio}).status_code == 302
    assert Submission.objects.get().bio == ("line\n" * 300).strip()


def test_the_revision_form_on_the_tracking_page_caps_the_scenario_too(
    client, editor, post, vocabulary
):
    from submissions import services
    from tests.submissions.test_moderation import _revision_form

    post(data=filled_submission_form(vocabulary))
    submission = Submission.objects.get()
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
    stale = filled_submission_form(vocabulary, seconds_ago=25 * 3600)
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
    from base.markdown import render_markdown
    from submissions import views

    # No CPU time at all: the budget runs out as soon as it is first checked.
    monkeypatch.setattr(views, "render_markdown", lambda s: render_markdown(s, cpu_seconds=0))
    response = client.post("/submit/preview/", {"scenario": "![" * 10_000})
    html = response.json()["html"]
    assert html.startswith("<p><em>This Markdown is too intricate to format")
    assert "<p>![![![" in html
