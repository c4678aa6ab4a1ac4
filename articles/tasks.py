from celery import shared_task
from django.utils import timezone

from . import editions, kept_image, rendering, search_help, services


@shared_task(ignore_result=True)
def publish_due() -> int:
    """Beat runs this every minute; see `services.publish_due`."""
    return len(services.publish_due())


# The time limits and why they are what they are: `editions.PRINT_SOFT_SECONDS`. They hold
# on a prefork worker (the production shape); the embedded run prints in-process, unbounded
# in time but not in size (tables are cut, see `pdf`).
@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    max_retries=3,
    soft_time_limit=editions.PRINT_SOFT_SECONDS,
    time_limit=editions.PRINT_HARD_SECONDS,
)
def make_pdf_edition(article_id: int) -> None:
    """Print the PDF edition of an article; see `editions.pdf_edition_make`."""
    editions.pdf_edition_make(article_id=article_id)


@shared_task(ignore_result=True)
def forget_kept_images() -> int:
    """Daily: featured images kept for refused forms never sent again; see `kept_image`."""
    return kept_image.forget_stale(now=timezone.now())


@shared_task(ignore_result=True)
def rebuild_search_words() -> int:
    """Count the words "did you mean" offers again; see `search_help.search_words_rebuild`."""
    return search_help.search_words_rebuild()


@shared_task(ignore_result=True, acks_late=True)
def render_articles(ids: list[int]) -> int:
    """Render these articles' pages and cards again; see `rendering.articles_render`."""
    return rendering.articles_render(ids=ids, purge_after=True)


@shared_task(ignore_result=True, acks_late=True)
def render_bodies(ids: list[int]) -> int:
    """Render these articles' bodies and pages again; see `rendering.bodies_render`."""
    return rendering.bodies_render(ids=ids)
