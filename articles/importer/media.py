"""Images of an archive: found in a copy of the old site's uploads, stored in our media.

WordPress links the uploads by absolute URL (`…/wp-content/uploads/2021/05/map-300x200.jpg`);
the part after `uploads/` is the file's place in the `--media-dir` copy. A resized variant
that is not in the copy falls back to its original. Files are stored under a name derived
from that place, so a second run finds them already stored and stores nothing twice.

Our media is served from the site's own origin, so only pictures that cannot carry a script
are stored: PNG and JPEG, told by their bytes and opened by Pillow (base/filetypes.py,
the check contributors' attachments pass too), whatever their name says. Anything else (an
HTML page, an SVG, a PDF) is refused, and its name is made to end as its kind does, so that
no server sends a picture named `x.html` as a page.
"""

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from django.core.files import File
from django.core.files.storage import default_storage

from base.filetypes import ImageDamaged, ImageTooLarge, image_kind, verify_image

UPLOADS_MARK = "/wp-content/uploads/"
STORED_UNDER = "archive"
_SIZE_SUFFIX = re.compile(r"-(?:\d+x\d+|scaled|e\d{10,})(?=\.[A-Za-z0-9]+$)")
_SUFFIXES = {"png": (".png",), "jpeg": (".jpg", ".jpeg")}


class MediaRefused(ValueError):
    """A file of the copy that is not stored; the message says why, for the report."""


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
        self._stored: dict[str, str | MediaRefused | None] = {}

    def store(self, relative: str) -> str | None:
        """The storage name of the upload at `relative`, or None when the copy lacks it.
        Raises MediaRefused when the file is not a picture we serve."""
        if relative not in self._stored:
            try:
                self._stored[relative] = self._store(relative)
            except MediaRefused as refused:
                self._stored[relative] = refused
        found = self._stored[relative]
        if isinstance(found, MediaRefused):
            raise found
        return found

    def url(self, name: str) -> str:
        return default_storage.url(name)

    def _store(self, relative: str) -> str | None:
        source = self._find(relative)
        if source is None:
            return None
        kind = _picture_kind(source, relative)
        name = str(PurePosixPath(STORED_UNDER) / source.relative_to(self.media_dir).as_posix())
        if not name.lower().endswith(_SUFFIXES[kind]):
            name += _SUFFIXES[kind][0]
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


def _picture_kind(source: Path, relative: str) -> str:
    """ "png" or "jpeg", read from the file's bytes; MediaRefused for anything else."""
    with source.open("rb") as handle:
        kind = image_kind(handle)
        if kind is None:
            raise MediaRefused(f"{relative} is not a PNG or JPEG image: not imported")
        try:
            verify_image(handle, kind)
        except ImageTooLarge:
            raise MediaRefused(f"{relative} is too large an image: not imported") from None
        except ImageDamaged:
            raise MediaRefused(f"{relative} is a damaged image: not imported") from None
    return kind
