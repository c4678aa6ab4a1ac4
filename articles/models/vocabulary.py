"""Series, and the two tag vocabularies (topics and regions), with their names per language."""

import re
from collections.abc import Iterable
from functools import cache

import pyuca
import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import pgettext_lazy
from taggit.models import ItemBase, TagBase

from base import links
from base.control_characters import validate_one_line
from base.languages import default_language

from .queries import published_q

NAME_MAX_CHARS = 200
DESCRIPTION_MAX_CHARS = 2000
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})?$")


def validate_names(value) -> None:
    """`names` holds, per language code, a name and optionally a description: short text,
    the name on one line. Codes are not checked against settings: a language taken out of
    `LANGUAGES` leaves its names unread, not the row unsavable."""
    if not isinstance(value, dict):
        raise ValidationError("Names per language must be a mapping of language codes.")
    for code, given in value.items():
        if not isinstance(code, str) or not _LANGUAGE_CODE.match(code):
            raise ValidationError(f"“{code}” is not a language code.")
        if not isinstance(given, dict) or set(given) - {"name", "description"}:
            raise ValidationError(f"The names in “{code}” hold only a name and a description.")
        name, description = given.get("name", ""), given.get("description", "")
        if not isinstance(name, str) or not isinstance(description, str):
            raise ValidationError(f"The names in “{code}” must be text.")
        if len(name) > NAME_MAX_CHARS or len(description) > DESCRIPTION_MAX_CHARS:
            raise ValidationError(f"The name or description in “{code}” is too long.")
        validate_one_line(name)


class TranslatedNames(models.Model):
    """A name, and a description where the model has one, in each edition language.

    The model's own fields are the default language's (English); `names` holds the others:
    `{"ru": {"name": "Дипломатия", "description": "…"}}`. Kept on the row, a new language in
    settings needs no migration, and a page, card or API item reads the names with the row
    it already has: no query, no prefetch. A language without a name of its own reads the
    default language's.
    """

    names = models.JSONField(
        "names in other languages", default=dict, blank=True, validators=[validate_names]
    )
    # The field holding the default language's name (a series calls it its title).
    name_field = "name"

    class Meta:
        abstract = True

    def name_in(self, language: str) -> str:
        """The name in `language`, else the default language's."""
        return self._given(language, "name") or getattr(self, self.name_field)

    def description_in(self, language: str) -> str:
        """The description in `language`, else the default language's ("" if none)."""
        return self._given(language, "description") or getattr(self, "description", "")

    def set_names_in(self, language: str, *, name: str, description: str = "") -> None:
        """Give (or, both empty, take away) the name and description in `language`; the
        caller saves. The default language's are the model's own fields."""
        if language == default_language():
            raise ValueError("The default language's name is the model's own field.")
        given = {"name": name.strip(), "description": description.strip()}
        given = {part: text for part, text in given.items() if text}
        names = dict(self.names or {})
        if given:
            names[language] = given
        else:
            names.pop(language, None)
        self.names = names

    def _given(self, language: str, part: str) -> str:
        if language == default_language() or not isinstance(self.names, dict):
            return ""
        given = self.names.get(language)
        return given.get(part, "") if isinstance(given, dict) else ""


@cache
def _collator() -> pyuca.Collator:
    # The Unicode Collation Algorithm's default table, read once per process (a quarter of a
    # second): Persian پ چ ژ گ among their neighbours, Russian ё beside е, where the order
    # of code points puts them after every other letter of their script.
    return pyuca.Collator()


def by_name_in(things: Iterable[TranslatedNames], language: str) -> list:
    """`things` in the alphabetical order of their names in `language`."""
    key = _collator().sort_key
    return sorted(things, key=lambda thing: key(thing.name_in(language).casefold()))


class Series(TranslatedNames, models.Model):
    title = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)
    name_field = "title"

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return links.url("articles:series", self.slug)


class VocabularyQuerySet(models.QuerySet):
    def with_published_count(self) -> "VocabularyQuerySet":
        """Each tag with `article_count`, the number of its public articles, by name."""
        return self.annotate(
            article_count=models.Count(
                "tagged_articles", filter=published_q("tagged_articles__content_object__")
            )
        ).order_by("name")


class _Vocabulary(TagBase, TranslatedNames):
    """A tag vocabulary (topics, regions) with a public page per tag."""

    # taggit's own name field, with the rule for one-line text added.
    name = models.CharField(
        verbose_name=pgettext_lazy("A tag name", "name"),
        unique=True,
        max_length=100,
        validators=[validate_one_line],
    )
    description = models.TextField(blank=True)
    # What `articles.suggest` looks for in a text to suggest this tag (besides its name).
    keywords = models.TextField(
        blank=True,
        help_text="Words and names that suggest this tag, one per line (names, demonyms, "
        "capitals, variants). A line with a capital letter matches only as written; an "
        "all-lowercase line matches in any case.",
    )
    url_name: str

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return links.url(self.url_name, self.slug)


class Topic(_Vocabulary):  # noqa: DJ008 (taggit's TagBase gives the name as __str__)
    url_name = "articles:topic"


class Region(_Vocabulary):  # noqa: DJ008 (as Topic)
    url_name = "articles:region"


@reversion.register()
class TaggedTopic(ItemBase):
    tag = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_topics"
    )

    class Meta:
        unique_together = [("content_object", "tag")]


@reversion.register()
class TaggedRegion(ItemBase):
    tag = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="tagged_articles")
    content_object = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="tagged_regions"
    )

    class Meta:
        unique_together = [("content_object", "tag")]
