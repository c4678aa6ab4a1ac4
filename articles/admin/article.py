"""The article admin: the list, the change form and its workflow buttons."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple, RelatedFieldWidgetWrapper
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from base.roles import can_edit, is_editor

from .. import content_checks, rendering, services
from ..models import Article, Author
from ..revisions import restored_parts
from .actions import CONFIRMED_MOVES, ArticleActionsMixin
from .choosers import ArticleChoosersMixin
from .editor import ArticleEditorMixin, MarkdownEditor
from .filters import WorkflowFilter, titled_filter
from .forms import NEW_ARTICLE_MOVES, ArticleForm, NewlineTextField
from .inlines import BylineInline, CorrectionInline, MoveInline, NoteInline, PreviewLinkInline
from .parts import parts_from, touched_parts
from .paste import ArticlePasteMixin
from .pdf_editions import PDF_FAILED, PdfEditionAdminMixin, pdf_failed_mark
from .presence import ArticlePresenceMixin
from .read_only import ArticleReadOnlyMixin
from .revisions import ArticleRevisionsMixin
from .translations import ArticleTranslationsMixin

# Tag vocabularies are picked with the admin's autocomplete (with a "+" to add a new tag),
# not typed as free text, so that "Drones" and "drones " never become two topics.
TAG_FIELDS = ("topics", "regions")
# The workflow decides these; the change form shows them but never takes them from a POST.
WORKFLOW_FIELDS = ("status", "is_featured", "first_published_at", "last_edited_by")


@admin.register(Article)
class ArticleAdmin(
    ArticleActionsMixin,
    ArticleChoosersMixin,
    ArticleEditorMixin,
    ArticlePasteMixin,
    ArticleReadOnlyMixin,
    ArticleRevisionsMixin,
    ArticleTranslationsMixin,
    ArticlePresenceMixin,
    PdfEditionAdminMixin,
    admin.ModelAdmin,
):
    form = ArticleForm
    change_form_template = "admin/articles/article/change_form.html"
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/revisions.html"
    # Few columns, so that titles keep their width: status, kind and the featured mark
    # sit under the title.
    list_display = ["headline", "byline", "publication", "last_change"]
    list_display_links = ["headline"]
    list_filter = [
        WorkflowFilter,
        "status",
        "kind",
        "is_featured",
        "rights",
        ("series", titled_filter("series")),
        ("tagged_topics__tag", titled_filter("topic")),
        ("tagged_regions__tag", titled_filter("region")),
        ("bylines__author", titled_filter("author")),
    ]
    search_fields = ["title", "dek", "slug", "bylines__author__name"]
    date_hierarchy = "publish_at"
    autocomplete_fields = ["series"]
    inlines = [BylineInline, MoveInline, CorrectionInline, NoteInline, PreviewLinkInline]
    readonly_fields = [
        *WORKFLOW_FIELDS,
        "created_by",
        "created_at",
        "updated_at",
        "reading_minutes",
        "pdf_edition_status",
    ]
    formfield_overrides = {
        models.URLField: {"assume_scheme": "https"},
        models.TextField: {"form_class": NewlineTextField},
    }
    actions = [
        "send_to_review",
        "publish",
        "schedule",
        "unpublish",
        "archive",
        "feature",
        "unfeature",
        "print_pdf_again",
    ]

    class Media:
        css = {"all": ["css/article-editor.css"]}

    fieldsets = [
        (
            "Content",
            {
                "fields": [
                    "title",
                    ("kind", "slug"),
                    "dek",
                    "body",
                    "opened_version",
                    "reverted_from",
                ]
            },
        ),
        ("Tags and series", {"fields": ["topics", "regions", ("series", "series_position")]}),
        (
            "Publication",
            {
                "fields": ["status", "publish_at", "is_featured", "pdf_edition_status"],
                "description": "Change the status with the buttons at the bottom of the page. "
                "To schedule, set the time here (UTC), then press “Schedule”.",
            },
        ),
        (
            "Media",
            {
                "fields": ["image", "image_alt", "image_credit", "video_url"],
                "classes": ["collapse"],
            },
        ),
        (
            "Rights",
            {
                "fields": [
                    "rights",
                    "source_outlet",
                    "source_url",
                    "original_author",
                    "source_published_on",
                ],
                "description": "Exclusive pieces carry the Center's credit-required notice; "
                "republished pieces point search engines to the original.",
                "classes": ["collapse"],
            },
        ),
        (
            "Report and DOI",
            {
                "fields": [
                    "doi",
                    "report_number",
                    "key_takeaways",
                    "recommendations",
                    "about_report",
                ],
                "description": "A DOI shows in every citation. Reports get a number "
                "CC-YYYY-NNN when they are published; takeaways and recommendations show "
                "in a box at the top of the report and in its PDF.",
                "classes": ["collapse"],
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
        return obj is None or can_edit(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and is_editor(request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_editor(request.user):
            fields.append("publish_at")
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_editor(request.user):
            for name in (
                "publish",
                "schedule",
                "unpublish",
                "archive",
                "feature",
                "unfeature",
                "print_pdf_again",
            ):
                actions.pop(name, None)
        return actions

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        version = self.reverting_to(request, obj)
        if version is not None:
            form.revert_initial = self.revert_initial(version)
            self.message_user(
                request,
                f"This is the content of the revision of "
                f"{version.revision.date_created:%d %B %Y, %H:%M} UTC. Review it and press "
                "Save to make it the current text; the status, dates and corrections stay as "
                "they are, and the current text stays in the history. Saving also brings back "
                "that revision's authors and simulation timeline, unless you change them below.",
                messages.WARNING,
            )
        return form

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = MarkdownEditor
        elif db_field.name == "dek":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
        elif db_field.name == "title":
            # A text area that grows with the headline, so that a long one is never cut.
            kwargs["widget"] = forms.Textarea(
                attrs={"class": "article-title-input", "rows": 2, "maxlength": db_field.max_length}
            )
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
            .select_related("last_edited_by", "pdf_edition", "pdf_print")
            .with_bylines()
        )

    def save_model(self, request, obj, form, change):
        """Nothing here: `save_related` hands the article and its parts to the service."""

    def delete_model(self, request, obj):
        # The bodies linking to it show their words without a link from now on.
        rendering.linking_render(deleted=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One transaction, as Django gives the single delete: the lists' counts made for the
        # deletion (list_counts, through linking_render) stand only if the rows go.
        with transaction.atomic():
            rendering.linking_render(deleted=list(queryset.values_list("pk", flat=True)))
            super().delete_queryset(request, queryset)

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin's log line: the services saved the inlines, so Django's own message
        # (which reads what each formset saved) has nothing to read.
        if add:
            return [{"added": {}}]
        names = [*form.changed_data, *touched_parts(formsets)]
        labels = [
            services.field_label(name) for name in names if name not in services.FORM_ONLY_FIELDS
        ]
        return [{"changed": {"fields": labels}}] if labels else []

    def save_related(self, request, form, formsets, change):
        """The form's fields and inlines, as plain data, to the edit services."""
        article = form.instance
        if change:
            reverted = form.reverted_version()
            restored = (
                restored_parts(reverted, article, touched=touched_parts(formsets))
                if reverted
                else {}
            )
            parts = parts_from(form, formsets, **restored)
            request.article_unchanged = not services.changes_anything(
                [*form.changed_data, *parts.given()]
            )
            services.article_update(
                article=article,
                by=request.user,
                changed=form.changed_data,
                opened_version=form.cleaned_data.get("opened_version"),
                parts=parts,
                minor=bool(form.cleaned_data.get("minor_edit")),
                comment=(
                    f"Reverted to the revision of {reverted.revision.date_created:%Y-%m-%d %H:%M}"
                    " UTC (" + services.describe_changes([*form.changed_data, *parts.given()]) + ")"
                    if reverted
                    else None
                ),
            )
        else:
            services.article_create(
                article=article, by=request.user, parts=parts_from(form, formsets)
            )
        form.forget_kept_image()
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
        if getattr(request, "article_unchanged", False):
            # Django would say "changed successfully"; nothing was, and no revision written.
            self.message_user(
                request, "Nothing changed, so nothing was saved and no revision was written."
            )
            if "_continue" in request.POST:
                return self._back_to_form(request, obj)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def _back_to_form(self, request, obj):
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        article = obj or Article()
        moves = services.available_transitions(article, request.user)
        if obj is None:
            moves = [move for move in moves if move.name in NEW_ARTICLE_MOVES]
        context["transitions"] = [move for move in moves if move.name not in CONFIRMED_MOVES]
        context["confirmed_moves"] = [
            {"move": move, "explanation": CONFIRMED_MOVES[move.name]}
            for move in moves
            if move.name in CONFIRMED_MOVES
        ]
        form = context["adminform"].form
        if form.is_bound:
            # A refused form: the checks of what it holds, and its chosen image kept.
            form.is_valid()
            content = form.content()
            if "image" not in form.errors:
                form.keep_image_for_next_try()
        else:
            default_authors = 1 if obj is None and self._own_author(request) else None
            content = content_checks.Content.of(article, author_count=default_authors)
        findings = content_checks.run_checks(content)
        context["content_checks"] = findings
        context["checks_errors"] = len(content_checks.errors(findings))
        context["checks_warnings"] = len(findings) - context["checks_errors"]
        if obj is None:
            autosave_url = reverse("admin:articles_article_autosave_new")
        elif obj.status in services.AUTOSAVE_STATUSES and can_edit(request.user, obj):
            autosave_url = reverse("admin:articles_article_autosave", args=[obj.pk])
        else:
            autosave_url = ""  # a public article changes only when someone presses Save
        context["autosave_url"] = autosave_url
        context["can_feature"] = obj is not None and is_editor(request.user) and article.is_public
        context["pdf_failure"] = self.pdf_failure(obj)
        context["pdf_failed"] = PDF_FAILED
        return super().render_change_form(request, context, add, change, form_url, obj)

    def view_on_site(self, obj: Article) -> str:
        """Where "View as readers will see it" leads: the public page once readers see it,
        the newsroom's own rendering of the page before."""
        if obj.is_public:
            return obj.get_absolute_url()
        return reverse("admin:articles_article_as_readers", args=[obj.pk])

    # --- A new article is signed by its editor ---------------------------------------------

    def _own_author(self, request) -> Author | None:
        """The author profile of the person writing, if they have one."""
        if not hasattr(request, "_own_author"):
            request._own_author = Author.objects.filter(user=request.user).first()
        return request._own_author

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # A new article's byline starts with the editor's own author profile. Only on the
        # empty form: a submitted form says itself who signs it.
        if prefix == "bylines" and request.method == "GET" and (obj is None or obj.pk is None):
            author = self._own_author(request)
            if author is not None:
                kwargs["initial"] = [{"author": author.pk}]
        return kwargs

    # --- List ----------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = (extra_context or {}) | {
            "needs_review": Article.objects.filter(status=Article.Status.REVIEW).count()
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="authors")
    def byline(self, obj: Article) -> str:
        return ", ".join(author.name for author in obj.ordered_authors())

    @admin.display(description="title", ordering="title")
    def headline(self, obj: Article) -> str:
        return format_html(
            '<span class="article-row__title">{}</span>'
            '<span class="article-row__meta"><span class="status status--{}">{}</span> {}{}{}'
            "</span>",
            obj.title,
            obj.status,
            obj.get_status_display(),
            obj.get_kind_display(),
            " · featured on the home page" if obj.is_featured else "",
            pdf_failed_mark(obj),
        )

    @admin.display(description="last change", ordering="updated_at")
    def last_change(self, obj: Article) -> str:
        user = obj.last_edited_by
        who = (user.get_full_name() or user.username) if user else "—"
        return format_html(
            '{}<span class="article-row__meta">{}</span>', who, f"{obj.updated_at:%d %b %Y %H:%M}"
        )

    @admin.display(description="publication", ordering="publish_at")
    def publication(self, obj: Article) -> str:
        if obj.publish_at is None:
            return "—"
        return format_html(
            '{}<span class="article-row__meta">{} UTC</span>',
            f"{obj.publish_at:%d %b %Y}",
            f"{obj.publish_at:%H:%M}",
        )
