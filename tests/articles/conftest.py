import logging

import pytest

from articles import pdf
from tests.conftest import missing_service

# What WeasyPrint logs when no font of the stylesheet (nor any fontconfig finds) has a letter:
# the letter prints as a box.
MISSING_GLYPH = ".notdef glyph rendered"


class _WeasyPrintWarnings(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    @property
    def missing_glyphs(self) -> list[str]:
        return [m for m in self.messages if MISSING_GLYPH in m or "font" in m.lower()]


@pytest.fixture
def pdf_printing(settings):
    """PDF editions on, and WeasyPrint with the system libraries it needs. A letter printed
    as a box (WeasyPrint's missing-glyph or missing-font warning) fails the test."""
    settings.PDF_EDITIONS = True
    try:
        pdf._weasyprint()
    except pdf.PdfUnavailable as error:
        missing_service(f"needs WeasyPrint's system libraries and fonts-noto-core: {error}")
    warnings = _WeasyPrintWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(warnings)
    try:
        yield warnings
    finally:
        logger.removeHandler(warnings)
    if warnings.missing_glyphs:
        pytest.fail(f"WeasyPrint printed letters as boxes: {warnings.missing_glyphs}")
