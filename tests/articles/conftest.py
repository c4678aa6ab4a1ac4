import pytest

from articles import pdf
from tests.conftest import missing_service


@pytest.fixture
def pdf_printing(settings):
    """PDF editions on, and WeasyPrint with the system libraries it needs."""
    settings.PDF_EDITIONS = True
    try:
        pdf._weasyprint()
    except pdf.PdfUnavailable as error:
        missing_service(f"needs WeasyPrint's system libraries and fonts-noto-core: {error}")
