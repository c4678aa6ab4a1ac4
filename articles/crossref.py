"""Crossref deposit files (schema 5.4.0) for articles with a DOI.

Reports are `report-paper`; the other kinds are `posted_content` of type "other". Every
public correction is a Crossmark update of type "correction". Depositing over the network
happens only when CROSSREF_DEPOSIT_URL and the credentials are configured.
"""

import uuid
from urllib.parse import urlparse

import urllib3
from django.conf import settings
from django.utils import timezone
from lxml import etree

from base.control_characters import strip_for_xml

from . import citations
from .models import Article

SCHEMA_VERSION = "5.4.0"
NS = f"http://www.crossref.org/schema/{SCHEMA_VERSION}"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} https://www.crossref.org/schemas/crossref{SCHEMA_VERSION}.xsd"


class CrossrefError(ValueError):
    """An article that cannot be deposited, with the reason."""


def _el(parent, tag: str, text: str | None = None, ns: str = NS, **attributes):
    # A row saved before control characters were refused may still hold one; XML cannot.
    element = etree.SubElement(
        parent, f"{{{ns}}}{tag}", {k: strip_for_xml(str(v)) for k, v in attributes.items()}
    )
    if text is not None:
        element.text = strip_for_xml(text)
    return element


def deposit_xml(articles: list[Article], *, batch_id: str | None = None) -> bytes:
    """One doi_batch holding every article; raises CrossrefError for one without a DOI."""
    for article in articles:
        if not article.doi:
            raise CrossrefError(f"“{article.slug}” has no DOI: set one before depositing.")
    root = etree.Element(
        f"{{{NS}}}doi_batch",
        {"version": SCHEMA_VERSION, f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION},
        nsmap={None: NS, "xsi": XSI, "jats": JATS},
    )
    head = _el(root, "head")
    _el(head, "doi_batch_id", batch_id or f"cc-{uuid.uuid4().hex[:16]}")
    _el(head, "timestamp", timezone.now().strftime("%Y%m%d%H%M%S%f")[:17])
    depositor = _el(head, "depositor")
    _el(depositor, "depositor_name", settings.CROSSREF_DEPOSITOR_NAME)
    _el(depositor, "email_address", settings.CROSSREF_DEPOSITOR_EMAIL)
    _el(head, "registrant", citations.CENTER)
    body = _el(root, "body")
    for article in articles:
        if article.is_report:
            _report_paper(body, article)
        else:
            _posted_content(body, article)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _contributors(parent, article: Article) -> None:
    contributors = _el(parent, "contributors")
    for position, author in enumerate(article.ordered_authors()):
        name = citations.split_name(author.name)
        person = _el(
            contributors,
            "person_name",
            sequence="first" if position == 0 else "additional",
            contributor_role="author",
        )
        if name.given:
            _el(person, "given_name", name.given)
        _el(person, "surname", name.family_with_particle)
        if author.affiliation:
            institution = _el(_el(person, "affiliations"), "institution")
            _el(institution, "institution_name", author.affiliation)
        if author.orcid:
            _el(person, "ORCID", author.orcid_url, authenticated="false")


def _titles(parent, article: Article) -> None:
    _el(_el(parent, "titles"), "title", article.title)


def _abstract(parent, article: Article) -> None:
    if article.dek:
        abstract = _el(parent, "abstract", ns=JATS)
        _el(abstract, "p", article.dek, ns=JATS)


def _date(parent, tag: str, article: Article) -> None:
    day = citations.online_date(article)
    date = _el(parent, tag, media_type="online") if tag == "publication_date" else _el(parent, tag)
    _el(date, "month", f"{day.month:02d}")
    _el(date, "day", f"{day.day:02d}")
    _el(date, "year", str(day.year))


def _institution(parent) -> None:
    _el(_el(parent, "institution"), "institution_name", citations.CENTER)


def _crossmark(parent, article: Article) -> None:
    corrections = list(article.corrections.all())
    crossmark = _el(parent, "crossmark")
    _el(crossmark, "crossmark_version", "1")
    policy = settings.CROSSMARK_POLICY_DOI or f"{article.doi.split('/')[0]}/crossmark-policy"
    _el(crossmark, "crossmark_policy", policy)
    domains = _el(crossmark, "crossmark_domains")
    _el(_el(domains, "crossmark_domain"), "domain", urlparse(settings.SITE_URL).hostname or "")
    _el(crossmark, "crossmark_domain_exclusive", "false")
    if corrections:
        updates = _el(crossmark, "updates")
        for correction in corrections:
            date = timezone.localtime(correction.created_at).date().isoformat()
            _el(updates, "update", article.doi, type="correction", date=date)


def _doi_data(parent, article: Article) -> None:
    doi_data = _el(parent, "doi_data")
    _el(doi_data, "doi", article.doi)
    _el(doi_data, "resource", citations.article_url(article))


def _report_paper(body, article: Article) -> None:
    metadata = _el(_el(body, "report-paper"), "report-paper_metadata", language="en")
    _contributors(metadata, article)
    _titles(metadata, article)
    _abstract(metadata, article)
    _date(metadata, "publication_date", article)
    _el(_el(metadata, "publisher"), "publisher_name", citations.CENTER)
    _institution(metadata)
    if article.report_number:
        item = _el(metadata, "publisher_item")
        _el(item, "item_number", article.report_number, item_number_type="report-number")
    _crossmark(metadata, article)
    _doi_data(metadata, article)


def _posted_content(body, article: Article) -> None:
    posted = _el(body, "posted_content", type="other", language="en")
    _contributors(posted, article)
    _titles(posted, article)
    _date(posted, "posted_date", article)
    _institution(posted)
    _abstract(posted, article)
    _crossmark(posted, article)
    _doi_data(posted, article)


def deposit_configured() -> bool:
    return bool(
        settings.CROSSREF_DEPOSIT_URL and settings.CROSSREF_USERNAME and settings.CROSSREF_PASSWORD
    )


def deposit(xml: bytes, filename: str) -> int:
    """Send the file to Crossref's deposit URL; returns the HTTP status. Configured only."""
    if not deposit_configured():
        raise CrossrefError("Set CROSSREF_DEPOSIT_URL, CROSSREF_USERNAME and CROSSREF_PASSWORD.")
    response = urllib3.request(
        "POST",
        settings.CROSSREF_DEPOSIT_URL,
        fields={
            "operation": "doMDUpload",
            "login_id": settings.CROSSREF_USERNAME,
            "login_passwd": settings.CROSSREF_PASSWORD,
            "fname": (filename, xml, "application/xml"),
        },
        timeout=urllib3.Timeout(connect=10, read=60),
        retries=False,
    )
    return response.status
