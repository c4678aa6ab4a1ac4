"""Open calls and the editors' message templates."""

from django.contrib import admin

from base.pagecache import EmptiesPageCacheAdmin
from outbox.purges import PurgesTagsAdmin

from ..models import Call, MessageTemplate, Submission

Status = Submission.Status


@admin.register(Call)
class CallAdmin(PurgesTagsAdmin, EmptiesPageCacheAdmin, admin.ModelAdmin):
    list_display = ["title", "deadline", "is_open", "accepting", "series", "submission_count"]
    list_filter = ["is_open", "series"]
    search_fields = ["title", "brief"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series"]

    @admin.display(boolean=True, description="takes submissions now")
    def accepting(self, obj: Call) -> bool:
        return obj.accepts_submissions

    @admin.display(description="confirmed submissions")
    def submission_count(self, obj: Call) -> int:
        return obj.submissions.exclude(status=Status.UNCONFIRMED).count()


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "purpose"]
    list_filter = ["purpose"]
