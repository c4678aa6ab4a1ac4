"""Persistent identifiers a citation carries: ORCID iDs for people, DOIs for pieces."""

import re

from django.core.exceptions import ValidationError

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
# Crossref's advice for modern DOIs: a 10. prefix of 4 to 9 digits, a slash, a suffix.
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_ORCID_PREFIXES = ("https://orcid.org/", "http://orcid.org/", "orcid.org/")
_DOI_PREFIXES = ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:", "doi.org/")


def orcid_check_digit(base_digits: str) -> str:
    """ISO 7064 MOD 11-2 over the first 15 digits, as ORCID computes it."""
    total = 0
    for digit in base_digits:
        total = (total + int(digit)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def normalize_orcid(value: str) -> str:
    value = value.strip()
    for prefix in _ORCID_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value.upper()


def validate_orcid(value: str) -> None:
    if not _ORCID.match(value):
        raise ValidationError(
            "An ORCID iD has four groups of four digits, e.g. 0000-0002-1825-0097."
        )
    digits = value.replace("-", "")
    if orcid_check_digit(digits[:15]) != digits[15]:
        raise ValidationError(
            "This ORCID iD has a typing error: its last character does not match the others."
        )


def normalize_doi(value: str) -> str:
    value = value.strip()
    for prefix in _DOI_PREFIXES:
        if value.lower().startswith(prefix):
            value = value[len(prefix) :]
    return value


def validate_doi(value: str) -> None:
    if len(value) > 200 or not _DOI.match(value):
        raise ValidationError("A DOI starts with 10., then digits, a slash and a suffix.")


_REPORT_NUMBER = re.compile(r"^CC-(\d{4})-(\d{3,})$")


def validate_report_number(value: str) -> None:
    if not _REPORT_NUMBER.match(value):
        raise ValidationError("A report number looks like CC-2026-001.")


def parse_report_number(value: str) -> tuple[int, int] | None:
    match = _REPORT_NUMBER.match(value or "")
    return (int(match[1]), int(match[2])) if match else None
