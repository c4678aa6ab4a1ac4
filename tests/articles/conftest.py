import pytest

from articles import pdf
from tests.conftest import missing_service


@pytest.fixture
def pdf_printing():
    """WeasyPrint and its system libraries, which the PDF editions need."""
    try:
        pdf._weasyprint()
    except pdf.PdfUnavailable as error:
        missing_service(f"needs WeasyPrint's system libraries and fonts-noto-core: {error}")
