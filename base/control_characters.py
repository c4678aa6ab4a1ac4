"""Control characters in what people type: refused where the text comes in, removed where
it goes out.

A control character pasted into a title (an ESC from a terminal, a form feed from a PDF)
is invisible on screen, yet an XML file (Crossref), a line-based format (RIS) or a printer
cannot carry it. Forms refuse it with a message that says which one and where; exports
remove it, because rows saved before this rule (or written by a script) may still hold one.

One-line fields (titles, names) take no control character at all; multi-line fields take
tab, line feed and carriage return, the only ones XML 1.0 allows.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# C0 controls and DEL; a one-line field keeps none of them.
_ONE_LINE = re.compile(r"[\x00-\x1f\x7f]")
# The same without tab, line feed and carriage return.
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What XML 1.0 cannot hold at all (besides the surrogates a Python str rarely carries).
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Names a writer may recognise; the others are shown by their code point only.
_NAMES = {
    0x00: "null",
    0x09: "tab",
    0x0A: "line break",
    0x0B: "vertical tab",
    0x0C: "form feed (page break)",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
}


def _describe(character: str) -> str:
    code = ord(character)
    name = _NAMES.get(code)
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


@deconstructible
class ControlCharacterValidator:
    """Refuses control characters; `multi_line` allows tab and line breaks."""

    def __init__(self, multi_line: bool = False) -> None:
        self.multi_line = multi_line

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        pattern = _MULTI_LINE if self.multi_line else _ONE_LINE
        found = pattern.search(value)
        if found is None:
            return
        count = len(pattern.findall(value))
        others = f" and {count - 1} more" if count > 1 else ""
        raise ValidationError(
            "This contains an invisible control character, %(which)s at position "
            "%(position)s%(others)s, which cannot be printed or exported. Delete it (retyping "
            "the text around it is enough); the rest of what you typed is kept.",
            code="control_character",
            params={
                "which": _describe(found.group()),
                "position": found.start() + 1,
                "others": others,
            },
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ControlCharacterValidator) and other.multi_line == self.multi_line


validate_one_line = ControlCharacterValidator()
validate_multi_line = ControlCharacterValidator(multi_line=True)


def strip_for_xml(text: str) -> str:
    """`text` without the characters an XML 1.0 document cannot contain."""
    return _NOT_XML.sub("", text)


def strip_control_characters(text: str, *, multi_line: bool = False) -> str:
    """`text` without control characters (keeping tab and line breaks if `multi_line`), for
    line-based formats where even a valid XML character would break a record."""
    return (_MULTI_LINE if multi_line else _ONE_LINE).sub("", text)
