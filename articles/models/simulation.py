"""A simulation's sequence of moves."""

import reversion
from django.db import models


@reversion.register()
class Move(models.Model):
    """One step of a simulation's sequence of moves, shown as a timeline."""

    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="moves")
    position = models.PositiveSmallIntegerField(default=0)
    phase = models.CharField(max_length=100, help_text='e.g. "Day 1" or "Week 2"')
    actor = models.CharField(max_length=200)
    action = models.TextField()
    expected_response = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.phase}: {self.actor}"
