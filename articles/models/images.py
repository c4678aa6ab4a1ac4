"""The image library: pictures uploaded once, described once, used by any article's body.

An image keeps its alt text, credit and caption; a body names it by id (`![…](image:42)`),
so correcting a caption corrects every article that shows it. Renditions (a few widths, in
WebP and in the original's format) are made when it is uploaded (`articles/images.py`) and
listed here, so that a page, a PDF or a feed picks the size it needs without opening it.
"""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

from base.control_characters import validate_multi_line, validate_one_line

ALT_MAX_CHARS = 300


class LibraryImage(models.Model):
    # A copy of the upload at full size without its metadata (no camera, no GPS position).
    file = models.ImageField(upload_to="library/%Y/%m/")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        "alt text",
        max_length=ALT_MAX_CHARS,
        validators=[validate_one_line],
        help_text="What the image shows, for readers who cannot see it.",
    )
    credit = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    caption = models.TextField(blank=True, max_length=1000, validators=[validate_multi_line])
    # [{"width", "height", "format" ("webp", "jpeg" or "png"), "name" (in media storage),
    #   "bytes"}]
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "library image"

    def __str__(self) -> str:
        return self.alt or f"Image {self.pk}"

    @property
    def reference(self) -> str:
        """How a body names it."""
        return f"image:{self.pk}"

    def renditions_in(self, image_format: str) -> list[dict]:
        """The renditions of one format, narrowest first."""
        found = [r for r in self.renditions if r["format"] == image_format]
        return sorted(found, key=lambda r: r["width"])

    @property
    def original_format(self) -> str:
        formats = {r["format"] for r in self.renditions} - {"webp"}
        return next(iter(formats), "jpeg")

    def rendition(self, *, width: int, image_format: str | None = None) -> dict | None:
        """The narrowest rendition at least `width` wide (else the widest) of a format (the
        original's by default)."""
        found = self.renditions_in(image_format or self.original_format)
        return next((r for r in found if r["width"] >= width), found[-1] if found else None)

    @staticmethod
    def url_of(rendition: dict) -> str:
        return default_storage.url(rendition["name"])
