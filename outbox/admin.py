from django.contrib import admin, messages
from django.utils.html import format_html

from . import services
from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "recipient",
        "status_label",
        "attempts",
        "sent_at",
        "short_error",
    ]
    list_filter = ["status", "event", "channel"]
    search_fields = ["recipient", "key", "subject"]
    date_hierarchy = "created_at"
    actions = ["resend"]
    readonly_fields = [
        "event", "channel", "recipient", "key", "status", "attempts", "last_error",
        "next_attempt_at", "locked_until", "created_at", "updated_at", "sent_at", "subject",
        "body_text", "template", "context", "headers",
    ]  # fmt: skip
    fields = readonly_fields

    def has_add_permission(self, request):
        return False  # rows come from the changes that cause them

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Notification) -> str:
        return format_html(
            '<span class="status status--{}">{}</span>',
            {"sent": "published", "failed": "archived", "pending": "review"}[obj.status],
            obj.get_status_display(),
        )

    @admin.display(description="last error")
    def short_error(self, obj: Notification) -> str:
        return obj.last_error[:80]

    @admin.action(description="Re-send the selected failed notifications")
    def resend(self, request, queryset):
        failed = list(queryset.filter(status=Notification.Status.FAILED))
        for notification in failed:
            services.notification_resend(notification=notification)
        skipped = queryset.count() - len(failed)
        self.message_user(request, f"{len(failed)} notification(s) queued again.")
        if skipped:
            self.message_user(request, f"{skipped} not failed, left as they are.", messages.WARNING)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("outbox.change_notification"):
            actions.pop("resend", None)
        return actions
