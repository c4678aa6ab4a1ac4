"""A contributor's names and titles take no control character; long texts keep their tabs
and line breaks but nothing else invisible. The form says which and where, and keeps
everything typed."""

import pytest

from submissions.models import Submission
from tests.submissions.conftest import filled_submission_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 3
    return lambda data: client.post("/submit/", data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "Nare\x1bHakobyan", "U+001B (escape) at position 5"),
        ("professional_title", "Research\tAssociate", "U+0009 (tab) at position 9"),
        ("affiliation", "Indep\x0cendent", "U+000C (form feed (page break)) at position 6"),
        ("title", "A month\x07 without the road", "U+0007 at position 8"),
        ("moves-0-actor", "Yerevan\x1b", "U+001B (escape) at position 8"),
        ("scenario", "## Setting\n\nPage one.\x0cPage two.", "U+000C (form feed (page break))"),
    ],
)
def test_a_control_character_is_refused_with_where_it_is(post, vocabulary, field, value, message):
    response = post(filled_submission_form(vocabulary) | {field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Nare" in page and "Trucking associations" in page  # what was typed stays
    assert not Submission.objects.exists()


def test_tabs_and_line_breaks_are_text_in_long_fields(post, vocabulary):
    scenario = "## Setting\r\n\r\n| Day\t| Move |\r\n|---|---|\r\n| 1 | Closed |"
    assert post(filled_submission_form(vocabulary) | {"scenario": scenario}).status_code == 302
    assert Submission.objects.get().scenario == scenario.replace("\r\n", "\n")
