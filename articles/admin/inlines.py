"""What the article form holds below its fields: byline, moves, corrections, notes, links."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
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


class _ArticleChildFormSet(forms.BaseInlineFormSet):
    """Each row knows its article without asking the database again (rows print it)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)
        return form


class _KnownAuthorSelect(AutocompleteSelect):
    """The author autocomplete, rendering its chosen author from the byline already read
    (the stock widget asks the database once per row)."""

    known: dict[str, object]

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in ("", "None")]
        if not all(v in getattr(self, "known", {}) for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in chosen:
            options.append(self.create_option(name, v, str(self.known[v]), True, len(options)))
        return [(None, options, 0)]


class _BylineFormSet(_ArticleChildFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = {str(f.instance.author_id): f.instance.author for f in self.forms if f.instance.pk}
        for form in self.forms:
            widget = form.fields["author"].widget
            getattr(widget, "widget", widget).known = known

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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author":
            kwargs["widget"] = _KnownAuthorSelect(db_field, self.admin_site)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    verbose_name = "author"
    verbose_name_plural = "authors (in byline order)"


class MoveInline(admin.TabularInline):
    model = Move
    formset = _ArticleChildFormSet
    extra = 0
    fields = ["position", "phase", "actor", "action", "expected_response"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 20})}
    }
    verbose_name_plural = "simulation timeline (moves)"


class CorrectionInline(admin.TabularInline):
    model = Correction
    formset = _ArticleChildFormSet
    extra = 0
    fields = ["created_at", "note"]
    verbose_name_plural = "public corrections (shown at the end of the article, dated)"
    classes = ["collapse"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }


class NoteInline(admin.TabularInline):
    model = ArticleNote
    formset = _ArticleChildFormSet
    extra = 1
    fields = ["text", "created_by", "created_at"]
    readonly_fields = ["created_by", "created_at"]
    verbose_name_plural = "internal notes (only ever shown here)"
    classes = ["collapse"]
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}
    }

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def has_change_permission(self, request, obj=None):
        return False  # a note is a record: add a new one rather than rewrite history


class _PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(required=False, help_text="The link stops working at once.")

    class Meta:
        model = PreviewLink
        fields = ["expires_at"]

    def has_changed(self):
        # A link the editor added is wanted even with its default expiry untouched.
        return self.instance.pk is None or super().has_changed()

    def save(self, commit=True):
        if self.cleaned_data.get("revoke") and self.instance.revoked_at is None:
            self.instance.revoked_at = timezone.now()
        return super().save(commit)


class PreviewLinkInline(admin.TabularInline):
    model = PreviewLink
    form = _PreviewLinkForm
    formset = _ArticleChildFormSet
    extra = 0
    fields = ["link", "expires_at", "state", "revoke", "created_by"]
    readonly_fields = ["link", "state", "created_by"]
    verbose_name_plural = "preview links (anyone with a link sees the article as it will look)"
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    @admin.display(description="link")
    def link(self, obj: PreviewLink) -> str:
        if obj.pk is None:
            return "Save to create the link."
        # The whole address, to paste in a message, with a button that copies it (copy.js).
        address = settings.SITE_URL + obj.get_absolute_url()
        return format_html(
            '<span class="copy-link"><a href="{0}" target="_blank" rel="noopener" '
            'class="copy-link__url" data-copy-source>{0}</a> <button type="button" '
            'class="button copy-link__button" data-copy="{0}">Copy link</button>'
            '<span class="copy-link__done" role="status" aria-live="polite"></span></span>',
            address,
        )

    @admin.display(description="state")
    def state(self, obj: PreviewLink) -> str:
        if obj.pk is None:
            return ""
        if obj.revoked_at:
            return f"Revoked {obj.revoked_at:%Y-%m-%d %H:%M}"
        return "Expired" if obj.is_expired else "Active"
