"""How many public articles each list holds, per language, kept on write.

Part of `articles.models`; written and read by `articles/list_counts.py`. A list page says
"3,441 articles" and "page 1 of 173": counting that on every request costs more than the
page itself at 100,000 articles, while the count changes only when an article enters or
leaves the list, which the services know.
"""

from django.db import models


class ListCount(models.Model):
    # What the pages call the list: "topic:12", "region:3", "author:5", "series:2",
    # "year:2025", "month:2025:4".
    key = models.CharField(max_length=40)
    language = models.CharField(max_length=12)
    count = models.PositiveIntegerField()
    counted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "language"], name="list_count_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.language}): {self.count}"
