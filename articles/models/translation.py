"""The translation lifecycle's records: outside translators' links, and translations of
public editions waiting for an editor (see articles/services/translations.py)."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

INVITE_SALT = "articles.translation-invite"
# How long an outside translator's link works unless the editor sets otherwise.
INVITE_LIFETIME = datetime.timedelta(days=21)


def _default_invite_expiry():
    return timezone.now() + INVITE_LIFETIME


class TranslationInvite(models.Model):
    """A signed, expiring, revocable link that lets a translator without an account work on
    one edition in a side-by-side form. Their address stays in the newsroom."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="translation_invites"
    )
    translator_name = models.CharField(max_length=200)
    translator_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_invite_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.translator_name} on {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("translate", args=[self.token])

    @property
    def token(self) -> str:
        return signing.Signer(salt=INVITE_SALT).sign(str(self.pk))

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @classmethod
    def from_token(cls, token: str) -> "TranslationInvite | None":
        try:
            pk = int(signing.Signer(salt=INVITE_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return cls.objects.select_related("article").filter(pk=pk).first()


class TranslationProposal(models.Model):
    """A new text for an edition readers already see, sent by a translator: the page changes
    only when an editor applies it (an update of a public translation never skips review)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "waiting for an editor"
        APPLIED = "applied", "applied"
        DECLINED = "declined", "declined"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="translation_proposals"
    )
    title = models.CharField(max_length=250)
    dek = models.TextField(blank=True)
    body = models.TextField(blank=True)
    # The source's revision the translator followed.
    source_revision = models.ForeignKey(
        "reversion.Version", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invite = models.ForeignKey(
        TranslationInvite, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"Proposed translation of {self.article}"

    @property
    def submitter_name(self) -> str:
        if self.invite_id:
            return self.invite.translator_name
        who = self.submitted_by
        return (who.get_full_name() or who.username) if who else "Someone"
