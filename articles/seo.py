"""What search engines and social networks read on an article page: JSON-LD and OpenGraph."""

import json

from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

from base.weburl import web_url

from .models import Article

# Inside <script>, "<", ">" and "&" must not appear as such: a "</script>" in a title would
# otherwise end the block. JSON lets us write them as \\u escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def news_article_jsonld(article: Article, editions: list[dict] = ()) -> SafeString:
    """A schema.org NewsArticle, or a Report for kind `report`; `editions` (the piece's public
    editions, articles/translations.py) give its translations and what it translates."""
    url = settings.SITE_URL + article.get_absolute_url()
    language = article.language  # the names of its authors and tags are the edition's
    data = {
        "@context": "https://schema.org",
        "@type": "Report" if article.is_report else "NewsArticle",
        "headline": article.title[:110],
        "description": article.dek,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.publish_at.isoformat() if article.publish_at else None,
        "dateModified": (article.last_corrected_at or article.updated_at).isoformat(),
        "author": [
            {
                "@type": "Person",
                "@id": author.orcid_url or None,
                "name": author.name_in(language),
                "jobTitle": author.title or None,
                "url": settings.SITE_URL + author.get_absolute_url(),
            }
            for author in article.ordered_authors()
        ],
        "publisher": {
            "@type": "Organization",
            "name": "Caucasus Center for Strategic and International Studies",
            "url": settings.SITE_URL + "/",
            "logo": {"@type": "ImageObject", "url": settings.SITE_URL + "/static/img/favicon.svg"},
        },
        "articleSection": article.get_kind_display(),
        "keywords": [t.name_in(language) for t in article.topics.all()]
        + [r.name_in(language) for r in article.regions.all()],
        "wordCount": len(article.plain_text.split()),
        "inLanguage": article.language,
    }
    others = [e for e in editions if e["id"] != article.pk]
    source = next((e for e in others if e["id"] == article.translation_of_id), None)
    if source is not None:
        data["translationOfWork"] = _work(source)
    translations = [_work(e) for e in others if e is not source]
    if translations:
        data["workTranslation"] = translations
    if article.image:
        data["image"] = [settings.SITE_URL + article.image.url]
    if article.rights == Article.Rights.REPUBLISHED and web_url(article.source_url):
        data["isBasedOn"] = {
            "@type": "NewsArticle",
            "url": web_url(article.source_url),
            "publisher": {"@type": "Organization", "name": article.source_outlet},
            "author": {"@type": "Person", "name": article.original_author}
            if article.original_author
            else None,
            "datePublished": article.source_published_on.isoformat()
            if article.source_published_on
            else None,
        }
    data.update(_citable_parts(article))
    cleaned = _without_nones(data)
    return mark_safe(json.dumps(cleaned, ensure_ascii=False).translate(_SCRIPT_SAFE))


def _citable_parts(article: Article) -> dict:
    """Report number, takeaways and recommendations, DOI, public corrections."""
    parts: dict = {}
    if article.is_report:
        parts["reportNumber"] = article.report_number or None
        lists = [
            ("Key takeaways", article.takeaways_list),
            ("Recommendations", article.recommendations_list),
        ]
        parts["hasPart"] = [
            {
                "@type": "ItemList",
                "name": name,
                "itemListElement": [
                    {"@type": "ListItem", "position": i, "name": line}
                    for i, line in enumerate(lines, start=1)
                ],
            }
            for name, lines in lists
            if lines
        ] or None
    if article.doi:
        parts["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": article.doi}
        parts["sameAs"] = f"https://doi.org/{article.doi}"
    corrections = list(article.corrections.all())
    if corrections:
        parts["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    return parts


def _without_nones(value):
    if isinstance(value, dict):
        return {k: _without_nones(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nones(v) for v in value]
    return value


def _work(edition: dict) -> dict:
    return {
        "@type": "CreativeWork",
        "url": settings.SITE_URL + edition["url"],
        "name": edition["title"],
        "inLanguage": edition["language"],
    }
