"""What an article page and a card show, rendered when the article or what it shows changes.

An article page reads this one row (and the cards of its related analyses): the byline, the
tags, the timeline, the corrections, the series navigation, the references and the JSON-LD
were rendered when they last changed, as the body's HTML is. `release` says which code
rendered it: a row rendered by other code (before a deploy) is rendered again when read.
"""

from django.db import models
from django.utils import timezone


class ArticleRendering(models.Model):
    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="rendering"
    )
    release = models.CharField(max_length=40)
    # The article's `lock_version` when rendered: any save of the article makes it stale.
    version = models.PositiveIntegerField(default=0)
    # The page: what goes in <head>, and the main column before and after the related
    # analyses (which are picked from the other articles and rendered as cards when read).
    head = models.TextField(blank=True)
    top = models.TextField(blank=True)
    bottom = models.TextField(blank=True)
    # The article as a card in any list: plain values (title, address, authors, topics…).
    card = models.JSONField(default=dict)
    # The related analyses (ids, best first), worked out when the article or its tags change.
    related = models.JSONField(default=list)
    # The article as the API lists it: JSON text, as ArticleSerializer gives it (text, not
    # a JSON column: PostgreSQL's jsonb would reorder the keys, and the answer would differ
    # from one read to the next).
    api_item = models.TextField(blank=True)
    # The piece's public editions in the site's languages (articles/translations.py), for
    # the page's language switcher and hreflang: rendered again when any of them changes.
    editions = models.JSONField(default=list)
    # What the page shows, as HTTP cache tags (base/httpcache.py): purging one refreshes it.
    cache_tags = models.JSONField(default=list)
    rendered_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Rendering of article {self.article_id}"
