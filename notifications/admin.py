from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from outbox import services as outbox

from . import webhooks
from .models import Follower, WebhookDelivery, WebhookEndpoint


@admin.register(Follower)
class FollowerAdmin(admin.ModelAdmin):
    list_display = ["email", "frequency", "confirmed_at", "unsubscribed_at", "created_at"]
    list_filter = ["frequency", ("confirmed_at", admin.EmptyFieldListFilter), "topics"]
    search_fields = ["email"]
    readonly_fields = ["email", "confirmed_at", "unsubscribed_at", "created_at"]
    filter_horizontal = ["topics", "regions"]

    def has_add_permission(self, request):
        return False  # readers follow and confirm themselves


class _EndpointForm(forms.ModelForm):
    url = forms.URLField(
        max_length=500, assume_scheme="https", widget=forms.URLInput(attrs={"size": 70})
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEndpoint.Event.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["name", "url", "events", "secret", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            webhooks.check_target(url)
        except webhooks.PermanentWebhookError as error:
            raise forms.ValidationError(str(error)) from error
        except webhooks.TransientWebhookError:
            pass  # the host may resolve later; each delivery checks again
        return url


class HealthFilter(admin.SimpleListFilter):
    title = "health"
    parameter_name = "health"

    def lookups(self, request, model_admin):
        return [("failing", "Failing: the latest delivery failed, or disabled")]

    def queryset(self, request, queryset):
        if self.value() == "failing":
            return queryset.failing()
        return queryset


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = _EndpointForm
    list_display = ["name", "url", "is_active", "disabled_reason", "created_at"]
    list_filter = [HealthFilter, "is_active"]
    search_fields = ["name", "url"]
    readonly_fields = ["delivery_log"]

    def get_fields(self, request, obj=None):
        fields = ["name", "url", "events", "secret", "is_active"]
        return [*fields, "disabled_reason", "delivery_log"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["disabled_reason", "delivery_log"] if obj else []

    @admin.display(description="latest deliveries")
    def delivery_log(self, obj: WebhookEndpoint) -> str:
        rows = obj.deliveries.order_by("-attempted_at")[:20]
        items = format_html_join(
            "",
            "<li>{} — {} — {} {}</li>",
            (
                (
                    f"{d.attempted_at:%Y-%m-%d %H:%M:%S}",
                    d.event,
                    d.status_code or "no answer",
                    d.error,
                )
                for d in rows
            ),
        )
        url = (
            reverse("admin:notifications_webhookdelivery_changelist")
            + f"?endpoint__id__exact={obj.pk}"
        )
        return format_html(
            '<ul class="delivery-log">{}</ul><a href="{}">The whole log, and re-send</a>',
            items,
            url,
        )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["attempted_at", "endpoint", "event", "status_code", "error", "duration_ms"]
    list_filter = ["endpoint", "event", "status_code"]
    search_fields = ["event_id"]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Re-send the selected events to their endpoints")
    def resend(self, request, queryset):
        sent = 0
        for delivery in queryset.select_related("notification"):
            if delivery.notification is not None:
                outbox.notification_send_again(notification=delivery.notification)
                sent += 1
        self.message_user(request, f"{sent} event(s) queued again.")
