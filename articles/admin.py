import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from reversion.models import Version

from newsroom.pagecache import EmptiesPageCacheAdmin, pages_changed

from . import services
from .models import (
    Article,
    ArticleNote,
    Author,
    Byline,
    Correction,
    Move,
    PreviewLink,
    Region,
    Series,
    Topic,
)
from .revisions import compare, snapshot, versions_of

# Tag vocabularies are picked with the admin's autocomplete (with a "+" to add a new tag),
# not typed as free text, so that "Drones" and "drones " never become two topics.
TAG_FIELDS = ("topics", "regions")
# The workflow decides these; the change form shows them but never takes them from a POST.
WORKFLOW_FIELDS = ("status", "is_featured", "first_published_at", "last_edited_by")


def _titled_filter(title: str) -> type[admin.RelatedOnlyFieldListFilter]:
    """A related-object filter whose sidebar heading is ours, not the relation's name."""

    class TitledFilter(admin.RelatedOnlyFieldListFilter):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return TitledFilter


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


class ArticleForm(forms.ModelForm):
    # The version of the article this form was opened at (see `Article.lock_version`).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        # What the checks below read; the admin adds every field of its fieldsets.
        fields = ["title", "body", "publish_at"]

    user = None  # set per request by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._refuse_lost_update()
        if self.requested_transition:
            self._check_transition(cleaned)
        if self.data.get("_feature") and not services.is_editor(self.user):
            raise ValidationError("Only editors can feature an article on the home page.")
        if not self.requested_transition and self.instance.status == Article.Status.SCHEDULED:
            publish_at = cleaned.get("publish_at")
            if publish_at is not None and publish_at <= timezone.now():
                self.add_error(
                    "publish_at",
                    "A scheduled article needs a time in the future; to publish it now, "
                    "use “Publish now”.",
                )
        return cleaned

    @property
    def requested_transition(self) -> str | None:
        return self.data.get("_transition") or None

    def _refuse_lost_update(self):
        # Locked until the end of this request's transaction, so nobody saves in between.
        current = (
            Article.objects.select_for_update(of=("self",))
            .select_related("last_edited_by")
            .get(pk=self.instance.pk)
        )
        opened = self.cleaned_data.get("opened_version")
        if opened is not None and opened != current.lock_version:
            who = current.last_edited_by
            name = (who.get_full_name() or who.username) if who else "Someone"
            raise ValidationError(
                f"{name} saved this article at {current.updated_at:%H:%M on %d %B %Y} (UTC), "
                "after you opened it, so your changes were not saved. They are still in the "
                "form below: copy what you need, reload the article, and apply them again.",
                code="lost_update",
            )

    def _check_transition(self, cleaned):
        target = services.TARGETS.get(self.requested_transition)
        if target is None:
            raise ValidationError("Unknown workflow step.")
        candidate = self.instance
        for name in ("title", "body", "publish_at"):
            if name in cleaned:
                setattr(candidate, name, cleaned[name])
        try:
            services.check_transition(
                article=candidate,
                to=target,
                by=self.user,
                publish_at=cleaned.get("publish_at"),
                author_count=_authors_in_post(self.data),
            )
        except services.TransitionError as error:
            raise ValidationError(error.messages) from error


def _authors_in_post(data) -> int:
    """How many authors the byline formset in this POST will leave on the article."""
    total = int(data.get("bylines-TOTAL_FORMS") or 0)
    return sum(
        1
        for i in range(total)
        if data.get(f"bylines-{i}-author") and not data.get(f"bylines-{i}-DELETE")
    )


class WorkflowFilter(admin.SimpleListFilter):
    title = "workflow"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("review", "Needs review"),
            ("scheduled", "Scheduled"),
            ("mine", "Mine"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            return queryset.filter(status=Article.Status.REVIEW).order_by("updated_at")
        if self.value() == "scheduled":
            return queryset.filter(status=Article.Status.SCHEDULED).order_by("publish_at")
        if self.value() == "mine":
            return queryset.filter(
                models.Q(created_by=request.user) | models.Q(bylines__author__user=request.user)
            ).distinct()
        return queryset


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at (UTC)", widget=admin.widgets.AdminSplitDateTime
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/revisions.html"
    list_display = [
        "title",
        "status_label",
        "kind",
        "byline",
        "publish_at",
        "is_featured",
        "last_editor",
        "updated_at",
    ]
    list_filter = [
        WorkflowFilter,
        "status",
        "kind",
        "is_featured",
        "rights",
        ("series", _titled_filter("series")),
        ("tagged_topics__tag", _titled_filter("topic")),
        ("tagged_regions__tag", _titled_filter("region")),
        ("bylines__author", _titled_filter("author")),
    ]
    search_fields = ["title", "dek", "slug", "bylines__author__name"]
    date_hierarchy = "publish_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["series"]
    inlines = [BylineInline, MoveInline, CorrectionInline, NoteInline, PreviewLinkInline]
    readonly_fields = [
        *WORKFLOW_FIELDS,
        "created_by",
        "created_at",
        "updated_at",
        "reading_minutes",
    ]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [
        "send_to_review",
        "publish",
        "schedule",
        "unpublish",
        "archive",
        "feature",
        "unfeature",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "dek", "body", "opened_version"]}),
        ("Tags and series", {"fields": ["topics", "regions", ("series", "series_position")]}),
        (
            "Publication",
            {
                "fields": ["status", "publish_at", "is_featured"],
                "description": "Change the status with the buttons at the bottom of the page. "
                "To schedule, set the time here (UTC), then press “Schedule”.",
            },
        ),
        ("Media", {"fields": ["image", "image_alt", "image_credit", "video_url"]}),
        (
            "Rights",
            {
                "fields": ["rights", "source_outlet", "source_url", "source_published_on"],
                "description": "Exclusive pieces carry the Center's credit-required notice; "
                "republished pieces point search engines to the original.",
            },
        ),
        (
            "Record",
            {
                "fields": [
                    "first_published_at",
                    "created_by",
                    "created_at",
                    "last_edited_by",
                    "updated_at",
                    "reading_minutes",
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    # --- Who may do what -------------------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and services.is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.is_editor(request.user):
            fields.append("publish_at")
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:  # notes and preview links belong to a saved article
            return [i for i in inlines if not isinstance(i, NoteInline | PreviewLinkInline)]
        return inlines

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.is_editor(request.user):
            for name in ("publish", "schedule", "unpublish", "archive", "feature", "unfeature"):
                actions.pop(name, None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in TAG_FIELDS:
            widget = AutocompleteSelectMultiple(db_field, self.admin_site)
            return forms.ModelMultipleChoiceField(
                queryset=db_field.remote_field.model.objects.all(),
                required=False,
                widget=RelatedFieldWidgetWrapper(
                    widget, db_field.remote_field, self.admin_site, can_add_related=True
                ),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- Saving: every save is a revision, status changes go through the services -----------

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("last_edited_by")
            .prefetch_related(Prefetch("bylines", queryset=Byline.objects.select_related("author")))
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        reversion.set_comment(
            "Edited: " + ", ".join(form.changed_data) if change else "Created as a draft"
        )
        super().save_model(request, obj, form, change)
        pages_changed()  # an edit of a published article shows at once

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, ArticleNote | PreviewLink) and instance.created_by_id is None:
                instance.created_by = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        feature = request.POST.get("_feature")
        try:
            if form.requested_transition:
                services.article_apply_transition(
                    article=article,
                    name=form.requested_transition,
                    by=request.user,
                    publish_at=article.publish_at,
                )
            if feature in ("1", "0"):
                services.article_feature(article=article, by=request.user, featured=feature == "1")
        except services.TransitionError as error:
            # The form checked this; only someone else's change in between gets here. The
            # edit is saved; the step is not taken, and the editor is told why.
            self.message_user(
                request, "Saved, but not moved: " + " ".join(error.messages), messages.ERROR
            )
            return
        if form.requested_transition:
            self.message_user(
                request, f"“{article}” is now {article.get_status_display().lower()}."
            )

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_transition"):
            return self._back_to_form(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("_transition") or request.POST.get("_feature"):
            return self._back_to_form(request, obj)
        return super().response_change(request, obj)

    def _back_to_form(self, request, obj):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article()
        context["transitions"] = services.available_transitions(article, request.user)
        context["can_feature"] = (
            obj is not None and services.is_editor(request.user) and article.is_public
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj: Article) -> str | None:
        return obj.get_absolute_url() if obj.is_public else None

    # --- List ----------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = (extra_context or {}) | {
            "needs_review": Article.objects.filter(status=Article.Status.REVIEW).count()
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="authors")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.ordered_authors())

    @admin.display(description="status", ordering="status")
    def status_label(self, obj: Article) -> str:
        return format_html(
            '<span class="status status--{}">{}</span>', obj.status, obj.get_status_display()
        )

    @admin.display(description="last editor", ordering="last_edited_by__username")
    def last_editor(self, obj: Article) -> str:
        user = obj.last_edited_by
        return (user.get_full_name() or user.username) if user else "—"

    def _apply_to_each(self, request, queryset, name: str, **kwargs):
        done, refused = 0, []
        for article in queryset:
            try:
                if name == "feature":
                    services.article_feature(article=article, by=request.user, **kwargs)
                else:
                    services.article_apply_transition(
                        article=article, name=name, by=request.user, **kwargs
                    )
                done += 1
            except services.TransitionError as error:
                refused.append(f"“{article}”: {' '.join(error.messages)}")
        if done:
            self.message_user(request, f"{done} article{'s' if done != 1 else ''} updated.")
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description="Send selected articles to review")
    def send_to_review(self, request, queryset):
        self._apply_to_each(request, queryset, services.SUBMIT.name)

    @admin.action(description="Publish selected articles now")
    def publish(self, request, queryset):
        self._apply_to_each(request, queryset, services.PUBLISH.name)

    @admin.action(description="Schedule selected articles…")
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._apply_to_each(
                request,
                queryset,
                services.SCHEDULE.name,
                publish_at=form.cleaned_data["publish_at"],
            )
            return None
        return TemplateResponse(
            request,
            "admin/articles/article/schedule.html",
            {
                **self.admin_site.each_context(request),
                "title": "Schedule articles",
                "articles": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "media": self.media + form.media,
            },
        )

    @admin.action(description="Unpublish selected articles (back to draft)")
    def unpublish(self, request, queryset):
        self._apply_to_each(request, queryset, services.UNPUBLISH.name)

    @admin.action(description="Archive selected articles (their pages answer 410 Gone)")
    def archive(self, request, queryset):
        self._apply_to_each(request, queryset, services.ARCHIVE.name)

    @admin.action(description="Feature selected articles on the home page")
    def feature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=True)

    @admin.action(description="Stop featuring selected articles")
    def unfeature(self, request, queryset):
        self._apply_to_each(request, queryset, "feature", featured=False)

    # --- History: revisions, compare, revert ---------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<path:object_id>/revisions/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="articles_article_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="articles_article_revert",
            ),
            *super().get_urls(),
        ]

    def _article_for(self, request: HttpRequest, object_id: str) -> Article:
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def history_view(self, request, object_id, extra_context=None):
        article = self._article_for(request, object_id)
        return TemplateResponse(
            request,
            self.object_history_template,
            {
                **self.admin_site.each_context(request),
                "title": f"History of “{article}”",
                "subtitle": None,
                "object": article,
                "opts": self.model._meta,
                "versions": versions_of(article),
                "can_revert": self.has_change_permission(request, article),
            },
        )

    def compare_view(self, request, object_id):
        article = self._article_for(request, object_id)
        versions = versions_of(article)
        try:
            chosen = [versions.get(pk=int(request.GET[key])) for key in ("from", "to")]
        except (KeyError, ValueError, Version.DoesNotExist):
            self.message_user(request, "Choose two revisions to compare.", messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:articles_article_history", args=[article.pk])
            )
        older, newer = sorted(chosen, key=lambda v: (v.revision.date_created, v.pk))
        return TemplateResponse(
            request,
            "admin/articles/article/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Changes to “{article}”",
                "object": article,
                "opts": self.model._meta,
                "older": older,
                "newer": newer,
                "changes": compare(snapshot(older), snapshot(newer)),
                "can_revert": self.has_change_permission(request, article),
            },
        )

    def revert_view(self, request, object_id, version_id):
        article = self._article_for(request, object_id)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(versions_of(article), pk=version_id)
        if request.method == "POST":
            try:
                services.article_revert(article=article, version=version, by=request.user)
            except services.TransitionError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Reverted to the revision of {version.revision.date_created:%d %B %Y %H:%M}. "
                    "The status is unchanged.",
                )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        current = versions_of(article).first()
        return TemplateResponse(
            request,
            "admin/articles/article/revert.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Revert “{article}”?",
                "object": article,
                "opts": self.model._meta,
                "version": version,
                "changes": compare(snapshot(current), snapshot(version)) if current else [],
            },
        )


def _with_article_count(queryset, relation: str):
    return queryset.annotate(article_count=Count(relation, distinct=True))


class _ArticleCountMixin:
    count_relation = "articles"

    def get_queryset(self, request):
        return _with_article_count(super().get_queryset(request), self.count_relation)

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj) -> int:
        return obj.article_count


@admin.register(Author)
class AuthorAdmin(EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin):
    list_display = ["name", "title", "affiliation", "is_contributor", "article_count"]
    list_filter = ["is_contributor"]
    search_fields = ["name", "title", "affiliation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Series)
class SeriesAdmin(EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin):
    list_display = ["title", "is_active", "article_count"]
    list_filter = ["is_active"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Topic)
class TopicAdmin(EmptiesPageCacheAdmin, _ArticleCountMixin, admin.ModelAdmin):
    count_relation = "tagged_articles"
    ordering = ["name"]
    list_display = ["name", "slug", "article_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Region)
class RegionAdmin(TopicAdmin):
    pass
