"""What Google Scholar, reference managers and readers get from a public article: Highwire
tags, the PDF edition, the citation files, content negotiation; and nothing of a draft."""

import datetime
import io
import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors, SplitNameParts
from lxml import html as lxml_html
from pypdf import PdfReader

from articles import editions
from articles.models import Article, PreviewLink
from tests.factories import ArticleFactory, AuthorFactory, TopicFactory

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 3, 4, 9, 0, tzinfo=datetime.UTC)
CENTER = "Caucasus Center for Strategic and International Studies"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _report() -> Article:
    return ArticleFactory(
        title="Drones over the Lachin corridor",
        slug="drones-lachin",
        kind=Article.Kind.REPORT,
        report_number="CC-2025-007",
        doi="10.5555/cc.2025.007",
        key_takeaways="Drones changed the balance.\nAir defence lags behind.",
        recommendations="Fund air defence.",
        publish_at=WHEN,
        first_published_at=WHEN,
        authors=[
            AuthorFactory(
                name="Anna van der Berg",
                title="Senior Fellow",
                affiliation="Caucasus Center",
                orcid="0000-0002-1825-0097",
            ),
            AuthorFactory(name="Rəşad Əliyev", title="Research Fellow", affiliation=""),
        ],
        topics=[TopicFactory(name="Drones"), TopicFactory(name="Energy security")],
    )


def _republished() -> Article:
    return ArticleFactory(
        title="Iran watches the Aras border",
        slug="iran-aras",
        kind=Article.Kind.REPUBLISHED,
        rights=Article.Rights.REPUBLISHED,
        source_outlet="The Caspian Monitor",
        source_url="https://caspian-monitor.example/aras",
        source_published_on=datetime.date(2024, 12, 1),
        publish_at=WHEN,
        first_published_at=WHEN,
        authors=[AuthorFactory(name="Irina Volkova", title="Columnist", affiliation="")],
    )


def _simulation() -> Article:
    return ArticleFactory(
        title="A week of escalation in Syunik",
        slug="syunik-week",
        kind=Article.Kind.SIMULATION,
        publish_at=WHEN,
        first_published_at=WHEN,
        authors=[AuthorFactory(name="María de la Cruz", title="Contributor", affiliation="")],
    )


PIECES = {"report": _report, "republished": _republished, "simulation": _simulation}


def _meta(response) -> list[tuple[str, str]]:
    tree = lxml_html.fromstring(response.content)
    return [
        (m.get("name"), m.get("content"))
        for m in tree.iter("meta")
        if (m.get("name") or "").startswith("citation_")
    ]


def _with_pdf(article: Article) -> Article:
    editions.pdf_edition_make(article_id=article.pk)
    return article


def test_report_carries_exactly_the_highwire_tags(client, pdf_printing):
    article = _with_pdf(_report())
    url = "http://testserver/articles/drones-lachin/"
    assert _meta(client.get(article.get_absolute_url())) == [
        ("citation_title", "Drones over the Lachin corridor"),
        ("citation_author", "Anna van der Berg"),
        ("citation_author_institution", "Caucasus Center"),
        ("citation_author_orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("citation_author", "Rəşad Əliyev"),
        ("citation_publication_date", "2025/03/04"),
        ("citation_online_date", "2025/03/04"),
        ("citation_pdf_url", url + "drones-lachin.pdf"),
        ("citation_abstract_html_url", url),
        ("citation_language", "en"),
        ("citation_keywords", "Drones; Energy security"),
        ("citation_doi", "10.5555/cc.2025.007"),
        ("citation_technical_report_institution", CENTER),
        ("citation_technical_report_number", "CC-2025-007"),
    ]


def test_republished_piece_carries_the_original_date_in_its_highwire_tags(client, pdf_printing):
    article = _with_pdf(_republished())
    url = "http://testserver/articles/iran-aras/"
    assert _meta(client.get(article.get_absolute_url())) == [
        ("citation_title", "Iran watches the Aras border"),
        ("citation_author", "Irina Volkova"),
        ("citation_publication_date", "2024/12/01"),
        ("citation_online_date", "2025/03/04"),
        ("citation_pdf_url", url + "iran-aras.pdf"),
        ("citation_abstract_html_url", url),
        ("citation_language", "en"),
    ]


def test_simulation_carries_exactly_the_highwire_tags(client, pdf_printing):
    article = _with_pdf(_simulation())
    url = "http://testserver/articles/syunik-week/"
    assert _meta(client.get(article.get_absolute_url())) == [
        ("citation_title", "A week of escalation in Syunik"),
        ("citation_author", "María de la Cruz"),
        ("citation_publication_date", "2025/03/04"),
        ("citation_online_date", "2025/03/04"),
        ("citation_pdf_url", url + "syunik-week.pdf"),
        ("citation_abstract_html_url", url),
        ("citation_language", "en"),
    ]


def test_pdf_link_is_absent_until_the_first_edition_is_made(client):
    article = _simulation()
    response = client.get(article.get_absolute_url())
    assert "citation_pdf_url" not in dict(_meta(response))
    assert ".pdf" not in response.text
    assert client.get("/articles/syunik-week/syunik-week.pdf").status_code == 404


@pytest.mark.parametrize("piece", PIECES)
def test_pdf_edition_answers_with_title_and_authors_on_its_first_page(client, piece, pdf_printing):
    article = _with_pdf(PIECES[piece]())
    pdf_url = dict(_meta(client.get(article.get_absolute_url())))["citation_pdf_url"]
    response = client.get(pdf_url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert article.title in first_page
    for author in article.ordered_authors():
        assert author.name in first_page
    assert "Suggested citation" in first_page
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF


def test_pdf_is_served_with_an_etag_and_answers_304_when_unchanged(client, pdf_printing):
    article = _with_pdf(_simulation())
    url = f"/articles/{article.slug}/{article.slug}.pdf"
    first = client.get(url)
    assert first["ETag"] and "max-age" in first["Cache-Control"]
    again = client.get(url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def _bib(text: str):
    middleware = [LatexDecodingMiddleware(), SeparateCoAuthors(), SplitNameParts()]
    (entry,) = bibtexparser.parse_string(text, append_middleware=middleware).entries
    return entry


@pytest.mark.parametrize("piece", PIECES)
def test_bibtex_ris_and_csl_json_agree_on_title_authors_and_year(client, piece):
    article = PIECES[piece]()
    base = article.get_absolute_url()
    csl = json.loads(client.get(base + "cite.json").content)
    bib = _bib(client.get(base + "cite.bib").content.decode())
    (ris,) = rispy.loads(client.get(base + "cite.ris").content.decode())

    csl_authors = [
        (f"{a.get('non-dropping-particle', '')} {a['family']}".strip(), a["given"])
        for a in csl["author"]
    ]
    year = csl["issued"]["date-parts"][0][0]
    assert bib["title"].strip("{}") == ris["title"] == csl["title"] == article.title
    assert [(" ".join(p.von + p.last), " ".join(p.first)) for p in bib["author"]] == csl_authors
    assert [tuple(a.split(", ")) for a in ris["authors"]] == csl_authors
    assert int(bib["year"]) == int(ris["year"]) == year
    assert bib.entry_type == ("techreport" if piece == "report" else "online")
    assert ris["type_of_reference"] == ("RPRT" if piece == "report" else "ELEC")


@pytest.mark.parametrize(
    ("media_type", "marker"),
    [
        ("application/vnd.citationstyles.csl+json", '"title": "Drones over the Lachin corridor"'),
        ("application/x-bibtex", "@techreport{"),
        ("application/x-research-info-systems", "TY  - RPRT"),
    ],
)
def test_article_url_answers_citation_media_types(client, media_type, marker):
    article = _report()
    response = client.get(article.get_absolute_url(), headers={"accept": media_type})
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    assert marker in response.content.decode()
    assert "Accept" in response["Vary"]


def test_browsers_still_get_the_html_page_with_vary_accept(client):
    article = _report()
    plain = client.get(article.get_absolute_url())
    browser = client.get(article.get_absolute_url(), headers={"accept": BROWSER_ACCEPT})
    for response in (plain, browser):
        assert response["Content-Type"].startswith("text/html")
        assert "Accept" in response["Vary"]
    assert browser.content == plain.content
    assert "<h1>Drones over the Lachin corridor</h1>" in browser.text


def test_page_cache_never_hands_a_citation_to_a_browser(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    article = _report()
    client.get(article.get_absolute_url(), headers={"accept": "application/x-bibtex"})
    page = client.get(article.get_absolute_url(), headers={"accept": BROWSER_ACCEPT})
    assert page["Content-Type"].startswith("text/html")
    bib = client.get(article.get_absolute_url(), headers={"accept": "application/x-bibtex"})
    assert bib["Content-Type"].startswith("application/x-bibtex")
    # A reference manager that adds "anything else" still gets its format, not the kept page.
    fallback = "application/x-bibtex, */*;q=0.1"
    bib = client.get(article.get_absolute_url(), headers={"accept": fallback})
    assert bib["Content-Type"].startswith("application/x-bibtex")


def test_page_has_the_cite_block_and_the_report_box(client):
    article = _report()
    page = client.get(article.get_absolute_url()).text
    assert "Cite this" in page
    assert "van der Berg, A., &amp; Əliyev, R. (2025)." in page
    assert "Berg, Anna van der, and Rəşad Əliyev. 2025." in page
    for extension in ("bib", "ris", "json"):
        assert f'href="/articles/drones-lachin/cite.{extension}" download' in page
    assert "https://doi.org/10.5555/cc.2025.007" in page
    assert "Report CC-2025-007" in page
    assert "Drones changed the balance." in page and "Fund air defence." in page


def test_report_json_ld_has_report_number_orcid_ids_and_corrections(client):
    article = _report()
    article.corrections.create(note="The second table had a wrong year.")
    tree = lxml_html.fromstring(client.get(article.get_absolute_url()).content)
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "Report"
    assert data["reportNumber"] == "CC-2025-007"
    assert data["author"][0]["@id"] == "https://orcid.org/0000-0002-1825-0097"
    assert "@id" not in data["author"][1]
    assert data["correction"][0]["text"] == "The second table had a wrong year."
    lists = {part["name"]: part for part in data["hasPart"]}
    assert lists["Key takeaways"]["itemListElement"][1]["name"] == "Air defence lags behind."


def test_other_kinds_stay_news_articles_in_json_ld(client):
    article = _simulation()
    tree = lxml_html.fromstring(client.get(article.get_absolute_url()).content)
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    assert json.loads(script.text)["@type"] == "NewsArticle"


def test_api_detail_offers_the_csl_json(client):
    article = _report()
    csl = client.get(f"/api/v1/articles/{article.slug}/?format=csl")
    assert csl.status_code == 200
    assert csl["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    assert csl.json()["number"] == "CC-2025-007"
    detail = client.get(f"/api/v1/articles/{article.slug}/?include=citation").json()
    assert detail["citation"] == csl.json()
    assert detail["report"]["key_takeaways"] == [
        "Drones changed the balance.",
        "Air defence lags behind.",
    ]
    assert client.get(f"/api/v1/articles/{article.slug}/").json()["citation"] is None


@pytest.mark.parametrize("state", ["draft", "future", "archived"])
def test_nothing_of_a_non_public_article_is_reachable(client, state, tmp_path, settings):
    settings.PDF_EDITIONS = True
    traits = {"draft": {"draft": True}, "future": {"future": True}}.get(state, {})
    article = ArticleFactory(
        slug="hidden", title="Unreleased Zangezur memo", kind=Article.Kind.REPORT, **traits
    )
    if state == "archived":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.ARCHIVED)
    editions.pdf_edition_make(article_id=article.pk)  # as a stray task would

    urls = [f"/articles/hidden/cite.{ext}" for ext in ("bib", "ris", "json")]
    urls += ["/articles/hidden/hidden.pdf", "/api/v1/articles/hidden/?format=csl"]
    for url in urls:
        assert client.get(url).status_code == 404, url
    for accept in ("application/x-bibtex", "application/vnd.citationstyles.csl+json"):
        response = client.get("/articles/hidden/", headers={"accept": accept})
        assert response.status_code in (404, 410)
        assert "Zangezur" not in response.content.decode()
    assert not list(tmp_path.rglob("*.pdf"))


def test_a_draft_preview_has_no_citation_tags_and_no_cite_block(client):
    article = ArticleFactory(draft=True, slug="hidden", kind=Article.Kind.REPORT)
    link = PreviewLink.objects.create(article=article)
    page = client.get(link.get_absolute_url())
    assert page.status_code == 200
    assert _meta(page) == []
    assert "Cite this" not in page.text and "cite.bib" not in page.text


@pytest.mark.parametrize("rights", ["republished", "excerpt"])
def test_a_source_address_that_is_not_a_web_page_is_never_written_into_the_page(client, rights):
    """Forms refuse `javascript:` as a source; a row that got past them (old data, a shell)
    still never puts it into a link, the canonical address, the JSON-LD or a citation."""
    article = ArticleFactory(rights=rights, source_outlet="Old Outlet")
    Article.objects.filter(pk=article.pk).update(source_url="javascript:alert(document.domain)")
    url = article.get_absolute_url()
    page = client.get(url).text
    assert "Old Outlet" in page
    assert "javascript:" not in page
    tree = lxml_html.fromstring(page)
    assert tree.xpath("//link[@rel='canonical']/@href") == ["http://testserver" + url]
    for suffix in ("cite.json", "cite.bib", "cite.ris"):
        assert "javascript:" not in client.get(url + suffix).text
