"""The PDF edition's cost is bounded: tables are cut to a print budget (the online edition
has them whole), the printing task has time limits, and a print that fails is shown to the
editors until a later one succeeds."""

import datetime
import io
import re
import time

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone
from pypdf import PdfReader

from articles import editions, pdf
from articles.models import PdfEdition, PdfPrint
from articles.tasks import make_pdf_edition
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

URL = "https://example.org/articles/table/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _pdf_text(article) -> str:
    with PdfEdition.objects.get(article=article).file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_60000_character_table_prints_in_seconds_cut_with_a_note(pdf_printing):
    body = "| Day | Move |\n|---|---|\n" + "".join(f"| {n} | x |\n" for n in range(4_698))
    assert 59_900 < len(body) <= 60_000  # like the table that took 116 s and 401 MB
    article = ArticleFactory(slug="table", body=body)
    started = time.monotonic()
    editions.pdf_edition_make(article_id=article.pk)
    elapsed = time.monotonic() - started
    text = _pdf_text(article)
    # 2,000 cells of two: the header and rows 0 to 998.
    assert re.search(r"(?<!\d)998 x", text) and not re.search(r"(?<!\d)999 x", text)
    assert "This print edition leaves out the last 3,699 rows of this table." in text
    link = "The whole table is in the online edition: http://testserver/articles/table/"
    assert link.replace(" ", "") in text.replace(" ", "")  # the address may wrap
    assert elapsed < editions.PRINT_SOFT_SECONDS / 2


def test_columns_past_twelve_and_wide_spans_are_cut_with_a_note():
    html = pdf._print_body(
        '<table><tr><th colspan="1000">Wide</th></tr>'
        "<tr>" + "".join(f"<td>c{n}</td>" for n in range(20)) + "</tr></table><p>After.</p>",
        URL,
    )
    assert '<th colspan="12">Wide</th>' in html
    assert "<td>c11</td>" in html and "c12" not in html
    assert "leaves out the columns after the first 12 of this table." in html
    assert f'<a href="{URL}">{URL}</a>' in html and "<p>After.</p>" in html


def test_the_cell_budget_is_shared_by_all_tables_and_a_table_past_it_is_left_out():
    tables = "".join(
        "<table>" + "<tr><td>a</td><td>b</td></tr>" * 600 + "</table>" for _ in range(3)
    )
    html = pdf._print_body(tables, URL)
    assert html.count("<tr>") == 1_000  # 2,000 cells of two
    assert "leaves out the last 200 rows of this table." in html
    assert "leaves out a table of 600 rows here." in html
    assert html.count("<table>") == 2


def test_tables_within_the_budget_print_without_a_note():
    html = pdf._print_body("<table></table><table><tr><td>a</td></tr></table>", URL)
    assert "leaves out" not in html and html.count("<table>") == 2


def test_a_body_without_tables_prints_as_it_is():
    body = '<p>Text.</p><section class="footnotes"><ol><li>Note.</li></ol></section>'
    assert pdf._print_body(body, URL) == body.replace(
        '<section class="footnotes">', '<section class="footnotes"><h2>Notes</h2>'
    )


def test_the_printing_task_has_a_soft_and_a_hard_time_limit():
    assert make_pdf_edition.soft_time_limit == editions.PRINT_SOFT_SECONDS
    assert (
        make_pdf_edition.time_limit
        == editions.PRINT_HARD_SECONDS
        > make_pdf_edition.soft_time_limit
    )


def _stopped_by_the_time_limit(*args, **kwargs):
    raise SoftTimeLimitExceeded()


def test_a_print_stopped_by_its_time_limit_is_shown_until_a_later_print_succeeds(
    editor_client, pdf_printing, monkeypatch
):
    article = ArticleFactory(title="Drones over the Aras")
    editions.pdf_edition_make(article_id=article.pk)  # an edition readers already have
    first = PdfEdition.objects.get(article=article)

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "render_pdf", _stopped_by_the_time_limit)
        make_pdf_edition(article.pk)

    change = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "PDF edition could not be made: Printing took longer than 60 seconds" in change
    assert "Readers still get the edition of" in change
    listing = editor_client.get("/admin/articles/article/").text
    assert "· <strong>PDF edition could not be made</strong>" in listing
    assert PdfEdition.objects.get(article=article).etag == first.etag  # kept

    editions.pdf_edition_make(article_id=article.pk)
    assert not PdfPrint.objects.exists()
    change = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "could not be made" not in change
    assert f"/articles/{article.slug}/{article.slug}.pdf" in change
    assert "could not be made" not in editor_client.get("/admin/articles/article/").text


def test_a_first_print_that_fails_says_readers_have_no_pdf(
    editor_client, pdf_printing, monkeypatch
):
    article = ArticleFactory()
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: 1 / 0)
    editions.pdf_edition_make(article_id=article.pk)
    change = editor_client.get(f"/admin/articles/article/{article.pk}/change/").text
    assert "The printer stopped with an error (ZeroDivisionError)" in change
    assert "Readers get no PDF until a print succeeds." in change
    assert editor_client.get(f"/articles/{article.slug}/{article.slug}.pdf").status_code == 404


def test_a_print_that_never_reported_back_shows_as_failed_once_past_the_hard_limit(
    editor_client, pdf_printing
):
    article = ArticleFactory()
    url = f"/admin/articles/article/{article.pk}/change/"
    PdfPrint.objects.create(article=article, started_at=timezone.now())
    assert "Being printed" in editor_client.get(url).text
    PdfPrint.objects.update(started_at=timezone.now() - datetime.timedelta(minutes=3))
    assert "Printing did not finish: it was stopped after 90 seconds" in editor_client.get(url).text


def test_the_editors_can_print_an_edition_again_from_the_list(
    editor_client, pdf_printing, django_capture_on_commit_callbacks
):
    article = ArticleFactory()
    PdfPrint.objects.create(
        article=article, started_at=timezone.now(), failed_at=timezone.now(), reason="Stopped."
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/articles/article/",
            {"action": "print_pdf_again", "_selected_action": [article.pk]},
            follow=True,
        )
    assert "1 PDF edition will be printed again" in response.text
    assert PdfEdition.objects.filter(article=article).exists()
    assert not PdfPrint.objects.exists()
