"""The files an import reads from a folder, taken only when they are what they look like.

A folder of saved pages or exports may come from someone else (a copy of an old server, an
archive unpacked from a mail). A link in it can point anywhere the importer's user can read
(`pages/x.txt -> /etc/passwd` would become a draft's body, readable by every editor), and a
pipe or a device named `x.txt` blocks or never ends. So a file is read only when, with every
link followed, it is a regular file inside the folder; anything else is refused, reported
and skipped. The check is made again when the file is opened, on the descriptor itself, so
that a file swapped for a link or a pipe in between is refused too.
"""

import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .items import MAX_POST_SIZE, Item, too_large

OUTSIDE = "a link to a file outside the folder: not read"
NOT_REGULAR = "not a regular file (a folder, pipe, device or socket): not read"


class RefusedFile(OSError):
    """A file the importer will not read; the message says why, for the report."""


@dataclass(frozen=True)
class FolderFile:
    path: Path  # where to read it: every link followed
    key: str  # its name inside the folder, the same from run to run
    refusal: str = ""


def folder_files(root: Path, suffixes: Iterable[str]) -> Iterator[FolderFile]:
    """The files of `root` (and its subfolders) whose name ends in one of `suffixes`, in a
    stable order, each with the reason it is refused, if it is."""
    suffixes = tuple(suffix.lower() for suffix in suffixes)
    base = root.resolve()
    for found in sorted(root.rglob("*")):
        if found.suffix.lower() not in suffixes:
            continue
        key = found.relative_to(root).as_posix()
        if found.is_dir() and not found.is_symlink():
            continue  # a folder named like a page: rglob walks into it
        target = found.resolve()
        if not target.is_relative_to(base):
            yield FolderFile(target, key, OUTSIDE)
        else:
            yield FolderFile(target, key, _refusal(target))


def named_file(path: Path) -> FolderFile:
    """A file named on the command line: the person running the import chose it, links
    included, but it must still be a regular file."""
    target = path.resolve()
    return FolderFile(target, path.name, _refusal(target))


def _refusal(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    return "" if stat.S_ISREG(mode) else NOT_REGULAR


def read_regular_file(path: Path, *, limit: int = MAX_POST_SIZE) -> bytes:
    """The bytes of `path`, refused (RefusedFile) unless it is a regular file of at most
    `limit` bytes when it is opened: not following a last link and not waiting on a pipe,
    so that nothing swapped in since the folder was listed is read."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise RefusedFile(f"cannot be read ({error.strerror})") from error
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise RefusedFile(NOT_REGULAR)
        if status.st_size > limit:
            raise RefusedFile(too_large(status.st_size))
        data = handle.read(limit + 1)
    if len(data) > limit:  # grown since it was opened
        raise RefusedFile(too_large(len(data)))
    return data


class RefusedFiles:
    """A reader for the runner: one skipped item per refused file, so that each is in the
    report with its reason."""

    def __init__(self, files: list[FolderFile]):
        self.files = files

    def __len__(self) -> int:
        return len(self.files)

    def __iter__(self) -> Iterator[Item]:
        for file in self.files:
            yield Item(
                source="file",
                source_key=f"file:{file.key}",
                label=file.key,
                title="",
                body="",
                skip_reason=file.refusal,
            )
