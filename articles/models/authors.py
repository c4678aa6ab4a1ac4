"""The people who sign articles."""

from django.conf import settings
from django.db import models

from base import links
from base.control_characters import validate_one_line

from ..identifiers import (
    normalize_orcid,
    validate_orcid,
)
from .byline import Byline
from .queries import published_q
from .vocabulary import TranslatedNames


class AuthorQuerySet(models.QuerySet):
    def public(self) -> "AuthorQuerySet":
        """Authors with at least one public article. No one else has a page, a feed, an API
        entry or a sitemap line: an accepted contributor appears with their first article."""
        return self.filter(pk__in=Byline.objects.filter(published_q("article__")).values("author"))


class Author(TranslatedNames, models.Model):
    """`names` holds the name as written in each language's script where it is given
    ("Լեյլա Հուսեյնովա" for Armenian editions); bylines elsewhere read `name`."""

    name = models.CharField(max_length=200, validators=[validate_one_line])
    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(
        "professional title",
        max_length=200,
        blank=True,
        validators=[validate_one_line],
        help_text='e.g. "Senior Fellow"',
    )
    affiliation = models.CharField(max_length=200, blank=True, validators=[validate_one_line])
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="authors/", blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        help_text="The staff account of this author, if any.",
    )
    is_contributor = models.BooleanField(
        "outside contributor", default=False, help_text="Not on the Center's staff."
    )
    # Private: how an accepted contributor is recognised when they submit again.
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="e.g. 0000-0002-1825-0097; shown on the author page and in citations.",
    )

    objects = AuthorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return links.url("articles:author", self.slug)

    def clean_fields(self, exclude=None) -> None:
        # Before the validators: a pasted https://orcid.org/… address is the same iD.
        self.orcid = normalize_orcid(self.orcid)
        super().clean_fields(exclude)

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""
