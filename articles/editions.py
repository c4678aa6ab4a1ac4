"""Editions of a public article: its report number and its PDF.

`pdf_edition_schedule` is the one hook the workflow calls after any change that readers
see (publishing, an edit of a public article, a correction, a revert, unpublishing): once
the transaction commits, a Celery task makes the new edition, or removes the old one when
the article is no longer public. The request never waits for WeasyPrint.

A print that fails leaves the previous edition (if any) in place and a `PdfPrint` row that
tells the editors why; the next print that succeeds removes it.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from base.pagecache import pages_changed

from . import pdf, rendering
from .identifiers import parse_report_number
from .models import Article, PdfEdition, PdfPrint, ReportNumber

logger = logging.getLogger(__name__)


# --- Report numbers -------------------------------------------------------------------------


def report_number_assign(*, article: Article) -> None:
    """Give a report being published its number, CC-YYYY-NNN in publication order (a
    scheduled report gets it when the beat task publishes it).

    Called inside the publishing transaction, before the article is saved. A number an
    editor typed is kept and recorded; every number given is recorded in ReportNumber and
    never given again, even if its report is later deleted.
    """
    if not article.is_report:
        return
    if article.report_number:
        year, sequence = parse_report_number(article.report_number) or (0, 0)
        ReportNumber.objects.get_or_create(
            number=article.report_number,
            defaults={"year": year, "sequence": sequence, "article": article},
        )
        return
    year = timezone.localtime(article.publish_at or timezone.now()).year
    for _ in range(20):
        last = ReportNumber.objects.filter(year=year).aggregate(last=Max("sequence"))["last"]
        sequence = (last or 0) + 1
        # A draft may hold a number its editor chose; that one is skipped.
        while Article.objects.filter(report_number=f"CC-{year}-{sequence:03d}").exists():
            sequence += 1
        number = f"CC-{year}-{sequence:03d}"
        try:
            with transaction.atomic():  # another publication may take it at the same moment
                ReportNumber.objects.create(
                    number=number, year=year, sequence=sequence, article=article
                )
        except IntegrityError:
            continue
        article.report_number = number
        return
    raise RuntimeError(f"No report number could be given for {year}.")


# --- PDF editions ---------------------------------------------------------------------------

# Time limits of the printing task (`tasks.make_pdf_edition`). A print takes a few seconds:
# with tables cut to 2,000 cells (see `pdf`), the slowest bodies measured took about 3 s of
# CPU, 10 s on a busy two-core machine. At 60 s a print is stuck, not slow: the worker
# raises SoftTimeLimitExceeded in it, and the failure is recorded. If the print cannot be
# interrupted (inside a C library), the worker kills it at 90 s: 30 s left to record the
# failure. A print killed that way cannot record anything; its row shows it as failed once
# it is older than the hard limit and the grace below (the worker's own restart included).
PRINT_SOFT_SECONDS = 60
PRINT_HARD_SECONDS = 90
OVERDUE_AFTER = datetime.timedelta(seconds=PRINT_HARD_SECONDS + 30)


def pdf_edition_schedule(*, article: Article) -> None:
    """Ask for a fresh PDF edition of `article` once the current transaction commits."""
    from .tasks import make_pdf_edition

    article_id = article.pk
    # robust: in the embedded run the task runs right here; a failure must not turn a
    # committed publication into an error page.
    transaction.on_commit(lambda: make_pdf_edition.delay(article_id), robust=True)


def pdf_edition_make(*, article_id: int) -> PdfEdition | None:
    """Print the article and keep the PDF in media storage; remove it if not public."""
    article = Article.objects.published().for_citation().filter(pk=article_id).first()
    if article is None:
        pdf_edition_remove(article_id=article_id)
        return None
    if not settings.PDF_EDITIONS:
        return None
    started = timezone.now()
    PdfPrint.objects.update_or_create(
        article_id=article_id, defaults={"started_at": started, "failed_at": None, "reason": ""}
    )
    corrected_on = article.last_corrected_at
    try:
        data = pdf.render_pdf(article, corrected_on=corrected_on)
    except SoftTimeLimitExceeded:
        _print_failed(
            article_id,
            started,
            f"Printing took longer than {PRINT_SOFT_SECONDS} seconds and was stopped.",
        )
        return None
    except OSError:
        raise  # the task tries again: a full disk or a font cache is not the article's fault
    except pdf.PdfUnavailable as error:
        logger.error("PDF edition of article %s not made: %s", article_id, error)
        _print_failed(article_id, started, "WeasyPrint cannot run on this server.")
        return None
    except Exception as error:
        logger.exception("PDF edition of article %s not made", article_id)
        _print_failed(
            article_id,
            started,
            f"The printer stopped with an error ({type(error).__name__}); "
            "the worker's log has the details.",
        )
        return None
    digest = hashlib.sha256(data).hexdigest()
    # The digest in the name: a storage URL cannot be guessed from the slug alone.
    name = default_storage.save(f"editions/{article.slug}-{digest[:20]}.pdf", ContentFile(data))
    with transaction.atomic():
        edition = PdfEdition.objects.select_for_update().filter(article_id=article_id).first()
        # A failure of this print or an earlier one no longer matters; a later one's does.
        PdfPrint.objects.filter(article_id=article_id, started_at__lte=started).delete()
        if edition is not None and edition.made_at > started:
            default_storage.delete(name)  # a later run finished first; keep its edition
            return edition
        old_name = edition.file.name if edition else None
        edition, _ = PdfEdition.objects.update_or_create(
            article_id=article_id,
            defaults={
                "file": name,
                "etag": digest,
                "made_at": started,
                "made_from_version": article.lock_version,
                "corrected_on": corrected_on,
                "size": len(data),
            },
        )
        rendering.article_render_on_save(article=article)  # the page now links the PDF
        pages_changed()
    if old_name and old_name != name:
        default_storage.delete(old_name)
    logger.info("PDF edition of article %s made (%d bytes)", article_id, len(data))
    return edition


def _print_failed(article_id: int, started: datetime.datetime, reason: str) -> None:
    """Record why the print started at `started` failed, unless a later print has started
    since (its outcome is the one to show)."""
    logger.warning("PDF edition of article %s not made: %s", article_id, reason)
    PdfPrint.objects.filter(article_id=article_id, started_at=started).update(
        failed_at=timezone.now(), reason=reason[:300]
    )


def pdf_print_failure(pdf_print: PdfPrint | None) -> str | None:
    """Why the newest print of an edition failed; None if it succeeded or is running."""
    if pdf_print is None:
        return None
    if pdf_print.failed_at is not None:
        return pdf_print.reason
    if timezone.now() - pdf_print.started_at > OVERDUE_AFTER:
        return (
            f"Printing did not finish: it was stopped after {PRINT_HARD_SECONDS} seconds, "
            "or the worker printing it was lost."
        )
    return None


@dataclass(frozen=True)
class EditionState:
    """What the editors are shown about an article's PDF edition."""

    edition: PdfEdition | None  # what readers get now
    failure: str | None  # why the newest print failed
    printing_since: datetime.datetime | None  # a print is under way


def pdf_edition_state(article: Article) -> EditionState:
    """Read from `article.pdf_edition` and `article.pdf_print` (select_related them)."""
    edition = _one_to_one(article, "pdf_edition")
    pdf_print = _one_to_one(article, "pdf_print")
    failure = pdf_print_failure(pdf_print)
    running = pdf_print is not None and failure is None and pdf_print.failed_at is None
    return EditionState(
        edition=edition if edition is not None and edition.file else None,
        failure=failure,
        printing_since=pdf_print.started_at if running else None,
    )


def _one_to_one(article: Article, name: str):
    try:
        return getattr(article, name)
    except ObjectDoesNotExist:
        return None


def pdf_edition_remove(*, article_id: int) -> None:
    PdfPrint.objects.filter(article_id=article_id).delete()  # no edition is due any more
    edition = PdfEdition.objects.filter(article_id=article_id).first()
    if edition is None:
        return
    name = edition.file.name
    edition.delete()
    if name:
        default_storage.delete(name)
    rendering.article_render_on_save(article=edition.article)
    pages_changed()
