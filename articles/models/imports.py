"""What the archive importer keeps: one record per imported item, the old addresses that
redirect to articles, and the unknown categories it proposes as new topics."""

from django.db import models
from django.urls import reverse


class ImportRecord(models.Model):
    """One item of an imported archive (a WordPress post, a saved page) and its article.

    Re-running an import finds the item here by its key (or by its WordPress GUID), compares
    the content hash, and leaves alone an article that someone edited since its import:
    `article_version` is the article's `lock_version` right after the importer saved it.
    """

    class Source(models.TextChoices):
        WORDPRESS = "wordpress", "WordPress export"
        PAGE = "page", "Saved page"

    source = models.CharField(max_length=20, choices=Source.choices)
    source_key = models.CharField(max_length=500, unique=True)
    guid = models.CharField("WordPress GUID", max_length=500, blank=True, db_index=True)
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_records",
        help_text="Empty when the article was deleted after its import.",
    )
    content_hash = models.CharField(max_length=64)
    article_version = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "imported item"

    def __str__(self) -> str:
        return self.source_key

    @property
    def edited_since_import(self) -> bool:
        return self.article is not None and self.article.lock_version != self.article_version


class Redirect(models.Model):
    """An old address of an article (a WordPress permalink, an old slug), answered with a
    301 to the article wherever it lives now: it points at the article, not at a path."""

    old_path = models.CharField(max_length=500, unique=True)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.article_id}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()


class TermProposal(models.Model):
    """A category or tag of an imported archive that matched no topic or region.

    An editor accepts it (it becomes a topic, put on the articles that carried it) or
    dismisses it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for an editor"
        ACCEPTED = "accepted", "Accepted as a topic"
        DISMISSED = "dismissed", "Dismissed"

    name = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    articles = models.ManyToManyField("articles.Article", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "name"]
        verbose_name = "proposed topic"

    def __str__(self) -> str:
        return self.name

    def get_admin_url(self) -> str:
        return reverse("admin:articles_termproposal_change", args=[self.pk])
