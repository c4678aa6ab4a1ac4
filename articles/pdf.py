"""The PDF edition of an article: the page's content laid out for print by WeasyPrint.

Tagged (PDF/UA-1) so that screen readers can read it. Nothing is fetched while printing:
the only resources allowed are data: URIs, so a body cannot make the worker call out.

Tables are what makes printing slow: WeasyPrint lays a long table out page by page, and a
60,000-character Markdown table took it 116 s and 401 MB. So the body's tables are printed
up to a budget of cells; what is left out is named in a note that sends the reader to the
online edition, which always has the whole table.
"""

import base64
import datetime
import logging
import re

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from lxml import html as lxml_html

from . import citations
from .models import Article, LibraryImage

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


# Cells printed across all of the body's tables, and columns printed per row. 2,000 cells
# print in about 3 s (a 5,000-row table took 20 s, and time grows faster than the rows);
# twelve columns are as many as fit across an A4 page in 9 pt type.
PRINTED_TABLE_CELLS = 2_000
PRINTED_TABLE_COLUMNS = 12


# Library images are printed from this rendition (in the original's format): sharp at
# the column's width on A4, and a few hundred kilobytes at most.
PRINTED_IMAGE_WIDTH = 1200
_MIME_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def _print_body(body_html: str, url: str) -> str:
    """The body as the PDF shows it: footnotes under a "Notes" heading, no back-links,
    tables within the print budget, library images embedded, videos as their links."""
    body_html = body_html.replace(
        '<section class="footnotes">', '<section class="footnotes"><h2>Notes</h2>', 1
    )
    if "data-image=" in body_html or 'class="video"' in body_html:
        body_html = _printed_media(body_html)
    return _bounded_tables(body_html, url) if "<table" in body_html else body_html


def _printed_media(body_html: str) -> str:
    """Library images as data: URIs of their print rendition (nothing is fetched while
    printing), without the page's `srcset`; video players out (their caption links them)."""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for player in root.xpath('.//div[@class="video"]'):
        player.getparent().remove(player)
    pictures = root.xpath(".//img[@data-image]")
    ids = {int(p.get("data-image")) for p in pictures if p.get("data-image", "").isdigit()}
    library = LibraryImage.objects.in_bulk(ids) if ids else {}
    for picture in pictures:
        image = library.get(int(picture.get("data-image", "0") or 0))
        rendition = image.rendition(width=PRINTED_IMAGE_WIDTH) if image else None
        source = _data_uri(rendition) if rendition else None
        if source is None:
            picture.drop_tree()
            continue
        picture.set("src", source)
        for attribute in ("srcset", "sizes", "loading", "decoding"):
            picture.attrib.pop(attribute, None)
    return lxml_html.tostring(root, encoding="unicode")


def _data_uri(rendition: dict) -> str | None:
    try:
        with default_storage.open(rendition["name"]) as handle:
            content = handle.read()
    except OSError:
        logger.warning("Rendition %s is missing from the media storage", rendition["name"])
        return None
    encoded = base64.b64encode(content).decode()
    return f"data:{_MIME_TYPES[rendition['format']]};base64,{encoded}"


def _bounded_tables(body_html: str, url: str) -> str:
    """The body with its tables cut to `PRINTED_TABLE_CELLS` cells in all (in the order
    they come) and `PRINTED_TABLE_COLUMNS` columns; a note after each cut table says what
    is left out and links the online edition."""
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    budget = PRINTED_TABLE_CELLS
    for table in list(root.iter("table")):
        if root not in table.iterancestors():
            continue  # inside a row already left out
        budget, left_out = _cut_table(table, budget)
        if left_out:
            note = lxml_html.fragment_fromstring(
                format_html(
                    '<p class="table-note">{} The whole table is in the online edition: '
                    '<a href="{}">{}</a>.</p>',
                    left_out,
                    url,
                    url,
                )
            )
            table.addnext(note)
            if not table.xpath(".//tr"):
                table.getparent().remove(table)
    return lxml_html.tostring(root, encoding="unicode")


def _cut_table(table, budget: int) -> tuple[int, str]:
    """Cut `table` to what `budget` cells allow; the budget left and what was left out."""
    rows = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    rows_out = 0
    columns_cut = False
    for row in rows:
        if rows_out:  # once a row is left out, the ones after it are too
            row.getparent().remove(row)
            rows_out += 1
            continue
        width = 0
        for cell in row.xpath("./td | ./th"):
            span = _span(cell, "colspan", PRINTED_TABLE_COLUMNS - width)
            if span == 0:
                row.remove(cell)
                columns_cut = True
                continue
            _span(cell, "rowspan", len(rows))
            width += span
        if width > budget:
            row.getparent().remove(row)
            rows_out = 1
            continue
        budget -= width
    if rows and rows_out == len(rows):
        return budget, f"This print edition leaves out a table of {len(rows):,} rows here."
    parts = []
    if rows_out:
        parts.append(f"the last {rows_out:,} row{'s' if rows_out != 1 else ''}")
    if columns_cut:
        parts.append(f"the columns after the first {PRINTED_TABLE_COLUMNS}")
    if not parts:
        return budget, ""
    return budget, f"This print edition leaves out {' and '.join(parts)} of this table."


def _span(cell, attribute: str, room: int) -> int:
    """The cell's colspan or rowspan, made to fit in `room` (0: no room for the cell)."""
    try:
        span = max(1, int(cell.get(attribute, "1")))
    except ValueError:
        span = 1
    span = min(span, max(room, 0))
    if span > 1:
        cell.set(attribute, str(span))
    elif attribute in cell.attrib:
        del cell.attrib[attribute]
    return span


def edition_html(article: Article, *, corrected_on: datetime.datetime | None) -> str:
    """The edition's HTML: the article page's blocks (Jinja2), laid out for print, with its
    labels and dates in the edition's language (a worker prints it, with no page's language)."""
    with translation.override(article.language):
        return render_to_string(
            "articles/pdf/edition.html",
            {
                "article": article,
                "authors": article.ordered_authors(),
                "body_html": mark_safe(
                    _print_body(article.body_html, citations.article_url(article))
                ),
                "url": citations.article_url(article),
                "reference": citations.formatted(article, "apa"),
                "corrected_on": corrected_on,
            },
            using="jinja2",
        )


def render_pdf(article: Article, *, corrected_on: datetime.datetime | None = None) -> bytes:
    """The PDF bytes. Raises PdfUnavailable when WeasyPrint cannot run on this machine."""
    weasyprint = _weasyprint()
    css = render_to_string("articles/pdf/edition.css", using="jinja2")
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
