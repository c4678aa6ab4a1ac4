"""manage.py import_archive PATH… [--dry-run] [--report FILE.csv] [--media-dir DIR] [--publish]"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importer.report import Report, ReportRow
from articles.importer.runner import ArchiveError, ImportOptions, find_readers, run_import
from articles.importer.terms import MappingError

PLAIN_PROGRESS_EVERY = 100


class Command(BaseCommand):
    help = (
        "Import an archive: WordPress exports (WXR), folders, or saved pages (.txt, .md, "
        ".html). Articles are drafts unless --publish; re-running updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument("--report", type=Path, help="Write a CSV report, one row per item.")
        parser.add_argument(
            "--media-dir", type=Path, help="The old site's wp-content/uploads copy."
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish what was public on the old site, with its original date (no reader "
            "alerts, no webhooks). Without it everything is a draft.",
        )
        parser.add_argument(
            "--mapping", type=Path, help="TOML file mapping categories and tags to our tags."
        )
        parser.add_argument("--user", help="Username the revisions are recorded under.")
        parser.add_argument(
            "--no-suggestions",
            action="store_true",
            help="Do not put suggested topics and regions on the articles.",
        )

    def handle(self, *args, **options):
        # call_command() passes keyword options unconverted; make every path a Path.
        for name in ("report", "media_dir", "mapping"):
            options[name] = Path(options[name]) if options[name] else None
        options["paths"] = [Path(path) for path in options["paths"]]
        if options["media_dir"] and not options["media_dir"].is_dir():
            raise CommandError(f"--media-dir {options['media_dir']}: no such folder")
        by = None
        if options["user"]:
            by = get_user_model().objects.filter(username=options["user"]).first()
            if by is None:
                raise CommandError(f"--user {options['user']}: no such user")
        settings = ImportOptions(
            dry_run=options["dry_run"],
            publish=options["publish"],
            media_dir=options["media_dir"],
            mapping=options["mapping"],
            by=by,
            suggest=not options["no_suggestions"],
        )
        try:
            readers = find_readers(options["paths"], settings)
        except (ArchiveError, MappingError) as error:
            raise CommandError(str(error)) from error
        total = sum(len(reader) for reader in readers)
        report = Report(options["report"])
        try:
            if self._on_terminal():
                self._with_progress_bar(readers, settings, report, total)
            else:
                self._with_plain_lines(readers, settings, report, total)
        finally:
            report.close()
        prefix = "Dry run, nothing written: " if settings.dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))
        if options["report"]:
            self.stdout.write(f"Report: {options['report']}")

    def _on_terminal(self) -> bool:
        return self.stdout._out is sys.stdout and sys.stdout.isatty()

    def _with_progress_bar(self, readers, settings, report, total) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
        with Progress(*columns, TimeRemainingColumn()) as bar:
            task = bar.add_task("Importing", total=total)

            def advance(row: ReportRow) -> None:
                bar.advance(task)
                if row.result == "failed":
                    bar.console.print(f"[red]failed[/red] {row.source}: {row.warnings[0]}")

            run_import(readers, options=settings, report=report, progress=advance)

    def _with_plain_lines(self, readers, settings, report, total) -> None:
        done = 0

        def advance(row: ReportRow) -> None:
            nonlocal done
            done += 1
            if row.result == "failed":
                self.stderr.write(f"failed {row.source}: {row.warnings[0]}")
            if done % PLAIN_PROGRESS_EVERY == 0 or done == total:
                self.stdout.write(f"{done}/{total} items")

        run_import(readers, options=settings, report=report, progress=advance)
