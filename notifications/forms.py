import dataclasses

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from articles.models import Region, Topic
from base.languages import language_name

from .follows import Choice
from .models import Follower


class _ChoiceForm(forms.Form):
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    frequency = forms.ChoiceField(
        choices=Follower.Frequency.choices,
        initial=Follower.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
        label=_("How often"),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("topics") and not cleaned.get("regions"):
            raise forms.ValidationError(_("Pick at least one topic or region to follow."))
        return cleaned

    @property
    def choice(self) -> Choice:
        return Choice(
            topics=list(self.cleaned_data["topics"]),
            regions=list(self.cleaned_data["regions"]),
            frequency=self.cleaned_data["frequency"],
        )


class FollowForm(_ChoiceForm):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a complete e-mail address, like name@example.org.")},
    )

    # Each language in its own name; the page's language is ticked (and taken when none is sent).
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=(), required=False)

    field_order = ["email", "topics", "regions", "frequency", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        field.choices = [(code, language_name(code)) for code, _name in settings.LANGUAGES]
        field.initial = translation.get_language()

    @property
    def choice(self) -> Choice:
        language = self.cleaned_data["language"] or translation.get_language()
        return dataclasses.replace(super().choice, language=language)


class ManageForm(_ChoiceForm):
    pass
