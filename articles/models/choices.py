"""What an article is, where it stands in the workflow, and on what terms it is shown."""

from django.db import models


class Kind(models.TextChoices):
    ANALYSIS = "analysis", "Analysis"
    COMMENTARY = "commentary", "Commentary"
    REPORT = "report", "Report"
    SIMULATION = "simulation", "Simulation"
    BRIEFING = "briefing", "Video briefing"
    REPUBLISHED = "republished", "Republished"


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
