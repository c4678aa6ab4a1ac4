"""One import run: find the readers for the paths, then take every item through the
suggestions and the import service, a savepoint each, reporting as it goes."""

from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.db import transaction
from lxml import etree

from ..suggest import Suggester
from .folders import RefusedFiles, folder_files
from .items import Item
from .lookups import ImportLookups
from .media import MediaStore
from .report import Report, ReportRow
from .services import archive_item_import
from .terms import Terms
from .textpages import SUFFIXES, TextPageReader, page_files
from .wxr import WxrReader, is_wxr

BATCH_SIZE = 100


class ArchiveError(ValueError):
    """A path that is neither a WordPress export nor saved pages."""


@dataclass
class ImportOptions:
    dry_run: bool = False
    publish: bool = False
    media_dir: Path | None = None
    mapping: Path | None = None
    by: object = None
    suggest: bool = True


def find_readers(paths: list[Path], options: ImportOptions) -> list:
    terms = Terms.load(options.mapping)
    media = MediaStore(options.media_dir, dry_run=options.dry_run)
    readers, pages, refused = [], [], []
    for path in paths:
        if not path.exists():
            raise ArchiveError(f"{path}: no such file or folder")
        if not path.is_dir() and not path.is_file():
            raise ArchiveError(f"{path}: not a regular file (a pipe, device or socket)")
        if path.is_dir():
            for found in folder_files(path, [".xml"]):
                if found.refusal:
                    refused.append(found)
                elif is_wxr(found.path):
                    readers.append(_wxr(found.path, media, terms, options))
            pages += list(page_files(path))
        elif path.suffix.lower() == ".xml" or is_wxr(path):
            if not is_wxr(path):
                raise ArchiveError(f"{path}: not a WordPress export (WXR)")
            readers.append(_wxr(path, media, terms, options))
        elif path.suffix.lower() in SUFFIXES:
            pages += list(page_files(path))
        else:
            raise ArchiveError(
                f"{path}: not a WordPress export (.xml) or a saved page ({', '.join(SUFFIXES)})"
            )
    refused += [page for page in pages if page.refusal]
    pages = [page for page in pages if not page.refusal]
    if refused:
        readers.append(RefusedFiles(refused))
    if pages:
        readers.append(TextPageReader(pages, terms=terms, publish=options.publish))
    return readers


def _wxr(path: Path, media: MediaStore, terms: Terms, options: ImportOptions) -> WxrReader:
    try:
        return WxrReader(path, media=media, terms=terms, publish=options.publish)
    except etree.XMLSyntaxError as error:
        raise ArchiveError(f"{path}: not well-formed XML ({error})") from error


def run_import(
    readers: list,
    *,
    options: ImportOptions,
    report: Report,
    progress: Callable[[ReportRow], None] = lambda row: None,
) -> Report:
    suggester = Suggester.from_database() if options.suggest else None
    lookups = ImportLookups()
    for reader in readers:
        items = iter(reader)
        try:
            while True:
                # A batch commits once; each item is a savepoint of its own inside it, so
                # one failed item is rolled back alone and reported.
                with transaction.atomic():
                    batch = list(islice(items, BATCH_SIZE))
                    for item in batch:
                        row = import_one(
                            item, options=options, suggester=suggester, lookups=lookups
                        )
                        report.add(row)
                        progress(row)
                if len(batch) < BATCH_SIZE:
                    break
        except etree.XMLSyntaxError as error:
            row = ReportRow(str(getattr(reader, "path", "")), "failed", warnings=[str(error)])
            report.add(row)
            progress(row)
    return report


def import_one(
    item: Item,
    *,
    options: ImportOptions,
    suggester: Suggester | None,
    lookups: ImportLookups | None = None,
) -> ReportRow:
    if item.error:
        return ReportRow(item.label, "failed", item.title, warnings=[item.error, *item.warnings])
    if suggester is not None and not item.skip_reason:
        apply_suggestions(item, suggester)
    for name in item.unknown_terms:
        item.warn(f"tag suggested: new topic “{name}” (unknown category or tag), for an editor")
    try:
        outcome = archive_item_import(
            item=item, dry_run=options.dry_run, by=options.by, lookups=lookups
        )
    except Exception as error:  # reported with the item; the run goes on
        return ReportRow(
            item.label, "failed", item.title, warnings=[f"{type(error).__name__}: {error}"]
        )
    warnings = list(item.warnings)
    if outcome.reason:
        warnings.insert(0, outcome.reason)
    warnings += [f"blocks publishing: {blocker}" for blocker in outcome.blockers]
    article_id = None if options.dry_run or outcome.article is None else outcome.article.pk
    if options.dry_run and outcome.result in ("unchanged", "skipped") and outcome.article:
        article_id = outcome.article.pk
    return ReportRow(item.label, outcome.result, item.title, article_id, warnings)


def apply_suggestions(item: Item, suggester: Suggester) -> None:
    """The strongest topics and regions found in the text are put on the article."""
    for suggestion in suggester.suggest(title=item.title, dek=item.dek, body=item.body):
        if not suggestion.strong:
            continue
        target = item.topics if suggestion.vocabulary == "topic" else item.regions
        if suggestion.slug not in target:
            target.append(suggestion.slug)
            item.warn(f"tag suggested: {suggestion.vocabulary} {suggestion.name} (applied)")
