"""The article form: its fields as the services expect them, and its checks (the services')."""

import copy

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from reversion.models import Version

from base.languages import text_direction
from base.slugs import free_slug, readable_slug

from .. import content_checks, kept_image, services
from ..models import Article
from ..revisions import versions_of

# The article's own columns a form may carry (tags and inlines are counted apart).
ARTICLE_FIELDS = {
    f.name for f in Article._meta.concrete_fields if f.name not in ("id", "search_vector")
}
# What may be asked of an article that is not saved yet (archiving it means nothing).
NEW_ARTICLE_MOVES = (services.SUBMIT.name, services.PUBLISH.name, services.SCHEDULE.name)


class NewlineTextField(forms.CharField):
    """A text area's value with LF line endings, as the article stores it, so that a text
    sent back unchanged by a browser (with CRLF) does not count as changed."""

    def to_python(self, value):
        value = super().to_python(value)
        return services.normalize_newlines(value) if isinstance(value, str) else value


class ArticleTextForm(forms.ModelForm):
    """The article's text (title, standfirst, body) cleaned as Save cleans it. The change
    form is this with the rest of the article; autosave validates with this alone, built by
    the admin so that its fields are the change form's own (`ArticleEditorMixin`)."""

    class Meta:
        model = Article
        fields = list(services.AUTOSAVE_FIELDS)

    def clean_title(self):
        # The title is typed in a text area; it stays one line.
        return " ".join((self.cleaned_data.get("title") or "").split())


class ArticleForm(ArticleTextForm):
    # The version of the article this form was opened at (see `Article.lock_version`).
    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Set when the form was filled from an earlier revision (History → Revert).
    reverted_from = forms.IntegerField(widget=forms.HiddenInput, required=False)
    revert_initial: dict | None = None  # set per request by ArticleAdmin.get_form
    # Offered on a source with translations: a typo fix leaves them current.
    minor_edit = forms.BooleanField(
        required=False,
        label="Minor edit: translations stay current",
        help_text="Tick for a typo or a link fixed; any change of meaning makes the "
        "translations stale, so that their translators see what changed.",
    )

    class Meta:
        model = Article
        # What the checks below read; the admin adds every field of its fieldsets.
        fields = ["title", "body", "publish_at"]

    user = None  # set per request by ArticleAdmin.get_form

    def __init__(self, *args, **kwargs):
        if self.revert_initial and kwargs.get("data") is None and not args:
            kwargs["initial"] = {**self.revert_initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.lock_version
        # The text is typed in its edition's language and direction (Persian right to left),
        # and the body's preview shows it so.
        language = self.initial.get("language") or self.instance.language
        for name in services.AUTOSAVE_FIELDS:
            if name in self.fields:
                self.fields[name].widget.attrs.update(lang=language, dir=text_direction(language))
        if "slug" in self.fields:
            # Any script may be typed; the address is made Latin (base/slugs.py). Empty: made
            # from the title. Not prepopulated in the browser: Django's script knows no
            # Armenian or Persian letters and left "2023" of an Armenian title.
            self.fields["slug"] = forms.CharField(
                label="Address",
                required=False,
                max_length=250,
                help_text="Leave empty to make it from the title (any script becomes Latin "
                "letters: Карабах → karabakh).",
            )
        # A featured image chosen in an earlier, refused submission of this form: read from
        # the POST's `kept_image` (not a field: it is no change to the article).
        self.kept = None
        self.kept_image_token = ""
        if self.is_bound and "image" in self.fields:
            self._take_kept_image()

    def _take_kept_image(self) -> None:
        """The image kept from a refused try, as if chosen again (unless another file was
        chosen or the image cleared)."""
        if self.files.get("image") or self.data.get("image-clear"):
            return
        self.kept = kept_image.read(self.data.get("kept_image", ""))
        if self.kept is not None:
            self.files = self.files.copy()
            self.files["image"] = kept_image.as_upload(self.kept)

    def keep_image_for_next_try(self) -> None:
        """A refused form is shown again: keep its chosen image and say so by the field."""
        upload = self.files.get("image")
        if "image" not in self.fields or not isinstance(upload, UploadedFile):
            return
        if self.kept is None:
            self.kept_image_token = kept_image.keep(upload)
        else:
            self.kept_image_token = self.data.get("kept_image", "")
        said = (
            f"Kept from your last try: {upload.name}. It is saved with the article; choose "
            "another file to replace it."
        )
        self.fields["image"].help_text = said
        self["image"].help_text = said  # the bound field copied it when it was cleaned

    def forget_kept_image(self) -> None:
        """The article is saved with the kept image: its waiting copy goes."""
        if self.kept is not None:
            kept_image.forget(self.kept)

    def clean_slug(self):
        typed = (self.cleaned_data.get("slug") or "").strip()
        if self.instance.pk and typed in ("", self.instance.slug):
            return self.instance.slug
        others = Article.objects.exclude(pk=self.instance.pk)
        kind = self.data.get("kind") or "article"
        if not typed:
            title = self.cleaned_data.get("title") or self.data.get("title", "")
            return free_slug(title, others, fallback=kind)
        slug = readable_slug(typed, fallback=kind)
        if others.filter(slug=slug).exists():
            raise ValidationError(f"The address “{slug}” belongs to another article; change it.")
        return slug

    def reverted_version(self) -> Version | None:
        wanted = self.cleaned_data.get("reverted_from")
        if wanted is None or self.instance.pk is None:
            return None
        return versions_of(self.instance).filter(pk=wanted).first()

    def clean(self):
        cleaned = super().clean()
        feature = self.data.get("_feature")
        try:
            if self.instance.pk:
                services.check_not_stale(
                    article=self.instance,
                    opened_version=cleaned.get("opened_version"),
                    by=self.user,
                    tab=self.data.get("_tab", ""),
                )
            if self.requested_transition:
                self._check_transition(cleaned)
            elif "publish_at" in self.changed_data:
                services.check_publish_at(
                    article=self.instance, publish_at=cleaned.get("publish_at")
                )
            if feature in ("1", "0"):
                services.check_feature(article=self.instance, by=self.user, featured=feature == "1")
        except services.TransitionError as error:
            raise ValidationError(error.messages, code=getattr(error, "code", None)) from error
        return cleaned

    @property
    def requested_transition(self) -> str | None:
        return self.data.get("_transition") or None

    def _check_transition(self, cleaned):
        target = services.TARGETS.get(self.requested_transition)
        if target is None:
            raise ValidationError("Unknown workflow step.")
        if self.instance.pk is None and self.requested_transition not in NEW_ARTICLE_MOVES:
            raise ValidationError("Save the article first: it is not saved yet.")
        services.check_transition(
            article=self.instance,
            to=target,
            by=self.user,
            publish_at=cleaned.get("publish_at"),
            author_count=(
                authors_in_post(self.data) if "bylines-TOTAL_FORMS" in self.data else None
            ),
            content=self.content(),
        )

    def content(self) -> content_checks.Content:
        """What the content checks read: the article with this form's changes."""
        candidate = copy.copy(self.instance)
        for name, value in self.cleaned_data.items():
            if name in ARTICLE_FIELDS:
                setattr(candidate, name, value)
        return content_checks.Content.of(
            candidate,
            topic_count=len(self.cleaned_data.get("topics") or []),
            region_count=len(self.cleaned_data.get("regions") or []),
            author_count=(
                authors_in_post(self.data)
                if self.is_bound and "bylines-TOTAL_FORMS" in self.data
                else None  # a translation's byline is its source's, not in the form
            ),
        )


def authors_in_post(data) -> int:
    """How many authors the byline formset in this POST will leave on the article."""
    total = int(data.get("bylines-TOTAL_FORMS") or 0)
    return sum(
        1
        for i in range(total)
        if data.get(f"bylines-{i}-author") and not data.get(f"bylines-{i}-DELETE")
    )


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(
        label="Publish at (UTC)", widget=admin.widgets.AdminSplitDateTime
    )
