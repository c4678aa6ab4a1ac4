"""What a file is, told by its bytes rather than by its name.

One table of first bytes and one image check for every app that takes a file it did not
make: contributors' attachments (submissions/uploads.py) and the images of an imported
archive (articles/importer/media.py). An image is accepted only as PNG or JPEG: pictures
that cannot carry a script (an SVG or an HTML page named `.png` can), opened by Pillow
under a pixel limit so that a small file cannot unpack into gigabytes of memory.
"""

import warnings
from typing import IO

from PIL import Image

MAGIC: dict[str, bytes] = {
    "pdf": b"%PDF-",
    "png": b"\x89PNG\r\n\x1a\n",
    "jpeg": b"\xff\xd8\xff",
    "xlsx": b"PK\x03\x04",
}
IMAGE_KINDS = ("png", "jpeg")
MAX_IMAGE_PIXELS = 40_000_000


class ImageTooLarge(ValueError):
    def __init__(self, size: tuple[int, int] | None = None):
        super().__init__(f"more than {MAX_IMAGE_PIXELS:,} pixels")
        self.size = size


class ImageDamaged(ValueError):
    pass


def _head(handle: IO[bytes], size: int) -> bytes:
    # Leave the file at its start: whoever reads it next reads from the current position.
    handle.seek(0)
    try:
        return handle.read(size)
    finally:
        handle.seek(0)


def has_magic(handle: IO[bytes], kind: str) -> bool:
    """Whether the file starts with the bytes every file of `kind` starts with."""
    magic = MAGIC[kind]
    return _head(handle, len(magic)) == magic


def image_kind(handle: IO[bytes]) -> str | None:
    """The kind of image ("png", "jpeg") the bytes say the file is, or None."""
    return next((kind for kind in IMAGE_KINDS if has_magic(handle, kind)), None)


def verify_image(handle: IO[bytes], kind: str) -> tuple[int, int]:
    """Open the file as an image of `kind` without decoding its pixels; return its size.

    Raises ImageTooLarge above MAX_IMAGE_PIXELS and ImageDamaged when Pillow cannot read
    it as that kind."""
    formats = [kind.upper()]
    # Pillow warns above its own (global) pixel limit; turning the warning into an error here
    # refuses the bomb without changing Image.MAX_IMAGE_PIXELS for the rest of the process.
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            handle.seek(0)
            with Image.open(handle, formats=formats) as image:
                image.verify()  # checks structure and checksums without decoding pixels
            handle.seek(0)
            # verify() leaves the image unusable, so open it again to read its size.
            with Image.open(handle, formats=formats) as image:
                size = image.size
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageTooLarge() from None
        except Exception:
            # A malformed image can make Pillow raise almost anything (SyntaxError,
            # struct.error, ...); like Django's ImageField, treat every failure as damage.
            raise ImageDamaged(f"cannot be opened as {kind.upper()}") from None
        finally:
            handle.seek(0)
    if size[0] * size[1] > MAX_IMAGE_PIXELS:
        raise ImageTooLarge(size)
    return size
