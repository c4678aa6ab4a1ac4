import secrets

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property

from base.markdown import render_markdown

# Contributors' files never sit under a public URL: no base_url, downloaded only through
# permission-checked views.
private_storage = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


def get_private_storage() -> FileSystemStorage:
    # A callable, so that migrations do not record this machine's path.
    return private_storage


# Caps on what is typed into the long fields, shown under each box as it fills up. The
# Markdown ones stay well within what renders in under a second (base/markdown.py).
BRIEF_MAX_CHARS = 10_000
BIO_MAX_CHARS = 1_500
SUMMARY_MAX_CHARS = 2_000
SCENARIO_MAX_CHARS = 30_000
ASSUMPTIONS_MAX_CHARS = 8_000
OUTCOMES_MAX_CHARS = 8_000
MOVE_TEXT_MAX_CHARS = 2_000


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


class CallQuerySet(models.QuerySet):
    def open(self) -> "CallQuerySet":
        return self.filter(is_open=True, deadline__gt=timezone.now())


class Call(models.Model):
    """An open call for simulations, feeding a series."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    brief = models.TextField(
        max_length=BRIEF_MAX_CHARS, help_text="What the Center is looking for (Markdown)."
    )
    deadline = models.DateTimeField()
    series = models.ForeignKey(
        "articles.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="calls"
    )
    is_open = models.BooleanField("open", default=True, help_text="Untick to close it early.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        ordering = ["deadline"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("submissions:submit_to_call", args=[self.slug])

    @property
    def accepts_submissions(self) -> bool:
        return self.is_open and self.deadline > timezone.now()

    @cached_property
    def brief_html(self) -> str:
        return render_markdown(self.brief).html


class SubmissionQuerySet(models.QuerySet):
    def waiting(self) -> "SubmissionQuerySet":
        """Confirmed and waiting for an editor's decision."""
        return self.filter(status__in=WAITING_STATUSES)


class Submission(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", "Unconfirmed"
        SUBMITTED = "submitted", "Submitted"
        IN_REVIEW = "in_review", "In review"
        REVISION_REQUESTED = "revision_requested", "Revision requested"
        RESUBMITTED = "resubmitted", "Resubmitted"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        SPAM = "spam", "Spam"

    call = models.ForeignKey(
        Call, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.UNCONFIRMED, db_index=True
    )

    # The contributor. Private: never on a public page, in the API, a feed or a log line.
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    phone = models.CharField(max_length=32, help_text="International format, e.g. +994…")
    professional_title = models.CharField(max_length=200)
    affiliation = models.CharField(max_length=200, blank=True)
    bio = models.TextField("short bio", max_length=BIO_MAX_CHARS)
    # The language of the contributor's mails and links (a code of LANGUAGES, no fixed
    # choices): chosen on the form, the page's language by default.
    language = models.CharField(max_length=10, default="en")

    # The simulation.
    title = models.CharField(max_length=250)
    summary = models.TextField(max_length=SUMMARY_MAX_CHARS)
    scenario = models.TextField(max_length=SCENARIO_MAX_CHARS, help_text="Markdown")
    actor_regions = models.ManyToManyField("articles.Region", blank=True, related_name="+")
    actors_other = models.CharField("other actors", max_length=500, blank=True)
    assumptions = models.TextField(max_length=ASSUMPTIONS_MAX_CHARS)
    outcomes = models.TextField(max_length=OUTCOMES_MAX_CHARS)
    proposed_topics = models.ManyToManyField("articles.Topic", blank=True, related_name="+")
    consent = models.BooleanField(default=False)

    round = models.PositiveSmallIntegerField(
        default=1, help_text="1 for the first version, +1 for each resubmission."
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_submissions",
    )
    # The draft made when it was accepted. The link lives here, not on the article: the
    # articles app knows nothing of where a piece came from.
    article = models.OneToOneField(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="origin_submission",
        help_text="The article this simulation was accepted as.",
    )
    confirm_secret = models.CharField(max_length=64, unique=True, default=_new_secret)
    tracking_secret = models.CharField(max_length=64, unique=True, default=_new_secret)

    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["confirmed_at", "id"]

    def __str__(self) -> str:
        return self.title

    def link(self, name: str) -> str:
        """The absolute URL of the contributor's `confirm` or `track` page."""
        secret = self.confirm_secret if name == "confirm" else self.tracking_secret
        with translation.override(self.language):
            return settings.SITE_URL + reverse(f"submissions:{name}", args=[secret])

    @cached_property
    def scenario_html(self) -> str:
        return render_markdown(self.scenario).html


WAITING_STATUSES = (
    Submission.Status.SUBMITTED,
    Submission.Status.IN_REVIEW,
    Submission.Status.RESUBMITTED,
)


class SubmissionMove(models.Model):
    """One step of the proposed sequence of moves."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="moves")
    position = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=100)
    actor = models.CharField(max_length=200)
    action = models.TextField(max_length=MOVE_TEXT_MAX_CHARS)
    expected_response = models.TextField(max_length=MOVE_TEXT_MAX_CHARS, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.phase}: {self.actor}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is ours; the contributor's name is kept only as data.
    return f"submissions/{instance.submission_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=get_private_storage, upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    round = models.PositiveSmallIntegerField(default=1, help_text="uploaded with this version")
    removed_in_round = models.PositiveSmallIntegerField(null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_current(self) -> bool:
        return self.removed_in_round is None


class SubmissionVersion(models.Model):
    """What a submission said in an earlier round, kept when the contributor revises it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    round = models.PositiveSmallIntegerField()
    data = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "round"], name="one_version_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.submission}, round {self.round}"


class SubmissionEvent(models.Model):
    """A change of status: who, from, to, the message to the contributor, an internal note."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=50, help_text='"contributor", "system" or a name')
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    message = models.TextField("message to the contributor", blank=True)
    internal_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def to_label(self) -> str:
        return Submission.Status(self.to_status).label

    @property
    def from_label(self) -> str:
        return Submission.Status(self.from_status).label if self.from_status else "—"


class SubmissionNote(models.Model):
    """An editors' note on a submission; never shown to the contributor."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "internal note"

    def __str__(self) -> str:
        return f"Note on {self.submission}"


class MessageTemplate(models.Model):
    """A reusable message to contributors, edited by editors before it is sent."""

    class Purpose(models.TextChoices):
        REQUEST_REVISION = "request_revision", "Request a revision"
        ACCEPT = "accept", "Accept"
        REJECT = "reject", "Reject"

    name = models.CharField(max_length=100)
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    body = models.TextField()

    class Meta:
        ordering = ["purpose", "name"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.name}"
