"""The editors' desk: internal notes and preview links to drafts."""

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone


class ArticleNote(models.Model):
    """An internal note between editors and writers; shown only in the admin."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "internal note"

    def __str__(self) -> str:
        return f"Note on {self.article}"


def _default_preview_expiry():
    return timezone.now() + settings.PREVIEW_LINK_LIFETIME


class PreviewLink(models.Model):
    """A signed, expiring, revocable link that shows an unpublished article as it will look."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="preview_links"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_default_preview_expiry)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Preview of {self.article}"

    def get_absolute_url(self) -> str:
        return reverse("articles:preview", args=[self.token])

    @property
    def token(self) -> str:
        # No timestamp in it: the same link every time it is shown; expiry is in the row.
        return signing.Signer(salt=PREVIEW_SALT).sign(str(self.pk))

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


PREVIEW_SALT = "articles.preview-link"
