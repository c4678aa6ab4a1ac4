"""The citation formats of one article: exact APA and Chicago strings, BibTeX and RIS that
reference managers read back to the same title, authors and year as the CSL-JSON."""

import datetime

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts

from articles import citations
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)


def _article(names: list[str], **kwargs) -> Article:
    article = ArticleFactory(
        title=kwargs.pop("title", "Drones over the Lachin corridor"),
        slug=kwargs.pop("slug", "drones-lachin"),
        publish_at=WHEN,
        first_published_at=WHEN,
        authors=[AuthorFactory(name=name) for name in names],
        **kwargs,
    )
    return Article.objects.for_citation().get(pk=article.pk)


def _republished() -> Article:
    return _article(
        ["Irina Volkova"],
        kind=Article.Kind.REPUBLISHED,
        rights=Article.Rights.REPUBLISHED,
        source_outlet="The Caspian Monitor",
        source_url="https://caspian-monitor.example/drones",
        source_published_on=datetime.date(2024, 12, 1),
    )


URL = "http://testserver/articles/drones-lachin/"


def test_one_author_analysis_in_apa_and_chicago():
    article = _article(["Nino Beridze"])
    assert citations.formatted(article, "apa").text == (
        "Beridze, N. (2025, March 4). Drones over the Lachin corridor [Analysis]. "
        f"Caucasus Center for Strategic and International Studies. {URL}"
    )
    assert citations.formatted(article, "chicago").text == (
        "Beridze, Nino. 2025. “Drones over the Lachin Corridor”. Analysis. "
        f"Caucasus Center for Strategic and International Studies, March 4. {URL}."
    )


def test_two_author_report_with_particle_and_azerbaijani_letters():
    article = _article(
        ["Anna van der Berg", "Rəşad Əliyev"], kind=Article.Kind.REPORT, report_number="CC-2025-007"
    )
    assert citations.formatted(article, "apa").text == (
        "van der Berg, A., & Əliyev, R. (2025). Drones over the Lachin corridor "
        f"(Report CC-2025-007). Caucasus Center for Strategic and International Studies. {URL}"
    )
    assert citations.formatted(article, "chicago").text == (
        "Berg, Anna van der, and Rəşad Əliyev. 2025. Drones over the Lachin Corridor. "
        f"Report CC-2025-007. Caucasus Center for Strategic and International Studies. {URL}."
    )


def test_three_author_simulation_with_spanish_particle_and_polish_letters():
    article = _article(
        ["María de la Cruz", "Łukasz Żuławski", "Armen Petrosyan"], kind=Article.Kind.SIMULATION
    )
    assert citations.formatted(article, "apa").text == (
        "de la Cruz, M., Żuławski, Ł., & Petrosyan, A. (2025, March 4). Drones over the "
        f"Lachin corridor [Simulation]. Caucasus Center for Strategic and International "
        f"Studies. {URL}"
    )
    assert citations.formatted(article, "chicago").text == (
        "Cruz, María de la, Łukasz Żuławski, and Armen Petrosyan. 2025. “Drones over the "
        "Lachin Corridor”. Simulation. Caucasus Center for Strategic and International "
        f"Studies, March 4. {URL}."
    )


def test_republished_piece_is_credited_to_the_original_outlet_at_its_date():
    article = _republished()
    assert citations.formatted(article, "apa").text == (
        "Volkova, I. (2024, December 1). Drones over the Lachin corridor. "
        "The Caspian Monitor. https://caspian-monitor.example/drones"
    )
    assert citations.formatted(article, "chicago").text == (
        "Volkova, Irina. 2024. “Drones over the Lachin Corridor”. The Caspian Monitor, "
        "December 1. https://caspian-monitor.example/drones."
    )


def test_doi_replaces_the_url_in_the_references():
    article = _article(["Nino Beridze"], doi="10.5555/cc.2025.007")
    assert citations.formatted(article, "apa").text.endswith(" https://doi.org/10.5555/cc.2025.007")
    assert "doi = {10.5555/cc.2025.007}" in citations.bibtex(article)
    assert "DO  - 10.5555/cc.2025.007" in citations.ris(article)
    assert citations.csl_item(article)["DOI"] == "10.5555/cc.2025.007"


def test_html_reference_escapes_the_title_and_italicises_it():
    article = _article(["Nino Beridze"], kind=Article.Kind.REPORT, title="Tanks <script> & drones")
    html = citations.formatted(article, "apa").html
    assert "<i>Tanks &lt;script&gt; &amp; drones</i>" in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("name", "given", "particle", "family"),
    [
        ("Nino Beridze", "Nino", "", "Beridze"),
        ("Anna van der Berg", "Anna", "van der", "Berg"),
        ("María José de la Cruz", "María José", "de la", "Cruz"),
        ("Rəşad Əliyev", "Rəşad", "", "Əliyev"),
        ("Hovhannes", "", "", "Hovhannes"),
    ],
)
def test_names_split_into_given_particle_and_family(name, given, particle, family):
    assert citations.split_name(name) == citations.PersonName(given, particle, family)


def _parse_bibtex(text: str):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    )
    assert not library.failed_blocks
    (entry,) = library.entries
    return entry


def _csl_authors(item: dict) -> list[tuple[str, str]]:
    return [
        (f"{a.get('non-dropping-particle', '')} {a['family']}".strip(), a["given"])
        for a in item["author"]
    ]


@pytest.mark.parametrize("kind", ["report", "republished", "simulation"])
def test_bibtex_parses_back_to_the_csl_title_authors_and_year(kind):
    if kind == "republished":
        article = _republished()
    else:
        article = _article(
            ["Anna van der Berg", "Rəşad Əliyev", "Łukasz Żuławski"],
            kind=kind,
            title="Tariffs & 50% cuts: the {Caspian} $route_2",
            report_number="CC-2025-009" if kind == "report" else None,
        )
    item = citations.csl_item(article)
    entry = _parse_bibtex(citations.bibtex(article))

    assert entry.entry_type == ("techreport" if kind == "report" else "online")
    assert entry["title"].strip("{}") == item["title"]
    authors = [(" ".join(p.von + p.last), " ".join(p.first)) for p in entry["author"]]
    assert authors == _csl_authors(item)
    assert int(entry["year"]) == item["issued"]["date-parts"][0][0]
    assert entry["url"] == item["URL"]
    if kind == "report":
        assert entry["number"] == "CC-2025-009"
        assert entry["institution"] == citations.CENTER


def test_bibtex_escapes_latex_specials_and_accents():
    article = _article(["María de la Cruz"], title="Tariffs & 50% cuts: #1 $route_2")
    text = citations.bibtex(article)
    assert r"Tariffs \& 50\% cuts: \#1 \$route\_2" in text
    assert r"Mar{\'\i}a" in text


@pytest.mark.parametrize("kind", ["report", "republished", "simulation"])
def test_ris_parses_back_to_the_csl_title_authors_and_year(kind):
    if kind == "republished":
        article = _republished()
    else:
        article = _article(["Anna van der Berg", "Rəşad Əliyev"], kind=kind)
    item = citations.csl_item(article)
    text = citations.ris(article)
    (record,) = rispy.loads(text)

    assert text.endswith("ER  - \r\n")
    assert record["type_of_reference"] == ("RPRT" if kind == "report" else "ELEC")
    assert record["title"] == item["title"]
    assert [tuple(a.split(", ")) for a in record["authors"]] == _csl_authors(item)
    assert int(record["year"]) == item["issued"]["date-parts"][0][0]
    assert record["urls"] == [item["URL"]]


@pytest.mark.parametrize("style", ["apa", "chicago"])
def test_a_reference_reads_the_same_and_is_formatted_once_whatever_the_day(style, monkeypatch):
    import time_machine
    from django.core.cache import cache

    cache.clear()
    article = _article(["Nino Beridze", "Tigran Sargsyan"], kind=Article.Kind.REPORT)
    formatting = []
    real_format = citations._format
    monkeypatch.setattr(
        citations, "_format", lambda item, name: formatting.append(name) or real_format(item, name)
    )
    read = []
    for day in (WHEN + datetime.timedelta(days=n) for n in (1, 2, 5)):
        with time_machine.travel(day):
            read.append(citations.formatted(article, style).text)
    assert read[0] == read[1] == read[2]
    assert formatting == [style]
