"""What the articles app tells the world: one announcement per change readers can see.

Each is one fan-out row of the outbox, written in the transaction of the change, carrying
plain data: the article's id, whether this is its first publication, and the article as the
API shows it at that moment. Who hears of it (followers, partners' webhooks, the contributor
whose simulation it was, the HTTP cache) is the project's table, settings.OUTBOX_AUDIENCES:
this app does not know its audiences, and nothing here imports them.
"""

import json
import logging
import uuid

from django.core.serializers.json import DjangoJSONEncoder

from outbox.services import announce

from . import editions, search_help
from .models import Article
from .serializers import ArticleDetailSerializer

logger = logging.getLogger(__name__)

PUBLISHED = "article.published"
UPDATED = "article.updated"
UNPUBLISHED = "article.unpublished"


def announce_published(*, article: Article, first_time: bool) -> None:
    """The one place where "an article was published" is announced. An article published
    again after being unpublished is announced to partners, not to readers again."""
    logger.info("Article %s published (first time: %s)", article.pk, first_time)
    # The first publication has a key of its own: it can be announced once only.
    key = f"{PUBLISHED}:{article.pk}" if first_time else None
    _announce(PUBLISHED, article, key=key, first_time=first_time)
    search_help.search_words_add(article=article)


def announce_updated(*, article: Article) -> None:
    """A public article changed (an edit, a correction, a revert): partners are told and a
    new PDF edition is made."""
    if article.is_public:
        _announce(UPDATED, article)
        editions.pdf_edition_schedule(article=article)
        search_help.search_words_add(article=article)


def announce_unpublished(*, article: Article) -> None:
    _announce(UNPUBLISHED, article)


def _announce(event: str, article: Article, *, key: str | None = None, **context) -> None:
    # Read again as it now is: the caller's instance may hold relations read before the
    # change (a form's, a list's prefetch), and partners are told what was saved.
    saved = (
        Article.objects.select_related("series", "pdf_edition")
        .prefetch_related("topics", "regions", "moves")
        .with_bylines()
        .get(pk=article.pk)
    )
    data = json.loads(json.dumps(ArticleDetailSerializer(saved).data, cls=DjangoJSONEncoder))
    announce(
        event=event,
        key=key or f"{event}:{article.pk}:r{uuid.uuid4().hex}",
        context={"article_id": article.pk, "article": data, **context},
    )
