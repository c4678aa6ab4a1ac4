"""What follows publication: corrections, report numbers, PDF editions and their prints."""

import reversion
from django.db import models
from django.utils import timezone


@reversion.register()
class Correction(models.Model):
    """A public, dated correction note shown at the end of an article."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Correction of {self.created_at:%Y-%m-%d} to {self.article}"


class ReportNumber(models.Model):
    """Every report number ever given, so that none is given twice, even after a deletion."""

    number = models.CharField(max_length=20, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    article = models.ForeignKey(
        "articles.Article", null=True, on_delete=models.SET_NULL, related_name="report_numbers"
    )
    given_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["year", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="report_number_unique_seq")
        ]

    def __str__(self) -> str:
        return self.number


class PdfEdition(models.Model):
    """The current PDF edition of a public article, kept in media storage.

    Not a field of Article: writing it from a worker must not bump the article's
    `lock_version` (an editor's open form would then be refused) nor its `updated_at`.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="pdf_edition"
    )
    file = models.FileField(upload_to="editions/", max_length=300)
    etag = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)
    # The article's lock_version it was made from: an older one means a new edition is due.
    made_from_version = models.PositiveIntegerField(default=0)
    corrected_on = models.DateTimeField(null=True, blank=True)
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"PDF edition of {self.article_id}"


class PdfPrint(models.Model):
    """The newest print of an article's PDF edition that has not succeeded: running, or
    failed (`failed_at`, with the reason for the editors). Gone once a print succeeds.

    Not fields of PdfEdition: an edition is a file readers fetch, and a first print that
    fails has none. Written when a print starts, so that a print stopped from outside (the
    worker's hard time limit, a killed process) shows as failed once it is overdue.
    """

    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="pdf_print"
    )
    started_at = models.DateTimeField()
    failed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"PDF print of {self.article_id}"
