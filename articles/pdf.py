"""The PDF edition of an article: the page's content laid out for print by WeasyPrint.

Tagged (PDF/UA-1) so that screen readers can read it. Nothing is fetched while printing:
the only resources allowed are data: URIs, so a body cannot make the worker call out.
"""

import datetime
import logging
import re

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from . import citations
from .models import Article

logger = logging.getLogger(__name__)


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs (Pango, HarfBuzz) are missing."""


def _weasyprint():
    try:
        import weasyprint
    except (ImportError, OSError) as error:  # OSError: a system library did not load
        raise PdfUnavailable(
            "WeasyPrint cannot run here: install its system libraries (Debian: libpango-1.0-0 "
            f"libpangoft2-1.0-0 libharfbuzz0b) and fonts-noto-core ({error})"
        ) from error
    return weasyprint


def _print_body(body_html: str) -> str:
    """The body as the PDF shows it: footnotes under a "Notes" heading, no back-links."""
    return body_html.replace(
        '<section class="footnotes">', '<section class="footnotes"><h2>Notes</h2>', 1
    )


def edition_html(article: Article, *, corrected_on: datetime.datetime | None) -> str:
    return render_to_string(
        "articles/pdf/edition.html",
        {
            "article": article,
            "authors": article.ordered_authors(),
            "body_html": mark_safe(_print_body(article.body_html)),
            "url": citations.article_url(article),
            "reference": citations.formatted(article, "apa"),
            "corrected_on": corrected_on,
        },
    )


def render_pdf(article: Article, *, corrected_on: datetime.datetime | None = None) -> bytes:
    """The PDF bytes. Raises PdfUnavailable when WeasyPrint cannot run on this machine."""
    weasyprint = _weasyprint()
    css = render_to_string("articles/pdf/edition.css")
    fetcher = weasyprint.URLFetcher(allowed_protocols=["data"], timeout=1)
    document = weasyprint.HTML(
        string=edition_html(article, corrected_on=corrected_on),
        base_url=citations.article_url(article),
        url_fetcher=fetcher,
    )
    return document.write_pdf(
        stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        pdf_identifier=re.sub(r"[^a-z0-9]", "", article.slug)[:32].encode() or b"article",
    )
