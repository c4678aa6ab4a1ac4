"""Checks on the files outside contributors attach to a submission.

Contributors are strangers, so each file is treated as hostile until its name, size and
contents agree: the last extension decides the kind, the first bytes must match that kind,
and images are opened with Pillow under a pixel limit so that a small file cannot unpack
into gigabytes of memory. Every message names the file and says what to do about it, in
the language of the page: each is translated when it is raised, as a whole sentence (no
sentence is assembled from translated pieces, whose order and cases differ by language).
"""

import json
import math
import sys
import zipfile
from collections.abc import Callable
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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

_MEGABYTE = 1024 * 1024


def _accepted() -> str:
    return _("Accepted types are PDF, CSV, XLSX, JSON, PNG and JPEG.")


def _figure(number: int) -> str:
    """A count in the page's language's format: 4,300 or 4 300."""
    return number_format(number, force_grouping=True)


def validate_attachments(uploads: list) -> list[str]:
    """Check a list of uploads (count limit first, then each file); return their kinds.

    Raises ValidationError with one message per bad file, so the contributor can fix every
    file in one go instead of discovering the problems one at a time.
    """
    if len(uploads) > MAX_FILES:
        raise ValidationError(
            ngettext(
                "You can attach up to %(limit)s file; you chose %(count)s.",
                "You can attach up to %(limit)s files; you chose %(count)s.",
                MAX_FILES,
            )
            % {"limit": MAX_FILES, "count": len(uploads)},
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
            _("“%(name)s” is empty (0 bytes). Please choose the file again.") % {"name": name},
            code="empty",
        )
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("“%(name)s” is %(size)s; each file can be at most %(limit)s.")
            % {
                "name": name,
                "size": _megabytes(upload.size),
                "limit": _("%(size)s MB") % {"size": MAX_BYTES // _MEGABYTE},
            },
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
        message = _(
            "“%(name)s” has “.%(extension)s” in its name, which is used for programs, "
            "scripts or web pages, so we cannot accept it. Rename the file and try again."
        ) % {"name": name, "extension": dangerous}
        raise ValidationError(f"{message} {_accepted()}", code="dangerous_name")
    kind = ALLOWED_KINDS.get(f".{extensions[-1]}") if extensions else None
    if kind is None:
        message = _("“%(name)s” is not a type of file we accept.") % {"name": name}
        raise ValidationError(f"{message} {_accepted()}", code="file_type")
    return kind


def _megabytes(size: int) -> str:
    # Round up, so a file just over the limit never reads as "10.0 MB; at most 10 MB".
    # The decimal sign is the language's (10,1 in Russian); "MB" is a word to translate.
    tenths = math.ceil(size * 10 / _MEGABYTE) / 10
    return _("%(size)s MB") % {"size": number_format(tenths, decimal_pos=1)}


def _read(upload: IO[bytes], size: int = -1) -> bytes:
    # Leave the file at its start: whoever saves it next reads from the current position.
    upload.seek(0)
    try:
        return upload.read(size)
    finally:
        upload.seek(0)


def _mismatch(name: str, kind: str) -> ValidationError:
    # One sentence per kind: "a PDF" takes another case or article in each language.
    messages = {
        "pdf": _(
            "“%(name)s” is named like a PDF, but its contents are not a PDF. "
            "Check that you chose the right file, or that it is not damaged."
        ),
        "png": _(
            "“%(name)s” is named like a PNG image, but its contents are not a PNG image. "
            "Check that you chose the right file, or that it is not damaged."
        ),
        "jpeg": _(
            "“%(name)s” is named like a JPEG image, but its contents are not a JPEG image. "
            "Check that you chose the right file, or that it is not damaged."
        ),
        "xlsx": _(
            "“%(name)s” is named like an Excel file, but its contents are not an Excel file. "
            "Check that you chose the right file, or that it is not damaged."
        ),
    }
    return ValidationError(messages[kind] % {"name": name}, code="content_mismatch")


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
            _(
                "“%(name)s” contains macros, which we cannot accept. "
                "Save it as an ordinary Excel workbook (.xlsx) and try again."
            )
            % {"name": name},
            code="macros",
        )


def _decode_text(upload: IO[bytes], name: str, kind: str) -> str:
    # utf-8-sig accepts the byte-order mark Excel and Notepad put at the start.
    try:
        return _read(upload).decode("utf-8-sig")
    except UnicodeDecodeError:
        if kind == "csv":
            message = _(
                "“%(name)s” is not readable text: it must be saved as UTF-8 "
                "(in Excel, choose “CSV UTF-8”)."
            )
        else:
            message = _("“%(name)s” is not readable text: it must be saved as UTF-8.")
        raise ValidationError(message % {"name": name}, code="not_text") from None


def _check_json(upload: IO[bytes], name: str) -> None:
    text = _decode_text(upload, name, "json")
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        # The json module's own words ("Expecting value") are English only: the line and
        # column are what lets the contributor find the mistake, in any language.
        raise ValidationError(
            _(
                "“%(name)s” is not valid JSON: there is a mistake at line %(line)s, "
                "column %(column)s."
            )
            % {"name": name, "line": error.lineno, "column": error.colno},
            code="invalid_json",
        ) from None
    except RecursionError:
        # Thousands of nested brackets are an attack, not data.
        raise ValidationError(
            _("“%(name)s” is not valid JSON: it is nested too deeply.") % {"name": name},
            code="invalid_json",
        ) from None
    except ValueError:
        # Python refuses to turn more than sys.get_int_max_str_digits() digits into an int
        # (quadratic time); no real data set has such a number.
        digits = sys.get_int_max_str_digits()
        raise ValidationError(
            ngettext(
                "“%(name)s” holds a number with more than %(count)s digit, which we cannot "
                "read. Check that the file is the data you meant to send.",
                "“%(name)s” holds a number with more than %(count)s digits, which we cannot "
                "read. Check that the file is the data you meant to send.",
                digits,
            )
            % {"name": name, "count": _figure(digits)},
            code="invalid_json",
        ) from None


def _check_csv(upload: IO[bytes], name: str) -> None:
    text = _decode_text(upload, name, "csv")
    if "\x00" in text:
        raise ValidationError(
            _(
                "“%(name)s” is not a CSV file: it contains binary data. "
                "Export the spreadsheet as “CSV UTF-8” and try again."
            )
            % {"name": name},
            code="not_text",
        )
    if not text.strip():
        raise ValidationError(
            _("“%(name)s” has no rows: it contains only blank lines.") % {"name": name},
            code="empty",
        )


def _image_too_large(name: str, size: tuple[int, int] | None = None) -> ValidationError:
    millions = MAX_IMAGE_PIXELS // 1_000_000
    if size:
        message = ngettext(
            "“%(name)s” is too large an image (%(width)s × %(height)s pixels); images can "
            "have at most %(count)s million pixel. Please scale it down and try again.",
            "“%(name)s” is too large an image (%(width)s × %(height)s pixels); images can "
            "have at most %(count)s million pixels. Please scale it down and try again.",
            millions,
        )
    else:
        message = ngettext(
            "“%(name)s” is too large an image; images can have at most %(count)s million "
            "pixel. Please scale it down and try again.",
            "“%(name)s” is too large an image; images can have at most %(count)s million "
            "pixels. Please scale it down and try again.",
            millions,
        )
    # Sides are written without grouping, as image editors show them (8000 × 5001).
    width, height = size or (0, 0)
    return ValidationError(
        message % {"name": name, "width": width, "height": height, "count": millions},
        code="image_too_large",
    )


def _check_image(upload: IO[bytes], name: str, kind: str) -> None:
    _check_magic(upload, name, kind)
    try:
        verify_image(upload, kind)
    except ImageTooLarge as error:
        raise _image_too_large(name, error.size) from None
    except ImageDamaged:
        messages = {
            "png": _(
                "“%(name)s” is damaged or incomplete, so it cannot be opened as a PNG image. "
                "Please export it again and try once more."
            ),
            "jpeg": _(
                "“%(name)s” is damaged or incomplete, so it cannot be opened as a JPEG image. "
                "Please export it again and try once more."
            ),
        }
        raise ValidationError(messages[kind] % {"name": name}, code="damaged_image") from None


_CONTENT_CHECKS: dict[str, Callable[[IO[bytes], str], None]] = {
    "pdf": _check_pdf,
    "csv": _check_csv,
    "xlsx": _check_xlsx,
    "json": _check_json,
    "png": lambda upload, name: _check_image(upload, name, "png"),
    "jpeg": lambda upload, name: _check_image(upload, name, "jpeg"),
}
