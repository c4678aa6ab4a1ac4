"""E-mails are Jinja2 templates (templates/jinja2/emails/): the HTML part escapes what people
typed, the subject and the plain-text part print it as they typed it."""

import jinja2
import pytest

from outbox.emails import render_email
from submissions import services
from submissions.models import Submission
from tests.factories import SubmissionFactory
from tests.mail import html_part, only_mail_to

pytestmark = pytest.mark.django_db

NAME = 'Tom <script>alert("x")</script> & O\'Brien'
TITLE = "Gas & <oil> on the Aras"
MESSAGE = "Add <b>Iran</b> & Turkey."


@pytest.fixture
def revision_request(editor, django_capture_on_commit_callbacks):
    """The mail a contributor with a hostile name gets when the editors ask for a revision."""
    submission = SubmissionFactory(
        status=Submission.Status.IN_REVIEW, full_name=NAME, title=TITLE, email="tom@example.org"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_request_revision(submission=submission, by=editor, message=MESSAGE)
    return only_mail_to("tom@example.org")


def test_an_html_mail_escapes_a_hostile_name_title_and_message(revision_request):
    html = html_part(revision_request)
    assert "<script>" not in html and "<b>Iran</b>" not in html
    assert (
        "<p>Dear Tom &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; O&#39;Brien,</p>" in html
    )
    assert "your simulation “Gas &amp; &lt;oil&gt; on the Aras”" in html
    assert "Add &lt;b&gt;Iran&lt;/b&gt; &amp; Turkey." in html


def test_a_text_mail_and_its_subject_print_a_name_as_typed(revision_request):
    assert revision_request.subject == "The editors ask for a revision of “Gas & <oil> on the Aras”"
    body = revision_request.body
    assert f"Dear {NAME},\n" in body
    assert f"your simulation “{TITLE}”" in body and f"\n{MESSAGE}\n" in body
    assert "&amp;" not in body and "&lt;" not in body and "&#" not in body


def test_a_mail_missing_a_variable_fails_in_tests():
    with pytest.raises(jinja2.UndefinedError):
        render_email("submission_received", {"title": "Syunik", "tracking_url": "https://x/t"})
