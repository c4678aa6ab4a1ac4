"""What an article is, where it stands in the workflow, and on what terms it is shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # Readers see the kind above every title, in the page's language (locale/).
    ANALYSIS = "analysis", _("Analysis")
    COMMENTARY = "commentary", _("Commentary")
    REPORT = "report", _("Report")
    SIMULATION = "simulation", _("Simulation")
    BRIEFING = "briefing", _("Video briefing")
    REPUBLISHED = "republished", _("Republished")


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Rights(models.TextChoices):
    EXCLUSIVE = "exclusive", "Exclusive — republishing requires credit to the Center"
    REPUBLISHED = "republished", "Republished from another outlet"
    EXCERPT = "excerpt", "Excerpt of a piece published elsewhere"
