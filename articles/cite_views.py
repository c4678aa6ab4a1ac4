"""The citable article: cite.bib, cite.ris, cite.json, the PDF edition, and the article URL
answering citation media types (as doi.org does). Only public articles have any of these."""

import json
from collections.abc import Callable

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from base.languages import hreflang

from . import citations
from .models import Article, PdfEdition

CSL_JSON = "application/vnd.citationstyles.csl+json"
BIBTEX = "application/x-bibtex"
RIS = "application/x-research-info-systems"
HTML = "text/html"

# media type -> (render, file extension)
FORMATS: dict[str, tuple[Callable[[Article], str], str]] = {
    CSL_JSON: (lambda a: json.dumps(citations.csl_item(a), ensure_ascii=False, indent=2), "json"),
    BIBTEX: (citations.bibtex, "bib"),
    RIS: (citations.ris, "ris"),
}
EXTENSIONS = {extension: media_type for media_type, (_, extension) in FORMATS.items()}

# The versioned link (?v=…) never changes content; the bare address changes on corrections.
PDF_IMMUTABLE_SECONDS = 365 * 24 * 3600
PDF_SECONDS = 24 * 3600


def _public_article(slug: str) -> Article:
    return get_object_or_404(Article.objects.published().for_citation(), slug=slug)


def _citation_response(article: Article, media_type: str, download: bool) -> HttpResponse:
    render, extension = FORMATS[media_type]
    response = HttpResponse(render(article), content_type=f"{media_type}; charset=utf-8")
    if download:
        response["Content-Disposition"] = f'attachment; filename="{article.slug}.{extension}"'
    response["Link"] = f'<{citations.article_url(article)}>; rel="canonical"'
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    return response


def article_citation(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    """/articles/<slug>/cite.bib, cite.ris, cite.json"""
    if extension not in EXTENSIONS:
        raise Http404("No such citation format.")
    return _citation_response(_public_article(slug), EXTENSIONS[extension], download=True)


def article_pdf(request: HttpRequest, slug: str, filename: str) -> HttpResponse:
    """/articles/<slug>/<slug>.pdf — the current edition, streamed from media storage."""
    if filename != slug:
        raise Http404("No such file.")
    article = _public_article(slug)
    try:
        edition = article.pdf_edition
    except PdfEdition.DoesNotExist:
        raise Http404("The PDF edition is being made.") from None
    etag = f'"{edition.etag}"'
    last_modified = edition.made_at.timestamp()
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is None:
        try:
            handle = edition.file.open("rb")
        except FileNotFoundError:
            raise Http404("The PDF edition is being made.") from None
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{slug}.pdf"'
        response["Content-Length"] = str(edition.size or edition.file.size)
    else:
        response = not_modified
    if links := _pdf_alternates(article):
        response["Link"] = links
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    if request.GET.get("v") == edition.etag[:16]:
        patch_cache_control(response, public=True, max_age=PDF_IMMUTABLE_SECONDS, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=PDF_SECONDS)
    return response


class CitationNegotiationMiddleware:
    """The article URL answers Accept: CSL-JSON, BibTeX or RIS with the citation.

    A middleware above the page cache, so that the cache never sees a citation request, let
    alone keeps its answer for browsers; `Vary: Accept` tells every other cache the same.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        slug = _article_page_slug(request)
        if slug is None:
            return self.get_response(request)
        wanted = None
        if request.method in ("GET", "HEAD") and "accept" in request.headers:
            wanted = request.get_preferred_type([HTML, *FORMATS])
        if wanted in FORMATS:
            response = _citation_response(_public_article(slug), wanted, download=False)
        else:
            response = self.get_response(request)
        patch_vary_headers(response, ["Accept"])
        return response


def _article_page_slug(request: HttpRequest) -> str | None:
    if not request.path_info.startswith("/articles/"):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == "articles:detail" else None


def _pdf_alternates(article: Article) -> str:
    """An HTTP `Link` header naming the PDF of each public edition of the piece (`hreflang`,
    itself and `x-default` included), when there is more than one: a PDF has no <head>."""
    rows = (
        Article.objects.published()
        .filter(translation_key=article.translation_key, pdf_edition__isnull=False)
        .values("slug", "language")
    )
    editions = [
        {
            "language": row["language"],
            "url": f"{settings.SITE_URL}{Article(**row).get_absolute_url()}{row['slug']}.pdf",
        }
        for row in rows
    ]
    return ", ".join(
        f'<{url}>; rel="alternate"; hreflang="{code}"' for code, url in hreflang(editions)
    )
