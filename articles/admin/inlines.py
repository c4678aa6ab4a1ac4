"""What the article form holds below its fields: byline, moves, corrections, notes, links."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.html import format_html

from ..models import (
    ArticleNote,
    Byline,
    Correction,
    Move,
    PreviewLink,
)


class _BylineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        authors = [
            form.cleaned_data["author"]
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if len(authors) != len(set(authors)):
            raise ValidationError("Each author can appear only once in the byline.")


class BylineInline(admin.TabularInline):
    model = Byline
    formset = _BylineFormSet
    extra = 1
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class MoveInline(admin.TabularInline):
    model = Move
    extra = 0
    fields = ["position", "phase", "actor", "action", "expected_response"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 36})}
    }
    verbose_name_plural = "simulation timeline (moves)"


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "note"]
    verbose_name_plural = "public corrections (shown at the end of the article, dated)"
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }


class NoteInline(admin.TabularInline):
    model = ArticleNote
    extra = 1
    fields = ["text", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    verbose_name_plural = "internal notes (only ever shown here)"
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 70})}
    }

    def has_change_permission(self, request, obj=None):
        return False  # a note is a record: add a new one rather than rewrite history


class _PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(required=False, help_text="The link stops working at once.")

    class Meta:
        model = PreviewLink
        fields = ["expires_at"]

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    form = _PreviewLinkForm
    extra = 0
    fields = ["link", "expires_at", "state", "revoke", "created_by"]
    readonly_fields = ["link", "state", "created_by"]
    verbose_name_plural = "preview links (anyone with a link sees the article as it will look)"

    @admin.display(description="link")
    def link(self, obj: PreviewLink) -> str:
        if obj.pk is None:
            return "Save to create the link."
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url())

    @admin.display(description="state")
    def state(self, obj: PreviewLink) -> str:
        if obj.pk is None:
            return ""
        if obj.revoked_at:
            return f"Revoked {obj.revoked_at:%Y-%m-%d %H:%M}"
        return "Expired" if obj.is_expired else "Active"
