"""The translation memory's table: one source paragraph and how it was translated before.

Part of `articles.models`; filled and read by `articles/translation_memory.py`. A unit is
kept per language pair and per source text (by the hash of its normalised form), so a
paragraph translated again replaces what the memory held for it: the latest reviewed
wording is the one offered.
"""

import hashlib
import re
import unicodedata

from django.contrib.postgres.lookups import TrigramSimilar
from django.db import models

_SPACES = re.compile(r"\s+")


def normalise_source(text: str) -> str:
    """The form a paragraph is matched by: Unicode compatibility form (a Persian letter
    typed as a presentation form, a non-breaking space) and whitespace collapsed, so a
    paragraph re-wrapped or re-typed elsewhere is still the same paragraph."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def source_hash(text: str) -> str:
    return hashlib.sha256(normalise_source(text).encode()).hexdigest()


class TranslationUnit(models.Model):
    """A source paragraph (its text without Markdown's block marker: heading hashes, list
    marker, footnote label) and its translation into one language."""

    source_language = models.CharField(max_length=12)
    target_language = models.CharField(max_length=12)
    source_text = models.TextField()
    source_hash = models.CharField(max_length=64, editable=False)
    target_text = models.TextField()
    # The translation edition it was taken from; the memory outlives it.
    article = models.ForeignKey(
        "articles.Article",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # The exact match's index, and what an upsert replaces.
            models.UniqueConstraint(
                fields=["source_language", "target_language", "source_hash"],
                name="translation_unit_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_language}→{self.target_language}: {self.source_text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.source_hash = source_hash(self.source_text)
        super().save(*args, **kwargs)


# pg_trgm's `%` ("similar enough", answered from the trigram index that migration 0026 adds
# on PostgreSQL): django.contrib.postgres is not an installed app, so its lookups are not
# registered on their own.
TranslationUnit._meta.get_field("source_text").register_lookup(TrigramSimilar)
