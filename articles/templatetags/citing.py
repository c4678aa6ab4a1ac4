from django import template
from django.urls import reverse

from articles import citations
from articles.models import Article

register = template.Library()


@register.simple_tag
def highwire_tags(article: Article) -> list[tuple[str, str]]:
    return citations.highwire_tags(article)


@register.simple_tag
def cite_this(article: Article) -> dict:
    """What the "Cite this" block shows: two formatted references and the downloads."""
    pdf = citations.pdf_url(article)
    return {
        "apa": citations.formatted(article, "apa"),
        "chicago": citations.formatted(article, "chicago"),
        "downloads": [
            (label, reverse("articles:citation", args=[article.slug, extension]), extension)
            for label, extension in (("BibTeX", "bib"), ("RIS", "ris"), ("CSL-JSON", "json"))
        ],
        "pdf": f"{pdf}?v={article.pdf_edition.etag[:16]}" if pdf else None,
        "pdf_size": article.pdf_edition.size if pdf else None,
    }
