"""`manage.py crossref_xml`: a Crossref 5.4.0 deposit file, and no network call unless
Crossref is configured."""

import datetime

import pytest
import urllib3
from django.core.management import CommandError, call_command
from lxml import etree

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

NS = "http://www.crossref.org/schema/5.4.0"
WHEN = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network call was made")

    monkeypatch.setattr(urllib3, "request", refuse)


def _names(element) -> list[str]:
    return [etree.QName(child).localname for child in element]


def _report() -> Article:
    article = ArticleFactory(
        slug="aras-report",
        title="Iran and the Aras border",
        kind=Article.Kind.REPORT,
        report_number="CC-2025-003",
        doi="10.5555/cc.2025.003",
        publish_at=WHEN,
        first_published_at=WHEN,
        authors=[
            AuthorFactory(
                name="Anna van der Berg", affiliation="Caucasus Center", orcid="0000-0002-1825-0097"
            ),
            AuthorFactory(name="Rəşad Əliyev", affiliation=""),
        ],
    )
    article.corrections.create(note="A wrong date.", created_at=WHEN + datetime.timedelta(days=2))
    article.corrections.create(note="A wrong name.", created_at=WHEN + datetime.timedelta(days=5))
    return article


def _xml(tmp_path, *slugs) -> etree._Element:
    out = tmp_path / "deposit.xml"
    call_command("crossref_xml", *slugs, output=str(out))
    return etree.fromstring(out.read_bytes())


def test_report_is_a_report_paper_with_the_elements_the_schema_requires(tmp_path):
    _report()
    root = _xml(tmp_path, "aras-report")
    ns = {"c": NS}

    assert etree.QName(root).namespace == NS and root.get("version") == "5.4.0"
    assert _names(root) == ["head", "body"]
    assert _names(root.find("c:head", ns)) == [
        "doi_batch_id", "timestamp", "depositor", "registrant",
    ]  # fmt: skip
    (metadata,) = root.findall("c:body/c:report-paper/c:report-paper_metadata", ns)
    assert _names(metadata) == [
        "contributors", "titles", "abstract", "publication_date", "publisher", "institution",
        "publisher_item", "crossmark", "doi_data",
    ]  # fmt: skip
    first, second = metadata.findall("c:contributors/c:person_name", ns)
    assert (first.get("sequence"), second.get("sequence")) == ("first", "additional")
    assert _names(first) == ["given_name", "surname", "affiliations", "ORCID"]
    assert first.findtext("c:surname", namespaces=ns) == "van der Berg"
    assert first.findtext("c:ORCID", namespaces=ns) == "https://orcid.org/0000-0002-1825-0097"
    assert second.findtext("c:given_name", namespaces=ns) == "Rəşad"
    assert metadata.findtext("c:titles/c:title", namespaces=ns) == "Iran and the Aras border"
    date = metadata.find("c:publication_date", ns)
    assert _names(date) == ["month", "day", "year"]
    assert [e.text for e in date] == ["03", "04", "2025"]
    assert metadata.findtext("c:institution/c:institution_name", namespaces=ns).startswith(
        "Caucasus Center"
    )
    assert metadata.findtext("c:publisher_item/c:item_number", namespaces=ns) == "CC-2025-003"
    updates = metadata.findall("c:crossmark/c:updates/c:update", ns)
    assert [(u.get("type"), u.get("date"), u.text) for u in updates] == [
        ("correction", "2025-03-06", "10.5555/cc.2025.003"),
        ("correction", "2025-03-09", "10.5555/cc.2025.003"),
    ]
    assert metadata.findtext("c:doi_data/c:doi", namespaces=ns) == "10.5555/cc.2025.003"
    assert metadata.findtext("c:doi_data/c:resource", namespaces=ns) == (
        "http://testserver/articles/aras-report/"
    )


def test_other_kinds_are_posted_content(tmp_path):
    ArticleFactory(slug="drones-note", doi="10.5555/cc.note.1", kind=Article.Kind.ANALYSIS)
    root = _xml(tmp_path, "drones-note")
    (posted,) = root.findall(f"{{{NS}}}body/{{{NS}}}posted_content")
    assert posted.get("type") == "other"
    assert _names(posted)[:3] == ["contributors", "titles", "posted_date"]
    assert _names(posted)[-1] == "doi_data"


def test_an_article_without_a_doi_or_not_published_is_refused(tmp_path):
    ArticleFactory(slug="no-doi")
    ArticleFactory(slug="draft-doi", doi="10.5555/x", draft=True)
    with pytest.raises(CommandError, match="has no DOI"):
        _xml(tmp_path, "no-doi")
    with pytest.raises(CommandError, match="Not published"):
        _xml(tmp_path, "draft-doi")


def test_deposit_is_refused_without_configuration(tmp_path, settings):
    settings.CROSSREF_DEPOSIT_URL = ""
    _report()
    with pytest.raises(CommandError, match="Not sent"):
        call_command("crossref_xml", "aras-report", output=str(tmp_path / "x.xml"), deposit=True)
    assert (tmp_path / "x.xml").exists()


def test_a_control_character_saved_before_the_rule_is_left_out_of_the_file(tmp_path):
    # Written with the ORM, as old rows and scripts did, past the admin's refusal.
    ArticleFactory(
        slug="escaped",
        title="Iran and the\x0c Aras border\x1b",
        dek="First line.\nA page\x0c break and a bell\x07.",
        doi="10.5555/cc.esc.1",
        authors=[AuthorFactory(name="Anna\x1b van der Berg", affiliation="Caucasus\x0c Center")],
    )
    root = _xml(tmp_path, "escaped")
    ns = {"c": NS, "j": "http://www.ncbi.nlm.nih.gov/JATS1"}
    posted = root.find("c:body/c:posted_content", ns)
    assert posted.findtext("c:titles/c:title", namespaces=ns) == "Iran and the Aras border"
    assert posted.findtext("j:abstract/j:p", namespaces=ns) == (
        "First line.\nA page break and a bell."
    )
    person = posted.find("c:contributors/c:person_name", ns)
    assert person.findtext("c:surname", namespaces=ns) == "van der Berg"
    assert person.findtext("c:given_name", namespaces=ns) == "Anna"
    institution = "c:affiliations/c:institution/c:institution_name"
    assert person.findtext(institution, namespaces=ns) == "Caucasus Center"
