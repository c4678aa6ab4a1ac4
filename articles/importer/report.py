"""The CSV report of an import: one row per item, every warning with it."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

COLUMNS = ["source", "result", "title", "admin_url", "warnings"]


@dataclass
class ReportRow:
    source: str
    result: str
    title: str = ""
    article_id: int | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def admin_url(self) -> str:
        if self.article_id is None:
            return ""
        return settings.SITE_URL + reverse("admin:articles_article_change", args=[self.article_id])


class Report:
    """Counts every result; writes the rows to a CSV file as they come, when asked to."""

    def __init__(self, path: Path | None = None):
        self.counts: dict[str, int] = {}
        self.warnings = 0
        self._handle = path.open("w", newline="", encoding="utf-8") if path else None
        self._writer = csv.writer(self._handle) if self._handle else None
        if self._writer:
            self._writer.writerow(COLUMNS)

    def add(self, row: ReportRow) -> None:
        self.counts[row.result] = self.counts.get(row.result, 0) + 1
        self.warnings += len(row.warnings)
        if self._writer:
            self._writer.writerow(
                [row.source, row.result, row.title, row.admin_url, " | ".join(row.warnings)]
            )

    def close(self) -> None:
        if self._handle:
            self._handle.close()

    def summary(self) -> str:
        order = ["created", "updated", "unchanged", "skipped", "failed"]
        parts = [f"{self.counts.get(name, 0)} {name}" for name in order]
        return ", ".join(parts) + f"; {self.warnings} warnings"
