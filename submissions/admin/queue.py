"""The moderation queue: the list, the filters, and a submission's page with its moves."""

import datetime
import itertools

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from base.diff import DiffBudget, word_diff_html

from .. import services
from ..models import MessageTemplate, Submission
from ..views import attachment_response
from .decisions import (
    CONFIRMED_MOVES,
    MESSAGE_NEEDED,
    MOVES_WITH_MESSAGE,
    MOVES_WITHOUT_MESSAGE,
    AssignForm,
    DecisionForm,
    templates_for,
)

Status = Submission.Status


class AgeFilter(admin.SimpleListFilter):
    title = "waiting"
    parameter_name = "waiting"
    DAYS = {"0": "for a decision", "7": "more than a week", "14": "more than two weeks",
            "30": "more than a month"}  # fmt: skip

    def lookups(self, request, model_admin):
        return list(self.DAYS.items())

    def queryset(self, request, queryset):
        if self.value() in self.DAYS:
            since = timezone.now() - datetime.timedelta(days=int(self.value()))
            return queryset.waiting().filter(confirmed_at__lt=since)
        return queryset


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """The moderation queue: confirmed submissions, oldest first."""

    change_form_template = "admin/submissions/submission/change_form.html"
    list_display = ["title", "contributor", "call", "status", "age", "assignee"]
    list_filter = ["status", "call", "assignee", AgeFilter]
    search_fields = ["title", "summary", "full_name", "email", "professional_title"]
    list_select_related = ["call", "assignee"]
    ordering = ["confirmed_at", "id"]
    actions = ["assign_to_me", "assign_to", "start_review", "reject", "mark_spam"]
    fields = ["assignee"]

    def get_queryset(self, request):
        # Only a confirmed submission is in the queue.
        return super().get_queryset(request).exclude(status=Status.UNCONFIRMED)

    def has_add_permission(self, request):
        return False  # submissions come from contributors

    def has_delete_permission(self, request, obj=None):
        return False  # rejected ones are purged by the retention task

    @admin.display(description="contributor", ordering="full_name")
    def contributor(self, obj: Submission) -> str:
        return f"{obj.full_name}, {obj.professional_title}"

    @admin.display(description="waiting", ordering="confirmed_at")
    def age(self, obj: Submission) -> str:
        if obj.confirmed_at is None:
            return "—"
        days = (timezone.now() - obj.confirmed_at).days
        return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}"

    def save_model(self, request, obj, form, change):
        if "assignee" in form.changed_data:
            services.submission_assign(
                submission=obj, to_user=form.cleaned_data["assignee"], by=request.user
            )
        # The page's one note box: with Save, the note is kept on its own.
        services.submission_add_note(
            submission=obj, by=request.user, text=request.POST.get("internal_note", "")
        )
        # nothing else on a submission is edited here; moves go through the services

    # --- The detail page ----------------------------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(self._detail_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _detail_context(self, request, submission: Submission) -> dict:
        moves = services.available_transitions(submission, request.user)
        message_moves = [m for m in moves if m.name in MOVES_WITH_MESSAGE]
        return {
            "submission": submission,
            "events": submission.events.select_related("actor"),
            "attachments": submission.attachments.all(),
            "rounds": _rounds(submission),
            "editor_moves": [m for m in moves if m.name in MOVES_WITHOUT_MESSAGE],
            "message_moves": message_moves,
            "message_templates": templates_for(message_moves),
            "decision_form": DecisionForm(),
            "notes": submission.notes.select_related("created_by"),
            "article": getattr(submission, "article", None),
        }

    def get_urls(self):
        return [
            path(
                "<int:object_id>/move/<str:name>/",
                self.admin_site.admin_view(self.move_view),
                name="submissions_submission_move",
            ),
            path(
                "<int:object_id>/attachments/<int:attachment_id>/",
                self.admin_site.admin_view(self.attachment_view),
                name="submissions_submission_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, object_id, attachment_id):
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, submission):
            raise PermissionDenied
        return attachment_response(get_object_or_404(submission.attachments, pk=attachment_id))

    def move_view(self, request, object_id, name):
        """A step of the decision panel. GET (the back button, a shared link) shows the step
        to take; POST takes it, after a confirmation where the move cannot be undone."""
        submission = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_change_permission(request, submission):
            raise PermissionDenied
        form = DecisionForm(request.POST or None)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        note = data.get("internal_note", "")
        move = next(
            (m for m in services.available_transitions(submission, request.user) if m.name == name),
            None,
        )
        if move is None:
            return self._not_open(request, submission, note)
        if request.method != "POST":
            return self._step_page(request, submission, move, "", "")
        if name in MOVES_WITHOUT_MESSAGE:
            return self._make_move(request, submission, move, internal_note=note)
        message = data.get("message", "")
        template = data.get("template")
        if not message.strip() and template is not None and template.purpose == name:
            # The "use template" step (without JavaScript): read and edit the text first.
            return self._step_page(request, submission, move, template.body, note)
        confirmed = request.POST.get("confirmed") == "1"
        if confirmed and not message.strip():
            return self._step_page(request, submission, move, message, note, error=MESSAGE_NEEDED)
        if confirmed or (name not in CONFIRMED_MOVES and message.strip()):
            return self._make_move(request, submission, move, message=message, internal_note=note)
        return self._step_page(request, submission, move, message, note)

    def _not_open(self, request, submission, note: str):
        """The step was taken meanwhile, or never open: back to the submission, keeping the
        note typed for it."""
        kept = ""
        if request.method == "POST" and services.submission_add_note(
            submission=submission, by=request.user, text=note
        ):
            kept = " Your internal note is kept with the submission's notes."
        self.message_user(
            request,
            f"“{submission}” is {submission.get_status_display().lower()}: that step is "
            f"not open to it now.{kept}",
            messages.ERROR,
        )
        return self._back_to(submission)

    def _make_move(self, request, submission, move, **arguments):
        try:
            result = {**MOVES_WITH_MESSAGE, **MOVES_WITHOUT_MESSAGE}[move.name](
                submission=submission, by=request.user, **arguments
            )
        except services.TransitionError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back_to(submission)
        if move.name == services.ACCEPT.name:
            self.message_user(
                request,
                f"{move.done}: “{submission}”. The contributor has been e-mailed; "
                "this is the draft made from it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[result.pk]))
        told = " The contributor has been e-mailed." if "message" in arguments else ""
        self.message_user(request, f"{move.done}: “{submission}”.{told}", messages.SUCCESS)
        return self._back_to(submission)

    def _back_to(self, submission):
        return HttpResponseRedirect(
            reverse("admin:submissions_submission_change", args=[submission.pk])
        )

    def _step_page(self, request, submission, move, message, note, error=""):
        form = DecisionForm(initial={"message": message, "internal_note": note})
        return TemplateResponse(
            request,
            "admin/submissions/submission/confirm_move.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{move.label}: “{submission.title}”",
                "submission": submission,
                "move": move,
                "with_message": move.name in MOVES_WITH_MESSAGE,
                "templates": MessageTemplate.objects.filter(purpose=move.name),
                "form": form,
                "error": error,
                "opts": self.model._meta,
                "original": submission,
            },
        )

    # --- Bulk actions ---------------------------------------------------------------------------

    def _each(self, request, queryset, act):
        done, refused = 0, []
        for submission in queryset:
            try:
                act(submission)
                done += 1
            except services.TransitionError as error:
                refused.append(f"“{submission}”: {' '.join(error.messages)}")
        if done:
            self.message_user(request, f"{done} submission{'s' if done != 1 else ''} updated.")
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description="Assign the selected submissions to me")
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: services.submission_assign(
                submission=s, to_user=request.user, by=request.user
            ),
        )

    @admin.action(description="Assign the selected submissions to…")
    def assign_to(self, request, queryset):
        form = AssignForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            assignee = form.cleaned_data["assignee"]
            self._each(
                request,
                queryset,
                lambda s: services.submission_assign(
                    submission=s, to_user=assignee, by=request.user
                ),
            )
            return None
        return self._intermediate(request, queryset, "assign_to", form, "Assign submissions")

    @admin.action(description="Start reviewing the selected submissions")
    def start_review(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: services.submission_start_review(submission=s, by=request.user),
        )

    @admin.action(description="Reject the selected submissions…")
    def reject(self, request, queryset):
        form = DecisionForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            message = data["message"] or (data["template"].body if data["template"] else "")
            self._each(
                request,
                queryset,
                lambda s: services.submission_reject(
                    submission=s, by=request.user, message=message,
                    internal_note=data["internal_note"],
                ),
            )  # fmt: skip
            return None
        form.fields["template"].queryset = MessageTemplate.objects.filter(
            purpose=MessageTemplate.Purpose.REJECT
        )
        return self._intermediate(request, queryset, "reject", form, "Reject submissions")

    @admin.action(description="Mark the selected submissions as spam")
    def mark_spam(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda s: services.submission_mark_spam(submission=s, by=request.user),
        )

    def _intermediate(self, request, queryset, action, form, title):
        return TemplateResponse(
            request,
            "admin/submissions/submission/bulk.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "submissions": queryset,
                "form": form,
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def _rounds(submission: Submission) -> list[dict]:
    """Each earlier round against the one after it: what the contributor changed."""
    snapshots = [(v.round, v.data) for v in submission.versions.all()]
    snapshots.append((submission.round, services.snapshot(submission)))
    rounds = []
    budget = DiffBudget()  # one for the whole page
    for (old_round, old), (new_round, new) in itertools.pairwise(snapshots):
        changes = [
            {
                "label": key.capitalize(),
                "diff_html": word_diff_html(old.get(key, ""), new.get(key, ""), budget=budget),
            }
            for key in new
            if old.get(key, "") != new.get(key, "")
        ]
        rounds.append({"from": old_round, "to": new_round, "changes": changes})
    return rounds
