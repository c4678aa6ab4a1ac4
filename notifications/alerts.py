"""Reader alerts: a mail to each follower of a new article's topics, and weekly digests."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation

from articles.models import Article
from base.jinja2 import long_date
from outbox.models import Notification
from outbox.services import notify

from .models import Follower

ARTICLE_PUBLISHED = "article.published"
WEEKLY_DIGEST = "digest.weekly"


def followers_of(announcement: Notification) -> list[Notification]:
    """The audience of `article.published`: followers of the article's topics or regions
    who asked for immediate alerts, the first time the article is published only."""
    if not announcement.context.get("first_time"):
        return []  # published again after being withdrawn: readers were told the first time
    article = (
        Article.objects.published()
        .prefetch_related("topics", "regions")
        .filter(pk=announcement.context["article_id"])
        .first()
    )
    if article is None:  # unpublished again before the alerts went out
        return []
    followers = (
        active_followers()
        .filter(frequency=Follower.Frequency.IMMEDIATE)
        .filter(Q(topics__in=article.topics.all()) | Q(regions__in=article.regions.all()))
        .distinct()
        .values_list("pk", "email", "secret", "language")
    )
    # The article named in each reader's language: its topics, regions and authors.
    about = {language: _article_summary(article, language) for *_, language in followers}
    return [
        _follower_notification(
            event=ARTICLE_PUBLISHED,
            # One alert per reader per article, whatever happens to the article later.
            key=f"{ARTICLE_PUBLISHED}:{article.pk}:{follower_id}",
            email=email,
            secret=secret,
            template="article_published",
            context={"article": about[language], "reader_language": language},
        )
        for follower_id, email, secret, language in followers
    ]


def active_followers():
    return Follower.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


def _follower_notification(
    *, event: str, key: str, email: str, secret: str, template: str, context: dict
) -> Notification:
    links = _links(secret, context["reader_language"])
    return Notification(
        event=event,
        key=key,
        recipient=email,
        template=template,
        context={**context, **links},
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this URL.
            "List-Unsubscribe": f"<{links['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _links(secret: str, language: str) -> dict[str, str]:
    follower = Follower(secret=secret, language=language)
    return {"manage_url": follower.link("manage"), "unsubscribe_url": follower.link("unsubscribe")}


def _article_summary(article: Article, language: str) -> dict:
    # Kept in the outbox row and read as is when the mail is written: so in the reader's
    # language now, the article's kind and its date ("7 декабря 2026 г.") included.
    with translation.override(language):
        kind = article.get_kind_display()
    return {
        "title": article.title,
        "dek": article.dek,
        "kind": kind,
        "url": settings.SITE_URL + article.get_absolute_url(),
        "authors": ", ".join(author.name_in(language) for author in article.ordered_authors()),
        "published": long_date(timezone.localtime(article.publish_at), language),
        "topics": [topic.name_in(language) for topic in article.topics.all()],
        "regions": [region.name_in(language) for region in article.regions.all()],
    }


def weekly_digests(*, now: datetime.datetime | None = None) -> int:
    """One digest per weekly reader with the week's new articles on their topics or regions.

    The week is the seven days before `now`; an article counts in the week it was first
    published, so one published again after being withdrawn is not announced twice.
    """
    now = now or timezone.now()
    since = now - datetime.timedelta(days=7)
    year, week, _ = now.isocalendar()
    new_articles = list(
        Article.objects.published()
        .filter(first_published_at__gte=since, first_published_at__lt=now)
        .prefetch_related("topics", "regions", "bylines__author")
        .latest_first()
    )
    if not new_articles:
        return 0
    readers = active_followers().filter(frequency=Follower.Frequency.WEEKLY)
    readers = readers.prefetch_related("topics", "regions")
    written = 0
    for reader in readers.iterator(chunk_size=500):
        topic_ids = {t.pk for t in reader.topics.all()}
        region_ids = {r.pk for r in reader.regions.all()}
        theirs = [
            _article_summary(article, reader.language)
            for article in new_articles
            if topic_ids & {t.pk for t in article.topics.all()}
            or region_ids & {r.pk for r in article.regions.all()}
        ]
        if not theirs:
            continue
        row = _follower_notification(
            event=WEEKLY_DIGEST,
            key=f"{WEEKLY_DIGEST}:{year}-W{week:02d}:{reader.pk}",
            email=reader.email,
            secret=reader.secret,
            template="weekly_digest",
            context={
                "articles": theirs,
                "week": _week(since, now, reader.language),
                "reader_language": reader.language,
            },
        )
        notify(
            event=row.event,
            key=row.key,
            recipient=row.recipient,
            template=row.template,
            context=row.context,
            headers=row.headers,
        )
        written += 1
    return written


def _week(since: datetime.datetime, now: datetime.datetime, language: str) -> str:
    """The digest's seven days, each end a whole long date in the reader's language
    ("30 ноября 2026 г. – 7 декабря 2026 г."): CLDR has no span of full month names for
    every language, and Babel's nearest one abbreviates them or drops a year."""
    first = long_date(timezone.localtime(since), language)
    return f"{first} – {long_date(timezone.localtime(now), language)}"
