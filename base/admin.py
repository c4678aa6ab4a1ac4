from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from . import services
from .models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_delete_permission(self, request, obj=None):
        return False  # a key is revoked, and stays listed with when it was last used

    def get_fields(self, request, obj=None):
        return ["name"] if obj is None else self.fields

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        key, raw = services.api_key_issue(name=obj.name, by=request.user)
        obj.pk = key.pk
        obj.prefix = key.prefix
        obj._raw_key = raw  # for response_add, which shows it once

    def response_add(self, request, obj, post_url_continue=None):
        """The new key on its own page, in this response only: never in a message, which the
        default storage keeps in a cookie, and never cached."""
        response = TemplateResponse(
            request,
            "admin/newsroom/apikey/issued.html",
            {
                **self.admin_site.each_context(request),
                "title": f"The API key for {obj.name}",
                "key": obj,
                "raw_key": obj._raw_key,
                "opts": self.model._meta,
            },
        )
        add_never_cache_headers(response)
        patch_cache_control(response, no_store=True)
        return response

    @admin.action(description="Revoke the selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        count = services.api_key_revoke(keys=queryset, by=request.user)
        self.message_user(request, f"{count} key{'s' if count != 1 else ''} revoked.")
