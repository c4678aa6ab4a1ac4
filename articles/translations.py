"""Editions of one piece in the site's languages (base/languages.py).

Every edition is an article with its own language, title, slug, text, status and revisions;
the editions of a piece share `translation_key`. Readers only ever see public editions: the
language switcher and `hreflang` never name a draft.
"""

from base.languages import language_codes

from .models import Article


def public_editions(translation_key, *, now=None) -> list[dict]:
    """The public editions of a piece, in the order of the site's languages: language, url,
    title and id of each (one query)."""
    order = language_codes()
    rows = (
        Article.objects.published(now=now)
        .filter(translation_key=translation_key, language__in=order)
        .values("pk", "language", "slug", "title")
    )
    editions = [
        {
            "id": row["pk"],
            "language": row["language"],
            "title": row["title"],
            "url": Article(slug=row["slug"], language=row["language"]).get_absolute_url(),
        }
        for row in rows
    ]
    return sorted(editions, key=lambda edition: order.index(edition["language"]))
