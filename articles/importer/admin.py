"""The importer's screens in the admin: imported items (read-only), old addresses, and the
topics proposed by an import, which editors accept or dismiss.

Registered from `ArticlesConfig.ready()`, beside the articles admin and independent of it.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from base.roles import is_editor

from ..models import ImportRecord, Redirect, TermProposal
from .services import term_proposal_accept, term_proposal_dismiss


def _article_link(article) -> str:
    if article is None:
        return "—"
    url = reverse("admin:articles_article_change", args=[article.pk])
    return format_html('<a href="{}">{}</a>', url, article.title)


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ["source_key", "article_link", "imported_at", "updated_at", "edited"]
    list_filter = ["source"]
    search_fields = ["source_key", "guid", "article__title"]
    list_select_related = ["article"]
    readonly_fields = [
        "source",
        "source_key",
        "guid",
        "article_link",
        "content_hash",
        "imported_at",
        "updated_at",
        "edited",
    ]
    fields = readonly_fields

    @admin.display(description="article")
    def article_link(self, obj) -> str:
        return _article_link(obj.article)

    @admin.display(description="edited since import", boolean=True)
    def edited(self, obj) -> bool:
        return obj.edited_since_import

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "article_link", "created_at"]
    search_fields = ["old_path", "article__title", "article__slug"]
    list_select_related = ["article"]
    autocomplete_fields = ["article"]

    @admin.display(description="redirects to")
    def article_link(self, obj) -> str:
        return _article_link(obj.article)


@admin.register(TermProposal)
class TermProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "article_count", "created_at"]
    list_filter = ["status"]
    search_fields = ["name"]
    readonly_fields = ["status", "created_at"]
    filter_horizontal = ["articles"]
    actions = ["accept", "dismiss"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Accept as new topics (and tag their articles)")
    def accept(self, request, queryset):
        if not is_editor(request.user):
            self.message_user(request, "Only editors can add topics.", messages.ERROR)
            return
        for proposal in queryset.filter(status=TermProposal.Status.PENDING):
            topic = term_proposal_accept(proposal=proposal, by=request.user)
            self.message_user(request, f"“{topic.name}” is a topic now.", messages.SUCCESS)

    @admin.action(description="Dismiss")
    def dismiss(self, request, queryset):
        for proposal in queryset.filter(status=TermProposal.Status.PENDING):
            term_proposal_dismiss(proposal=proposal)
        self.message_user(request, "Dismissed.", messages.SUCCESS)
