"""Series, and the two tag vocabularies (topics and regions)."""

import reversion
from django.db import models
from django.utils.translation import pgettext_lazy
from taggit.models import ItemBase, TagBase

from base import links
from base.control_characters import validate_one_line

from .queries import published_q


class Series(models.Model):
    title = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("active", default=True)

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


class _Vocabulary(TagBase):
    """A tag vocabulary (topics, regions) with a public page per tag."""

    objects = VocabularyQuerySet.as_manager()

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

    class Meta:
        abstract = True
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return links.url(self.url_name, self.slug)


class Topic(_Vocabulary):
    url_name = "articles:topic"


class Region(_Vocabulary):
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
