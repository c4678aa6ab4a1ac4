import time

import phonenumbers
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import MaxLengthValidator
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.models import Region, Topic
from base.control_characters import validate_multi_line, validate_one_line
from base.languages import language_name

from . import stash
from .models import Submission, SubmissionMove
from .uploads import ALLOWED_KINDS, MAX_FILES, validate_attachment

STARTED_SALT = "submissions.form-started"


def _figure(number: int) -> str:
    """A count in the reader's language's format: 20,000 or 20 000."""
    return number_format(number, force_grouping=True)


def _up_to(limit: int, help_text="") -> str:
    """The help under a capped box, translated when the form is shown, not when it is made."""
    cap = _("Up to %(limit)s characters.") % {"limit": _figure(limit)}
    return f"{help_text} {cap}" if help_text else cap


_up_to_lazy = lazy(_up_to, str)


def _attachments_help() -> str:
    return _("Up to %(count)s files: PDF, CSV, XLSX, JSON, PNG or JPEG, 10 MB each.") % {
        "count": MAX_FILES
    }


class _CharacterCap(MaxLengthValidator):
    def __call__(self, value: str) -> None:
        if len(value) > self.limit_value:
            raise forms.ValidationError(
                _(
                    "This can be up to %(limit)s characters and has %(count)s. "
                    "Please shorten it: everything you typed is still here."
                )
                % {"limit": _figure(self.limit_value), "count": _figure(len(value))},
                code="max_length",
            )


class LongText(forms.CharField):
    """A capped text box: the browser counts a line break as one character, so do we."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [
            _CharacterCap(self.max_length) if isinstance(v, MaxLengthValidator) else v
            for v in self.validators
        ]
        self.validators.append(validate_multi_line)
        if self.max_length:
            self.help_text = _up_to_lazy(self.max_length, self.help_text)

    def to_python(self, value) -> str:
        return super().to_python(value).replace("\r\n", "\n")


def _one_line(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Names and titles go on one line of a byline, a citation or a Crossref file."""
    for name in names:
        form.fields[name].validators.append(validate_one_line)


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", _MultipleFileInput(attrs={"accept": ",".join(sorted(ALLOWED_KINDS))})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


ONE_LINE_FIELDS = (
    "full_name",
    "phone",
    "professional_title",
    "affiliation",
    "title",
    "actors_other",
)


class SimulationFields(forms.ModelForm):
    """The fields a contributor fills in, first time or when revising."""

    actor_regions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Actors: regions and states"),
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    proposed_topics = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Proposed topics"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        required=False,
        label=gettext_lazy("Attachments"),
        help_text=lazy(_attachments_help, str)(),
    )

    class Meta:
        model = Submission
        fields = [
            "full_name", "phone", "professional_title", "affiliation", "bio",
            "title", "summary", "scenario", "actor_regions", "actors_other", "assumptions",
            "outcomes", "proposed_topics",
        ]  # fmt: skip
        field_classes = dict.fromkeys(
            ("bio", "summary", "scenario", "assumptions", "outcomes"), LongText
        )
        labels = {
            "full_name": gettext_lazy("Full name"),
            "phone": gettext_lazy("Phone"),
            "professional_title": gettext_lazy("Professional title"),
            "affiliation": gettext_lazy("Affiliation"),
            "bio": gettext_lazy("Short bio"),
            "title": gettext_lazy("Title of the simulation"),
            "summary": gettext_lazy("Summary"),
            "scenario": gettext_lazy("Scenario"),
            "actors_other": gettext_lazy("Other actors"),
            "assumptions": gettext_lazy("Assumptions"),
            "outcomes": gettext_lazy("Outcomes"),
        }
        help_texts = {
            "professional_title": gettext_lazy(
                "As it should appear under your name, e.g. “Senior Analyst”."
            ),
            "phone": gettext_lazy(
                "International format with the country code, e.g. +994 12 345 67 89. "
                "Only the editors see it."
            ),
            "summary": gettext_lazy("Two or three sentences."),
            "scenario": gettext_lazy(
                "Markdown: ## headings, *emphasis*, lists, tables, footnotes."
            ),
            "actors_other": gettext_lazy(
                "Organisations or groups not in the list, separated by commas."
            ),
        }
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "scenario": forms.Textarea(attrs={"rows": 14}),
            "assumptions": forms.Textarea(attrs={"rows": 5}),
            "outcomes": forms.Textarea(attrs={"rows": 5}),
        }

    existing_files = 0  # files already attached (a revision keeps some)
    kept_files = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _one_line(self, ONE_LINE_FIELDS)
        self.good_uploads: list[tuple] = []  # passed their checks, whatever else failed

    @property
    def kept(self) -> list[stash.KeptFile]:
        """Files kept from an earlier try of this form, minus those the contributor dropped."""
        dropped = set(self.data.getlist("drop_kept")) if hasattr(self.data, "getlist") else set()
        return [
            f for f in stash.from_token(self.data.get("kept_files", "")) if f.name not in dropped
        ]

    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()
        message = _(
            "Enter the number in international format, starting with + and the country "
            "code, e.g. +994 12 345 67 89."
        )
        try:
            number = phonenumbers.parse(raw, None)
        except phonenumbers.NumberParseException as error:
            raise forms.ValidationError(message) from error
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(message)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

    def clean_attachments(self) -> list:
        files = self.cleaned_data["attachments"]
        already = self.existing_files + len(self.kept)
        if already + len(files) > MAX_FILES:
            raise forms.ValidationError(
                _(
                    "You can attach up to %(limit)s files in all; "
                    "%(already)s are attached already and you chose %(chosen)s more."
                )
                % {"limit": MAX_FILES, "already": already, "chosen": len(files)}
            )
        errors = []
        for upload in files:
            try:
                self.good_uploads.append((upload, validate_attachment(upload)))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return self.good_uploads

    @property
    def submission_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["actor_regions"] = list(data["actor_regions"])
        data["proposed_topics"] = list(data["proposed_topics"])
        return data


class SubmissionForm(SimulationFields):
    email = forms.EmailField(
        label=gettext_lazy("E-mail"),
        help_text=gettext_lazy("We send a confirmation link here. Only the editors see it."),
        error_messages={
            "invalid": gettext_lazy("Enter a complete e-mail address, like name@example.org.")
        },
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "I agree that, if accepted, my simulation is published under my name and "
            "professional title."
        ),
        error_messages={
            "required": gettext_lazy("We can only consider a simulation we may publish.")
        },
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails"), choices=(), required=False
    )
    # Left empty by people; filled by bots that fill every field.
    website = forms.CharField(required=False, label=gettext_lazy("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(SimulationFields.Meta):
        fields = ["email", *SimulationFields.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = signing.dumps(time.time(), salt=STARTED_SALT)
        # The form reads in this order: who you are, then the simulation.
        order = ["full_name", "email", *SimulationFields.Meta.fields[1:], "attachments"]
        self.order_fields([*order, "language", "consent", "website", "started"])
        # Each language in its own name; the page's language is ticked (and taken when none
        # is sent).
        self.fields["language"].choices = [
            (code, language_name(code)) for code, _name in settings.LANGUAGES
        ]
        self.fields["language"].initial = translation.get_language()

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        cleaned = super().clean()
        started = self._started()
        max_hours = settings.SUBMISSIONS_FORM_MAX_HOURS
        if started is not None and time.time() - started > max_hours * 3600:
            # Sent from a page left open too long (or replayed): ask again, with a fresh clock.
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
            raise forms.ValidationError(
                _(
                    "This form was opened more than %(hours)s hours ago, so we ask you to send "
                    "it once more. Everything you typed is still here: check it and send it "
                    "again."
                )
                % {"hours": max_hours},
                code="stale",
            )
        return cleaned

    def _started(self) -> float | None:
        try:
            return float(signing.loads(self.data.get("started", ""), salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            return None

    @property
    def is_from_a_bot(self) -> bool:
        """Honeypot filled, or sent faster than a person could: dropped without a word."""
        if self.data.get("website"):
            return True
        started = self._started()
        return started is None or time.time() - started < settings.SUBMISSIONS_MIN_SECONDS

    @property
    def submission_data(self) -> dict:
        language = self.cleaned_data["language"] or translation.get_language()
        return super().submission_data | {
            "email": self.cleaned_data["email"],
            "consent": True,
            "language": language,
        }


class MoveForm(forms.ModelForm):
    class Meta:
        model = SubmissionMove
        fields = ["phase", "actor", "action", "expected_response"]
        field_classes = {"action": LongText, "expected_response": LongText}
        labels = {
            "phase": gettext_lazy("Phase"),
            "actor": gettext_lazy("Actor"),
            "action": gettext_lazy("Action"),
            "expected_response": gettext_lazy("Expected response"),
        }
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "expected_response": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _one_line(self, ("phase", "actor"))


MoveFormSet = forms.formset_factory(
    MoveForm, extra=0, min_num=1, validate_min=True, max_num=40, validate_max=True,
    can_delete=True,
)  # fmt: skip


def moves_from(formset) -> list[dict]:
    return [
        {name: form.cleaned_data[name] for name in MoveForm.Meta.fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


class LostLinkForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("The e-mail address you submitted with"),
        error_messages={
            "invalid": gettext_lazy("Enter a complete e-mail address, like name@example.org.")
        },
    )


class WithdrawForm(forms.Form):
    """The second step of a withdrawal: the contributor says they have read what it means."""

    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that withdrawing ends my submission and cannot be undone."
        ),
        error_messages={
            "required": gettext_lazy(
                "Tick the box to withdraw, or go back to keep your submission."
            ),
        },
    )
