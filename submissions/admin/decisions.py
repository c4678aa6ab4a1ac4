"""What an editor decides on a submission: the forms, and which moves need a message."""

from django import forms

from base.roles import editors

from .. import services
from ..models import MessageTemplate, Submission

Status = Submission.Status


class DecisionForm(forms.Form):
    """What an editor sends with a move: a message (from a template, edited) and a note."""

    template = forms.ModelChoiceField(
        queryset=MessageTemplate.objects.all(), required=False, label="Start from a template"
    )
    message = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        required=False,
        label="Message to the contributor",
    )
    internal_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}), required=False
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        queryset=editors(),
        label="Assign to",
    )


MOVES_WITH_MESSAGE = {
    services.REQUEST_REVISION.name: services.submission_request_revision,
    services.ACCEPT.name: services.submission_accept,
    services.REJECT.name: services.submission_reject,
}
MOVES_WITHOUT_MESSAGE = {
    services.START_REVIEW.name: services.submission_start_review,
    services.MARK_SPAM.name: services.submission_mark_spam,
}
# Decisions that cannot be taken back: the editor reads the message once more and confirms.
CONFIRMED_MOVES = {services.ACCEPT.name, services.REJECT.name}
MESSAGE_NEEDED = "Write the message the contributor will read with this decision."


def templates_for(moves: list) -> list[dict]:
    """The message templates of the decisions open now, grouped by decision."""
    by_purpose = {move.name: {"move": move, "templates": []} for move in moves}
    for template in MessageTemplate.objects.filter(purpose__in=list(by_purpose)):
        by_purpose[template.purpose]["templates"].append(template)
    return [group for group in by_purpose.values() if group["templates"]]
