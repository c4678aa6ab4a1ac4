"""Checks on the files outside contributors attach to a submission.

Contributors are strangers, so each file is treated as hostile until its name, size and
contents agree: the last extension decides the kind, the first bytes must match that kind,
and images are opened with Pillow under a pixel limit so that a small file cannot unpack
into gigabytes of memory. Every message names the file and says what to do about it.
"""

import json
import math
import sys
import zipfile
from collections.abc import Callable
from typing import IO

from django.core.exceptions import ValidationError

from base.filetypes import (
    MAX_IMAGE_PIXELS,
    ImageDamaged,
    ImageTooLarge,
    has_magic,
    verify_image,
)

ALLOWED_KINDS: dict[str, str] = {
    ".pdf": "pdf",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
}
MAX_FILES = 5
MAX_BYTES = 10 * 1024 * 1024

# Extensions of programs, scripts and pages a browser or desktop would run. Refused anywhere
# in the name, because "report.php.pdf" is served as PHP by a misconfigured server and
# "x.pdf.exe" shows as "x.pdf" when Windows hides known extensions.
DANGEROUS_EXTENSIONS = frozenset(
    {
        "exe", "bat", "cmd", "com", "js", "php", "sh", "html", "htm", "svg", "scr", "jar",
        "msi", "dll", "ps1", "vbs", "vbe", "jse", "wsf", "hta", "pif", "cpl", "lnk", "reg",
        "xhtml", "shtml", "phtml", "php3", "php4", "php5", "phar", "asp", "aspx", "jsp", "cgi",
        "pl", "py", "app", "apk", "dmg", "msc",
    }
)  # fmt: skip

_LABELS = {"pdf": "a PDF", "png": "a PNG image", "jpeg": "a JPEG image", "xlsx": "an Excel file"}
_ACCEPTED = "Accepted types are PDF, CSV, XLSX, JSON, PNG and JPEG."
_MEGABYTE = 1024 * 1024


def validate_attachments(uploads: list) -> list[str]:
    """Check a list of uploads (count limit first, then each file); return their kinds.

    Raises ValidationError with one message per bad file, so the contributor can fix every
    file in one go instead of discovering the problems one at a time.
    """
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            f"You can attach up to {MAX_FILES} files; you chose {len(uploads)}.",
            code="too_many_files",
        )
    kinds: list[str] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            kinds.append(validate_attachment(upload))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError(errors)
    return kinds


def validate_attachment(upload) -> str:
    """Check one uploaded file (a Django UploadedFile); return its kind or raise ValidationError."""
    name = upload.name or ""
    kind = _kind_from_name(name)
    if not upload.size:
        raise ValidationError(
            f"“{name}” is empty (0 bytes). Please choose the file again.", code="empty"
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {_megabytes(upload.size)}; "
            f"each file can be at most {MAX_BYTES // _MEGABYTE} MB.",
            code="too_large",
        )
    _CONTENT_CHECKS[kind](upload, name)
    return kind


def _kind_from_name(name: str) -> str:
    # Windows drops trailing dots and spaces when saving, so "x.exe." would become "x.exe".
    parts = [part.strip().lower() for part in name.rstrip(". ").split(".")]
    extensions = parts[1:]
    dangerous = next((ext for ext in extensions if ext in DANGEROUS_EXTENSIONS), None)
    if dangerous:
        raise ValidationError(
            f"“{name}” has “.{dangerous}” in its name, which is used for programs, scripts "
            f"or web pages, so we cannot accept it. Rename the file and try again. {_ACCEPTED}",
            code="dangerous_name",
        )
    kind = ALLOWED_KINDS.get(f".{extensions[-1]}") if extensions else None
    if kind is None:
        raise ValidationError(
            f"“{name}” is not a type of file we accept. {_ACCEPTED}", code="file_type"
        )
    return kind


def _megabytes(size: int) -> str:
    # Round up, so a file just over the limit never reads as "10.0 MB; at most 10 MB".
    return f"{math.ceil(size * 10 / _MEGABYTE) / 10:.1f} MB"


def _read(upload: IO[bytes], size: int = -1) -> bytes:
    # Leave the file at its start: whoever saves it next reads from the current position.
    upload.seek(0)
    try:
        return upload.read(size)
    finally:
        upload.seek(0)


def _mismatch(name: str, kind: str) -> ValidationError:
    return ValidationError(
        f"“{name}” is named like {_LABELS[kind]}, but its contents are not {_LABELS[kind]}. "
        "Check that you chose the right file, or that it is not damaged.",
        code="content_mismatch",
    )


def _check_magic(upload: IO[bytes], name: str, kind: str) -> None:
    if not has_magic(upload, kind):
        raise _mismatch(name, kind)


def _check_pdf(upload: IO[bytes], name: str) -> None:
    _check_magic(upload, name, "pdf")


def _check_xlsx(upload: IO[bytes], name: str) -> None:
    _check_magic(upload, name, "xlsx")
    # Only the central directory is read, so a zip bomb is never decompressed here.
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise _mismatch(name, "xlsx") from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" not in entries or not any(e.startswith("xl/") for e in entries):
        raise _mismatch(name, "xlsx")
    # A macro workbook renamed .xlsx would still open in Excel with its macros.
    if any(entry.lower().endswith("vbaproject.bin") for entry in entries):
        raise ValidationError(
            f"“{name}” contains macros, which we cannot accept. "
            "Save it as an ordinary Excel workbook (.xlsx) and try again.",
            code="macros",
        )


def _decode_text(upload: IO[bytes], name: str, hint: str) -> str:
    # utf-8-sig accepts the byte-order mark Excel and Notepad put at the start.
    try:
        return _read(upload).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            f"“{name}” is not readable text: it must be saved as UTF-8{hint}.", code="not_text"
        ) from None


def _check_json(upload: IO[bytes], name: str) -> None:
    text = _decode_text(upload, name, "")
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise ValidationError(
            f"“{name}” is not valid JSON: there is a mistake at line {error.lineno}, "
            f"column {error.colno} ({error.msg}).",
            code="invalid_json",
        ) from None
    except RecursionError:
        # Thousands of nested brackets are an attack, not data.
        raise ValidationError(
            f"“{name}” is not valid JSON: it is nested too deeply.", code="invalid_json"
        ) from None
    except ValueError:
        # Python refuses to turn more than sys.get_int_max_str_digits() digits into an int
        # (quadratic time); no real data set has such a number.
        raise ValidationError(
            f"“{name}” holds a number with more than {sys.get_int_max_str_digits():,} digits, "
            "which we cannot read. Check that the file is the data you meant to send.",
            code="invalid_json",
        ) from None


def _check_csv(upload: IO[bytes], name: str) -> None:
    text = _decode_text(upload, name, " (in Excel, choose “CSV UTF-8”)")
    if "\x00" in text:
        raise ValidationError(
            f"“{name}” is not a CSV file: it contains binary data. "
            "Export the spreadsheet as “CSV UTF-8” and try again.",
            code="not_text",
        )
    if not text.strip():
        raise ValidationError(f"“{name}” has no rows: it contains only blank lines.", code="empty")


def _image_too_large(name: str, size: tuple[int, int] | None = None) -> ValidationError:
    dimensions = f" ({size[0]} × {size[1]} pixels)" if size else ""
    return ValidationError(
        f"“{name}” is too large an image{dimensions}; images can have at most "
        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels. Please scale it down and try again.",
        code="image_too_large",
    )


def _check_image(upload: IO[bytes], name: str, kind: str) -> None:
    _check_magic(upload, name, kind)
    try:
        verify_image(upload, kind)
    except ImageTooLarge as error:
        raise _image_too_large(name, error.size) from None
    except ImageDamaged:
        raise ValidationError(
            f"“{name}” is damaged or incomplete, so it cannot be opened as "
            f"{_LABELS[kind]}. Please export it again and try once more.",
            code="damaged_image",
        ) from None


_CONTENT_CHECKS: dict[str, Callable[[IO[bytes], str], None]] = {
    "pdf": _check_pdf,
    "csv": _check_csv,
    "xlsx": _check_xlsx,
    "json": _check_json,
    "png": lambda upload, name: _check_image(upload, name, "png"),
    "jpeg": lambda upload, name: _check_image(upload, name, "jpeg"),
}
