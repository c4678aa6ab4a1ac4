"""Images of an archive: found in a copy of the old site's uploads, stored in our media.

WordPress links the uploads by absolute URL (`…/wp-content/uploads/2021/05/map-300x200.jpg`);
the part after `uploads/` is the file's place in the `--media-dir` copy. A resized variant
that is not in the copy falls back to its original. Files are stored under a name derived
from that place, so a second run finds them already stored and stores nothing twice.
"""

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from django.core.files import File
from django.core.files.storage import default_storage

UPLOADS_MARK = "/wp-content/uploads/"
STORED_UNDER = "archive"
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|e\d{10,})(?=\.[A-Za-z0-9]+$)")


def uploads_path(url: str) -> str | None:
    """The place of an uploaded file inside `wp-content/uploads`, or None for other URLs."""
    path = unquote(urlparse(url).path)
    if UPLOADS_MARK in path:
        return path.split(UPLOADS_MARK, 1)[1].lstrip("/")
    return None


class MediaStore:
    """Stores the uploads a run refers to, once each; a dry run only looks them up."""

    def __init__(self, media_dir: Path | None, *, dry_run: bool = False):
        self.media_dir = media_dir.resolve() if media_dir else None
        self.dry_run = dry_run
        self._stored: dict[str, str | None] = {}

    def store(self, relative: str) -> str | None:
        """The storage name of the upload at `relative`, or None when the copy lacks it."""
        if relative not in self._stored:
            self._stored[relative] = self._store(relative)
        return self._stored[relative]

    def url(self, name: str) -> str:
        return default_storage.url(name)

    def _store(self, relative: str) -> str | None:
        source = self._find(relative)
        if source is None:
            return None
        name = str(PurePosixPath(STORED_UNDER) / source.relative_to(self.media_dir).as_posix())
        if self.dry_run or default_storage.exists(name):
            return name
        with source.open("rb") as handle:
            saved = default_storage.save(name, File(handle, name=source.name))
        return saved

    def _find(self, relative: str) -> Path | None:
        if self.media_dir is None:
            return None
        candidates = [relative]
        original = _SIZE_SUFFIX.sub("", relative)
        if original != relative:
            candidates.append(original)
        for candidate in candidates:
            path = (self.media_dir / candidate).resolve()
            # Never outside the copy, whatever the export says (`../../etc/passwd`).
            if path.is_relative_to(self.media_dir) and path.is_file():
                return path
        return None
