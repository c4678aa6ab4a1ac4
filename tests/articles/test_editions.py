"""Report numbers, PDF editions made after publication, edits and corrections; ORCID and
DOI checks."""

import datetime
import io
import logging

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from articles import editions, pdf, services
from articles.models import Article, Author, PdfEdition, ReportNumber
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import form_as_shown

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _first_page(article: Article) -> str:
    edition = PdfEdition.objects.get(article=article)
    with edition.file.open("rb") as handle:
        return " ".join(PdfReader(io.BytesIO(handle.read())).pages[0].extract_text().split())


def _draft_report(**kwargs) -> Article:
    return ArticleFactory(draft=True, kind=Article.Kind.REPORT, **kwargs)


def test_reports_are_numbered_in_publication_order(editor, django_capture_on_commit_callbacks):
    first, second = _draft_report(), _draft_report()
    analysis = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_publish(article=second, by=editor)
        services.article_publish(article=first, by=editor)
        services.article_publish(article=analysis, by=editor)
    year = second.publish_at.year
    assert second.report_number == f"CC-{year}-001"
    assert first.report_number == f"CC-{year}-002"
    assert analysis.report_number is None


def test_a_report_number_is_never_given_twice_even_after_a_deletion(editor):
    gone = _draft_report()
    services.article_publish(article=gone, by=editor)
    gone_number = gone.report_number
    gone.delete()
    later = _draft_report()
    services.article_publish(article=later, by=editor)
    assert later.report_number != gone_number
    assert ReportNumber.objects.filter(number=gone_number, article=None).exists()


def test_a_number_chosen_before_publishing_is_kept_and_skipped_by_the_counter(editor):
    chosen = _draft_report(report_number=f"CC-{datetime.date.today().year}-001")
    other = _draft_report()
    services.article_publish(article=other, by=editor)
    services.article_publish(article=chosen, by=editor)
    assert chosen.report_number.endswith("-001")
    assert other.report_number.endswith("-002")


def test_the_number_cannot_change_once_the_report_is_published(editor):
    report = _draft_report()
    services.article_publish(article=report, by=editor)
    report.report_number = "CC-2020-999"
    with pytest.raises(ValidationError, match="cannot change"):
        report.full_clean()


def test_a_number_given_to_another_report_is_refused():
    ReportNumber.objects.create(number="CC-2024-005", year=2024, sequence=5)
    report = _draft_report()
    report.report_number = "CC-2024-005"
    with pytest.raises(ValidationError, match="another report"):
        report.full_clean()


def test_publishing_makes_the_pdf_edition_after_commit(
    editor, django_capture_on_commit_callbacks, pdf_printing
):
    article = ArticleFactory(draft=True, title="Ceasefire lines after 2020")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.article_publish(article=article, by=editor)
    assert not PdfEdition.objects.exists()  # not in the request's transaction
    for callback in callbacks:
        callback()
    assert "Ceasefire lines after 2020" in _first_page(article)


def test_a_correction_makes_a_corrected_edition(
    editor, django_capture_on_commit_callbacks, pdf_printing
):
    article = ArticleFactory(title="Peacekeepers leave Karabakh")
    editions.pdf_edition_make(article_id=article.pk)
    first = PdfEdition.objects.get(article=article)
    assert "Corrected edition" not in _first_page(article)

    with django_capture_on_commit_callbacks(execute=True):
        services.correction_add(article=article, note="The date of the withdrawal.", by=editor)

    second = PdfEdition.objects.get(article=article)
    assert second.etag != first.etag
    assert "Corrected edition" in _first_page(article)
    assert not first.file.storage.exists(first.file.name)  # the old edition is gone


def test_an_edit_of_a_public_article_makes_a_new_edition(
    django_capture_on_commit_callbacks, pdf_printing
):
    article = ArticleFactory(title="Old title")
    editions.pdf_edition_make(article_id=article.pk)
    article.title = "New title on the Zangezur route"
    article.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.announce_updated(article=article)
    assert "New title on the Zangezur route" in _first_page(article)


def test_unpublishing_removes_the_pdf_edition(
    editor, django_capture_on_commit_callbacks, pdf_printing
):
    article = ArticleFactory()
    editions.pdf_edition_make(article_id=article.pk)
    name = PdfEdition.objects.get(article=article).file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.article_unpublish(article=article, by=editor)
    assert not PdfEdition.objects.exists()
    assert not default_storage.exists(name)


def test_missing_weasyprint_libraries_are_logged_not_raised(monkeypatch, caplog, settings):
    settings.PDF_EDITIONS = True

    def unavailable():
        raise pdf.PdfUnavailable("WeasyPrint cannot run here: install its system libraries")

    monkeypatch.setattr(pdf, "_weasyprint", unavailable)
    article = ArticleFactory()
    with caplog.at_level(logging.ERROR, logger="articles.editions"):
        assert editions.pdf_edition_make(article_id=article.pk) is None
    assert f"PDF edition of article {article.pk} not made" in caplog.text
    assert not PdfEdition.objects.exists()


def test_pdf_has_footnotes_under_notes_tables_and_every_script(pdf_printing):
    body = (
        "## Context\n\nArmenia (Հայաստան), Georgia (საქართველო), Russia (Россия)[^1].\n\n"
        "| Year | Drones |\n|---|---|\n| 2020 | 12 |\n\n[^1]: A footnote about the ceasefire.\n"
    )
    article = ArticleFactory(body=body, rights=Article.Rights.EXCLUSIVE)
    text = _printed_words(article)
    for expected in ("Հայաստան", "საქართველო", "Россия", "Notes", "A footnote about the ceasefire"):
        assert expected in text
    assert "requires credit to the Caucasus Center" in text
    assert "1 / 1" in text  # page numbers


def _printed_words(article: Article) -> str:
    reader = PdfReader(io.BytesIO(pdf.render_pdf(article)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_prints_the_pages_own_notices_with_the_addresses_paper_needs(client, pdf_printing):
    republished = ArticleFactory(
        rights=Article.Rights.REPUBLISHED,
        original_author="Jo Doe",
        source_outlet="The Caspian Monitor",
        source_url="https://caspian-monitor.example/aras",
        source_published_on=datetime.date(2024, 12, 1),
    )
    exclusive = ArticleFactory(rights=Article.Rights.EXCLUSIVE)
    notice = "This piece by Jo Doe first appeared in"
    assert notice in client.get(republished.get_absolute_url()).text
    printed = _printed_words(republished).replace(" ", "")  # an address may wrap
    assert (
        f"{notice} The Caspian Monitor (https://caspian-monitor.example/aras) on 1 December 2024"
        " and is republished here with permission."
    ).replace(" ", "") in printed
    credit = "This analysis was written for the Caucasus Center."
    assert credit in client.get(exclusive.get_absolute_url()).text
    printed = _printed_words(exclusive)
    assert credit in printed
    # "a link to this page" on the page; paper has no "this page"
    assert "and a link to the online edition." in printed


def test_pdf_shows_a_simulations_moves_and_its_authors_as_the_page_does(client, pdf_printing):
    author = AuthorFactory(
        name="Anna Berg",
        title="Senior Fellow",
        affiliation="Caucasus Center",
        orcid="0000-0002-1825-0097",
    )
    article = ArticleFactory(kind=Article.Kind.SIMULATION, authors=[author])
    article.moves.create(
        phase="Day 1",
        actor="Azerbaijan",
        action="Closes the road.",
        expected_response="A protest note.",
    )
    page = client.get(article.get_absolute_url()).text
    assert "<span>Expected response:</span> A protest note." in page
    assert "Senior Fellow — Caucasus Center" in page
    printed = _printed_words(article)
    assert "Azerbaijan Closes the road. Expected response: A protest note." in printed
    assert "By Anna Berg, Senior Fellow" in printed
    assert "Anna Berg, Senior Fellow — Caucasus Center" in printed
    assert "ORCID https://orcid.org/0000-0002-1825-0097" in printed  # the page links it instead


@pytest.mark.parametrize(
    ("orcid", "valid"),
    [
        ("0000-0002-1825-0097", True),
        ("0000-0001-5109-3700", True),
        ("0000-0002-1694-233X", True),
        ("0000-0002-1825-0098", False),  # wrong check digit
        ("0000-0002-1825-009", False),
        ("orcid 0000", False),
    ],
)
def test_orcid_ids_are_checked_with_iso_7064(orcid, valid):
    author = AuthorFactory.build(orcid=orcid)
    if valid:
        author.full_clean()
    else:
        with pytest.raises(ValidationError):
            author.full_clean()


def test_an_orcid_url_is_stored_as_the_bare_id_and_linked_on_the_author_page(client):
    author = AuthorFactory(slug="anna")
    ArticleFactory(authors=[author])  # an author has a page once something of theirs is public
    author.orcid = "https://orcid.org/0000-0002-1825-0097"
    author.full_clean()
    author.save()
    assert Author.objects.get(pk=author.pk).orcid == "0000-0002-1825-0097"
    page = client.get("/authors/anna/").text
    assert 'href="https://orcid.org/0000-0002-1825-0097"' in page


@pytest.mark.parametrize(
    ("doi", "valid"),
    [("10.5555/cc.2025.007", True), ("https://doi.org/10.1000/xyz", True), ("11.5555/x", False)],
)
def test_dois_are_checked(doi, valid):
    article = ArticleFactory.build(doi=doi)
    if valid:
        article.full_clean(exclude=["slug"])
        assert article.doi.startswith("10.")
    else:
        with pytest.raises(ValidationError):
            article.full_clean(exclude=["slug"])


def test_a_scheduled_report_is_numbered_when_it_is_published_not_when_scheduled(editor):
    scheduled = _draft_report()
    later = timezone.now() + datetime.timedelta(hours=1)
    services.article_schedule(article=scheduled, by=editor, publish_at=later)
    assert scheduled.report_number is None
    published_first = _draft_report()
    services.article_publish(article=published_first, by=editor)
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        services.publish_due()
    scheduled.refresh_from_db()
    assert published_first.report_number.endswith("-001")
    assert scheduled.report_number.endswith("-002")


def test_a_correction_added_in_the_admin_makes_a_corrected_edition(
    editor_client, django_capture_on_commit_callbacks, pdf_printing
):
    article = ArticleFactory(title="The Zangezur route")
    editions.pdf_edition_make(article_id=article.pk)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = form_as_shown(editor_client.get(url).text, "article_form")
    data["corrections-TOTAL_FORMS"] = ["1"]
    data["corrections-0-note"] = ["The length of the route was wrong."]
    data["corrections-0-created_at_0"] = ["2026-01-05"]
    data["corrections-0-created_at_1"] = ["10:00:00"]
    data["initial-corrections-0-created_at_0"] = ["2026-01-05"]
    data["initial-corrections-0-created_at_1"] = ["10:00:00"]
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert "Corrected edition, 5 January 2026" in _first_page(article)
