"""Issue 22: a contributor who sends the Russian or Persian submission form with a bad file
reads why in the page's language (the catalog's sentence, not the English one), and finds the
form as they filled it. The preview's answers come in the page's language too.

Expected sentences are read from the .po files themselves, so a message the code stopped
translating (or a catalog entry left empty) fails here."""

import html
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.formats import number_format

from submissions.models import SCENARIO_MAX_CHARS, Submission
from tests.submissions.conftest import filled_submission_form, png_bytes

LOCALE = Path(settings.LOCALE_PATHS[0])

DANGEROUS = (
    "“%(name)s” has “.%(extension)s” in its name, which is used for programs, scripts or "
    "web pages, so we cannot accept it. Rename the file and try again."
)
ACCEPTED = "Accepted types are PDF, CSV, XLSX, JSON, PNG and JPEG."
NO_ROWS = "“%(name)s” has no rows: it contains only blank lines."
# An empty file is refused by Django's FileField before the checks of submissions/uploads.py
# run, in Django's own words (translated by Django's catalogs).
DJANGO_EMPTY = "The submitted file is empty."
NOT_A_PDF = (
    "“%(name)s” is named like a PDF, but its contents are not a PDF. "
    "Check that you chose the right file, or that it is not damaged."
)
TOO_LONG = (
    "The scenario can be up to %(limit)s characters and has %(count)s; "
    "shorten it to see the preview."
)
TYPED_TITLE = {"ru": "Месяц без дороги на Мегри", "fa": "یک ماه بدون جادهٔ مغری"}


@cache
def _catalog(language: str) -> dict:
    """msgid (for plurals, the plural msgid) → msgstr (for plurals, every form)."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po:
        return {
            (m.id[1] if isinstance(m.id, tuple) else m.id): m.string for m in read_po(po) if m.id
        }


def _translated(language: str, msgid: str) -> str:
    msgstr = _catalog(language)[msgid]
    assert msgstr and msgstr != msgid, f"{msgid!r} is not translated into {language}"
    return msgstr


def _page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "fa"])
def test_bad_attachments_are_refused_in_the_language_of_the_form(
    client, vocabulary, settings, language
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    files = [
        SimpleUploadedFile("report.pdf.exe", b"MZ\x90\x00", "application/octet-stream"),
        SimpleUploadedFile("blank.csv", b"\r\n\r\n", "text/csv"),
        SimpleUploadedFile("chart.pdf", png_bytes(), "application/pdf"),
    ]
    typed = filled_submission_form(vocabulary, title=TYPED_TITLE[language])
    response = client.post(f"/{language}/submit/", typed | {"attachments": files})

    assert response.status_code == 400
    text = _page_text(response)
    for msgid, values in [
        (DANGEROUS, {"name": "report.pdf.exe", "extension": "exe"}),
        (ACCEPTED, {}),
        (NO_ROWS, {"name": "blank.csv"}),
        (NOT_A_PDF, {"name": "chart.pdf"}),
    ]:
        assert _translated(language, msgid) % values in text
        assert msgid % values not in text
    # What was typed is still in the form.
    assert TYPED_TITLE[language] in text
    assert typed["scenario"].split("\n")[0] in text
    assert not Submission.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "fa"])
def test_an_empty_file_is_refused_in_the_language_of_the_form(
    client, vocabulary, settings, language
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    empty = SimpleUploadedFile("empty.csv", b"", "text/csv")
    typed = filled_submission_form(vocabulary, title=TYPED_TITLE[language])
    response = client.post(f"/{language}/submit/", typed | {"attachments": [empty]})

    assert response.status_code == 400
    text = _page_text(response)
    with translation.override(language):
        assert translation.gettext(DJANGO_EMPTY) in text
    assert DJANGO_EMPTY not in text
    assert TYPED_TITLE[language] in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "fa"])
def test_the_preview_refuses_a_long_scenario_in_the_language_of_the_form(client, language):
    scenario = "x" * (SCENARIO_MAX_CHARS + 1)
    response = client.post(f"/{language}/submit/preview/", {"scenario": scenario})

    assert response.status_code == 400
    with translation.override(language):
        values = {
            "limit": number_format(SCENARIO_MAX_CHARS, force_grouping=True),
            "count": number_format(len(scenario), force_grouping=True),
        }
    forms = {form % values for form in _translated(language, TOO_LONG)}
    assert response.json()["error"] in forms
    assert "scenario" not in response.json()["error"]


@pytest.mark.django_db
def test_the_english_form_still_speaks_english(client, vocabulary, settings):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    blank = SimpleUploadedFile("blank.csv", b"\n\n", "text/csv")
    response = client.post(
        "/submit/", filled_submission_form(vocabulary) | {"attachments": [blank]}
    )
    assert response.status_code == 400
    assert NO_ROWS % {"name": "blank.csv"} in _page_text(response)
