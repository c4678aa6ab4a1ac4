"""An article's page parts and card, rendered when the article or what it shows changes.

The article page and every list read plain strings and values from `ArticleRendering`: the
byline, tags, timeline, corrections, references, JSON-LD and series navigation were rendered
on write, like the body's HTML; the related analyses were picked on write too. A rendering
made by other code (`release`) or before the article's last save (`version`) is rendered
again when read, so nothing is ever served stale after a deploy or a save that skipped it.
"""

import hashlib
import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from base.httpcache import article_key, author_key, region_key, series_key, topic_key
from base.release import release
from outbox.purges import purge

from . import citations, list_counts, seo, translations
from .models import (
    HEAVY_FIELDS,
    Article,
    ArticleRendering,
    Author,
    BodyLink,
    Byline,
    Region,
    Series,
    TaggedRegion,
    TaggedTopic,
    Topic,
    render_body,
    update_search_vectors,
)
from .models.body import LINKED_STATUSES
from .serializers import ArticleSerializer

logger = logging.getLogger(__name__)

# What is rendered for readers: a draft's page is only ever a preview, rendered live.
RENDERED_STATUSES = (Article.Status.PUBLISHED, Article.Status.SCHEDULED)


def for_rendering():
    """An article with everything its page and card show, in a fixed number of queries."""
    return (
        Article.objects.for_citation()
        .select_related("series", "pdf_edition")
        .prefetch_related("regions")
    )


def article_render(*, article_id: int) -> ArticleRendering | None:
    """Render the page parts and card of one article and keep them (None: not found)."""
    article = for_rendering().filter(pk=article_id).first()
    if article is None:
        return None
    # The parts link the edition's own language's pages (its topics, authors, citations).
    with translation.override(article.language):
        editions = translations.public_editions(article.translation_key)
        parts = page_parts(article, editions=editions)
        rendering, _ = ArticleRendering.objects.update_or_create(
            article=article,
            defaults={
                **parts,
                "release": rendering_release(),
                "version": article.lock_version,
                "card": card_of(article),
                "related": [a.pk for a in Article.objects.published().related_to(article)],
                "cache_tags": cache_tags_of(article),
                "api_item": api_item_of(article),
                "editions": editions,
                "rendered_at": timezone.now(),
            },
        )
    return rendering


def article_render_on_save(*, article: Article) -> None:
    """After a save of `article` in the current transaction: render it there and then, if
    readers can see it (or will at its time); and once committed, the bodies linking to it
    that now show the wrong address for it (see `linking_render`)."""
    linking_render(article=article)
    if article.status in RENDERED_STATUSES:
        article_render(article_id=article.pk)
    # The other editions' switchers and hreflang name this one while it is public.
    siblings = Article.objects.filter(
        translation_key=article.translation_key, status__in=RENDERED_STATUSES
    ).exclude(pk=article.pk)
    for sibling_id in siblings.values_list("pk", flat=True):
        article_render(article_id=sibling_id)


def articles_render(*, ids: Iterable[int], purge_after: bool = False) -> int:
    """Render several articles again (an author renamed, a series edited): each in its own
    transaction, so one failure does not undo the others. A worker's batch then purges their
    pages itself: the editor's purge went out before these renders were done."""
    done = []
    for article_id in ids:
        try:
            with transaction.atomic():
                article_render(article_id=article_id)
            done.append(article_id)
        except Exception:
            logger.exception("Article %s could not be rendered", article_id)
    if purge_after and done:
        purge(keys=map(article_key, done), reason="articles.rendered")
    return len(done)


def link_href(article: Article) -> str:
    """What a body's link to `article` shows: its address, or "" (text without a link)."""
    return article.get_absolute_url() if article.status in LINKED_STATUSES else ""


def linking_render(*, article: Article | None = None, deleted: Iterable[int] = ()) -> None:
    """Once the change is committed, render again the bodies whose links to `article` (or
    to the `deleted` articles) show another address than they should now: after a change
    of slug, a publication, an unpublication or a deletion. The admin calls it before it
    deletes: the lists the deleted articles leave are counted without them then."""
    if article is not None:
        stale = BodyLink.objects.filter(target_id=article.pk).exclude(href=link_href(article))
    else:
        deleted = list(deleted)
        stale = BodyLink.objects.filter(target_id__in=deleted).exclude(href="")
        list_counts.lists_refresh(list_counts.lists_of(deleted), leaving=deleted)
    bodies_render_after_commit(ids=sorted(set(stale.values_list("article_id", flat=True))))


def bodies_render_after_commit(*, ids: list[int]) -> None:
    """Once the change is committed, render these bodies again: in the request when they are
    few, by a worker otherwise (as `dependents_render`)."""
    from .tasks import render_bodies  # a service enqueueing its own task

    if not ids:
        return
    if len(ids) <= RENDER_IN_REQUEST:
        transaction.on_commit(lambda: bodies_render(ids=ids), robust=True)
        return
    for start in range(0, len(ids), RENDER_BATCH):
        batch = ids[start : start + RENDER_BATCH]
        transaction.on_commit(lambda batch=batch: render_bodies.delay(batch), robust=True)


def bodies_render(*, ids: Iterable[int]) -> int:
    """Render these articles' bodies again (an image they show was described anew, an article
    they link to moved), then their pages, and purge those. Not an edit: no new version,
    no revision, no "updated" date."""
    done = []
    for article in Article.objects.filter(pk__in=list(ids)).only("pk", "body", "status"):
        try:
            with transaction.atomic():
                body = render_body(article.body)
                Article.objects.filter(pk=article.pk).update(
                    body_html=body.rendered.html,
                    plain_text=body.rendered.text,
                    toc=body.rendered.toc,
                    reading_minutes=body.rendered.reading_minutes,
                )
                update_search_vectors(Article.objects.filter(pk=article.pk))
                article.keep_references(body, adding=False)
                if article.status in RENDERED_STATUSES:
                    article_render(article_id=article.pk)
            done.append(article.pk)
        except Exception:
            logger.exception("The body of article %s could not be rendered", article.pk)
    if done:
        purge(keys=map(article_key, done), reason="articles.rendered")
    return len(done)


def rendering_release() -> str:
    """Which code rendered a part, and for which site address (the parts hold full URLs)."""
    site = hashlib.blake2b(settings.SITE_URL.encode(), digest_size=4).hexdigest()
    return f"{release()}:{site}"


# Up to this many articles showing an edited author, series or tag are rendered again in the
# editor's request (a second or so); more, by a worker, in batches.
RENDER_IN_REQUEST = 50
RENDER_BATCH = 200


def dependents_of(thing) -> list[int]:
    """The articles whose page or card shows `thing` (an author, a series, a topic, a region)."""
    if isinstance(thing, Author):
        rows = Byline.objects.filter(author=thing).values_list("article_id", flat=True)
    elif isinstance(thing, Series):
        rows = Article.objects.filter(series=thing).values_list("pk", flat=True)
    elif isinstance(thing, Topic):
        rows = TaggedTopic.objects.filter(tag=thing).values_list("content_object_id", flat=True)
    elif isinstance(thing, Region):
        rows = TaggedRegion.objects.filter(tag=thing).values_list("content_object_id", flat=True)
    else:
        raise TypeError(f"Articles do not show a {type(thing).__name__}")
    return sorted(set(rows))


def dependents_render(*, ids: list[int]) -> None:
    """After an author, a series or a tag changed: render again the articles showing it, once
    the change is committed (in the request when they are few, by a worker otherwise)."""
    from .tasks import render_articles  # a service enqueueing its own task

    if len(ids) <= RENDER_IN_REQUEST:
        transaction.on_commit(lambda: articles_render(ids=ids), robust=True)
        return
    for start in range(0, len(ids), RENDER_BATCH):
        batch = ids[start : start + RENDER_BATCH]
        transaction.on_commit(lambda batch=batch: render_articles.delay(batch), robust=True)


def page_parts(article: Article, *, preview=None, editions: list[dict] = ()) -> dict[str, str]:
    """The head, the main column before the related analyses and after them."""
    # Rendered without a request: what the site's context processor gives a page, given here.
    context = {
        "article": article,
        "preview": preview,
        "SITE_URL": settings.SITE_URL,
        "SITE_NAME": translation.gettext(settings.SITE_NAME),  # in the edition's language
    }
    head_context = dict(context)
    if preview is None:
        head_context.update(
            jsonld=seo.news_article_jsonld(article, editions),
            citation_tags=citations.highwire_tags(article),
        )
    top_context = dict(
        context,
        cite=citations.cite_block(article) if preview is None else None,
        # A translation names its public original, and says when that was revised after it.
        original=next((e for e in editions if e["id"] == article.translation_of_id), None),
    )
    bottom_context = dict(context, authors=article.ordered_authors(), **_series_neighbours(article))
    return {
        "head": render_to_string("articles/_page_head.html", head_context, using="jinja2"),
        "top": render_to_string("articles/_page_top.html", top_context, using="jinja2"),
        "bottom": render_to_string("articles/_page_bottom.html", bottom_context, using="jinja2"),
    }


def api_item_of(article: Article) -> str:
    """The article as the API lists it, as JSON text (its keys in the serializer's order)."""
    return json.dumps(ArticleSerializer(article).data, cls=DjangoJSONEncoder)


def cache_tags_of(article: Article) -> list[str]:
    """What the page shows, as HTTP cache tags: the article, its authors, tags and series."""
    keys = [article_key(article.pk)]
    keys += [author_key(byline.author_id) for byline in article.bylines.all()]
    keys += [topic_key(topic.pk) for topic in article.topics.all()]
    keys += [region_key(region.pk) for region in article.regions.all()]
    if article.series_id:
        keys.append(series_key(article.series_id))
    return keys


def card_of(article: Article) -> dict:
    """An article as every list shows it, in plain values (the `card` macro's `item`): the
    names of its series, authors and topics in the edition's language."""
    series, language = article.series, article.language
    return {
        "id": article.pk,
        "url": article.get_absolute_url(),
        "kind": article.kind,
        "kind_label": str(article.get_kind_display()),
        "series": {"title": series.name_in(language), "url": series.get_absolute_url()}
        if series
        else None,
        "title": article.title,
        "dek": article.dek,
        "authors": [
            {"name": author.name_in(language), "url": author.get_absolute_url()}
            for author in article.ordered_authors()
        ],
        "published": article.publish_at.isoformat() if article.publish_at else None,
        "reading_minutes": article.reading_minutes,
        "topics": [
            {"name": t.name_in(language), "url": t.get_absolute_url()} for t in article.topics.all()
        ],
    }


# What a list reads of each article: its card, and what says whether the card is current.
CARD_COLUMNS = ("pk", "lock_version", "rendering__card", "rendering__release", "rendering__version")


def cards(ids: list[int], *, now=None) -> list[dict]:
    """The cards of the public ones among these articles, in this order (one query)."""
    if not ids:
        return []
    rows = Article.objects.published(now=now).filter(pk__in=ids).values_list(*CARD_COLUMNS)
    found = {card["id"]: card for card in cards_of_rows(rows)}
    return [found[pk] for pk in ids if pk in found]


# What the API's list reads of each article (dicts, for its cursor on publish_at and id).
API_COLUMNS = (
    "id", "publish_at", "lock_version", "rendering__api_item", "rendering__release",
    "rendering__version",
)  # fmt: skip


def api_items_of_rows(rows: Iterable[dict]) -> list[dict]:
    """API list items from rows of API_COLUMNS, in their order; an article whose item is
    missing or stale is rendered now (then kept)."""
    items = []
    for row in rows:
        item = row["rendering__api_item"]
        if not item or not _current(row["rendering__release"], row["rendering__version"], row):
            made = article_render(article_id=row["id"])
            item = made.api_item if made else None
        if item:
            items.append(json.loads(item))
    return items


def _current(made_by: str | None, made_at: int | None, row: dict) -> bool:
    return made_by == rendering_release() and made_at == row["lock_version"]


def cards_of_rows(rows: Iterable[tuple]) -> list[dict]:
    """Cards from rows of CARD_COLUMNS, in their order; an article whose card is missing or
    was made by other code or before its last save is rendered now (then kept)."""
    found = []
    for pk, version, card, made_by, made_at in rows:
        if card is None or made_by != rendering_release() or made_at != version:
            made = article_render(article_id=pk)
            card = made.card if made else None
        if card:
            found.append(card)
    return found


def _series_neighbours(article: Article) -> dict:
    if article.series_id is None or article.series_position is None:
        return {}
    in_series = (
        Article.objects.published()
        .filter(series_id=article.series_id, language=article.language)
        .defer(*HEAVY_FIELDS)
    )
    before = (
        in_series.filter(series_position__lt=article.series_position)
        .order_by("-series_position")
        .values("slug", "title", "language")
        .first()
    )
    after = (
        in_series.filter(series_position__gt=article.series_position)
        .order_by("series_position")
        .values("slug", "title", "language")
        .first()
    )
    return {
        "previous_in_series": _link(before),
        "next_in_series": _link(after),
    }


def _link(row: dict | None) -> dict | None:
    if row is None:
        return None
    return {
        "title": row["title"],
        "url": Article(slug=row["slug"], language=row["language"]).get_absolute_url(),
    }
