"""What the article admin shows and does about PDF editions: their state on the change
page and in the list (a print that failed stands out), and printing them again."""

from django.conf import settings
from django.contrib import admin
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.html import format_html

from .. import citations, editions
from ..models import Article

PDF_FAILED = "PDF edition could not be made"


def pdf_failed_mark(article: Article) -> str:
    """For the list: the words above when the newest print of a public article failed."""
    if not article.is_public or not editions.pdf_edition_state(article).failure:
        return ""
    return format_html(" · <strong>{}</strong>", PDF_FAILED)


class PdfEditionAdminMixin:
    @admin.display(description="PDF edition")
    def pdf_edition_status(self, obj: Article) -> str:
        if obj.pk is None or not obj.is_public:
            return "Made when the article is published."
        if not settings.PDF_EDITIONS:
            return "PDF editions are turned off on this site (PDF_EDITIONS)."
        return render_to_string(
            "admin/articles/article/_pdf_edition.html",
            {
                "state": editions.pdf_edition_state(obj),
                "pdf_url": citations.pdf_url(obj),
                "failed": PDF_FAILED,
            },
        )

    @admin.action(description="Print the PDF editions of selected articles again")
    def print_pdf_again(self, request, queryset):
        public = [article for article in queryset if article.is_public]
        with transaction.atomic():  # printed once this commits
            for article in public:
                editions.pdf_edition_schedule(article=article)
        self.message_user(
            request,
            f"{len(public)} PDF edition{'s' if len(public) != 1 else ''} will be printed again "
            "in a moment (only published articles have one).",
        )

    def pdf_failure(self, article: Article | None) -> str | None:
        """Why the newest print of `article`'s edition failed, for the change page's top."""
        if article is None or not article.is_public or not settings.PDF_EDITIONS:
            return None
        return editions.pdf_edition_state(article).failure
