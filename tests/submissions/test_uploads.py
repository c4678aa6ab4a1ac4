import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from submissions.models import Submission
from submissions.uploads import MAX_BYTES, validate_attachment, validate_attachments
from tests.submissions.conftest import filled_submission_form, pdf

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'


def _image(image_format: str, size: tuple[int, int] = (32, 24), mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, format=image_format)
    return buffer.getvalue()


def _zip(*entries: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry in entries:
            archive.writestr(entry, "<xml/>")
    return buffer.getvalue()


def _xlsx(*extra: str) -> bytes:
    return _zip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", *extra)


def _name_as_id(value: object) -> str:
    # Name parametrized cases by file name; the bytes would make unreadable test ids.
    return value if isinstance(value, str) else "content"


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _refusal(name: str, content: bytes) -> str:
    """The message a contributor would read for this one file."""
    with pytest.raises(ValidationError) as info:
        validate_attachment(_upload(name, content))
    return " ".join(info.value.messages)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF, "pdf"),
        ("figures.csv", b"year,budget\n2024,1200\n", "csv"),
        ("excel export.csv", "\ufeffcity,population\nTbilisi,1200000\n".encode(), "csv"),
        ("budget.xlsx", _xlsx(), "xlsx"),
        ("votes.json", b'{"district": "Gori", "turnout": 0.61}', "json"),
        ("chart.png", _image("PNG"), "png"),
        ("photo.jpg", _image("JPEG"), "jpeg"),
        ("PHOTO.JPEG", _image("JPEG"), "jpeg"),
        ("SCAN.PDF", PDF, "pdf"),
    ],
    ids=_name_as_id,
)
def test_each_allowed_kind_is_accepted(name, content, kind):
    assert validate_attachment(_upload(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [("report.pdf", PDF), ("chart.png", _image("PNG")), ("b.xlsx", _xlsx())],
    ids=_name_as_id,
)
def test_checked_file_is_left_at_its_start_for_saving(name, content):
    upload = _upload(name, content)
    validate_attachment(upload)
    assert upload.read() == content


def test_png_renamed_pdf_is_refused():
    message = _refusal("chart.pdf", _image("PNG"))
    assert "“chart.pdf”" in message
    assert "contents are not a PDF" in message


def test_jpeg_renamed_png_is_refused():
    assert "contents are not a PNG image" in _refusal("photo.png", _image("JPEG"))


def test_text_renamed_xlsx_is_refused():
    message = _refusal("budget.xlsx", b"year,budget\n2024,1200\n")
    assert "“budget.xlsx”" in message
    assert "contents are not an Excel file" in message


def test_zip_without_workbook_renamed_xlsx_is_refused():
    message = _refusal("budget.xlsx", _zip("[Content_Types].xml", "word/document.xml"))
    assert "contents are not an Excel file" in message


def test_corrupt_zip_renamed_xlsx_is_refused():
    message = _refusal("budget.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert "contents are not an Excel file" in message


def test_workbook_with_macros_is_refused():
    message = _refusal("budget.xlsx", _xlsx("xl/vbaProject.bin"))
    assert "“budget.xlsx” contains macros" in message


def test_invalid_json_says_where_the_mistake_is():
    message = _refusal("votes.json", b'{"district": "Gori",\n "turnout": }')
    assert "“votes.json” is not valid JSON" in message
    assert "line 2" in message


def test_deeply_nested_json_is_refused():
    assert "nested too deeply" in _refusal("votes.json", b"[" * 200_000 + b"]" * 200_000)


def test_json_with_a_number_of_thousands_of_digits_is_refused_with_a_clear_message():
    message = _refusal("votes.json", b'{"turnout": ' + b"7" * 5000 + b"}")
    assert "“votes.json” holds a number with more than 4,300 digits" in message


@pytest.mark.django_db
def test_json_with_a_huge_number_comes_back_as_a_form_error_that_keeps_the_text(
    client, vocabulary, settings
):
    settings.SUBMISSIONS_MIN_SECONDS = 0
    huge = _upload("votes.json", b"[" + b"9" * 5000 + b"]")
    response = client.post(
        "/submit/", filled_submission_form(vocabulary) | {"attachments": [pdf(), huge]}
    )
    assert response.status_code == 400
    assert "“votes.json” holds a number with more than 4,300 digits" in response.text
    assert "A month without the Meghri road" in response.text
    assert not Submission.objects.exists()


def test_binary_content_renamed_csv_is_refused():
    message = _refusal("figures.csv", b"\x7fELF\x02\x01\x01\x00\x00\x00")
    assert "“figures.csv” is not a CSV file: it contains binary data" in message


def test_csv_in_a_legacy_encoding_is_refused_with_advice():
    message = _refusal("figures.csv", "café,prix\n".encode("cp1252"))
    assert "must be saved as UTF-8" in message
    assert "CSV UTF-8" in message


def test_csv_of_blank_lines_is_refused():
    assert "no rows" in _refusal("figures.csv", b"\n\r\n  \n")


def test_file_just_over_10_mb_is_refused_with_its_size():
    message = _refusal("big.pdf", b"%PDF-" + b"0" * MAX_BYTES)
    assert message == "“big.pdf” is 10.1 MB; each file can be at most 10 MB."


def test_file_of_exactly_10_mb_is_accepted():
    content = b"%PDF-" + b"0" * (MAX_BYTES - 5)
    assert len(content) == MAX_BYTES
    assert validate_attachment(_upload("big.pdf", content)) == "pdf"


def test_six_files_are_refused_before_any_is_checked():
    uploads = [_upload(f"virus{i}.exe", b"MZ") for i in range(6)]
    with pytest.raises(ValidationError) as info:
        validate_attachments(uploads)
    assert info.value.messages == ["You can attach up to 5 files; you chose 6."]


def test_five_good_files_return_their_kinds():
    uploads = [
        _upload("a.pdf", PDF),
        _upload("b.png", _image("PNG")),
        _upload("c.jpeg", _image("JPEG")),
        _upload("d.xlsx", _xlsx()),
        _upload("e.json", b"[]"),
    ]
    assert validate_attachments(uploads) == ["pdf", "png", "jpeg", "xlsx", "json"]


def test_each_bad_file_gets_its_own_message():
    uploads = [_upload("good.pdf", PDF), _upload("empty.csv", b""), _upload("x.pdf.exe", PDF)]
    with pytest.raises(ValidationError) as info:
        validate_attachments(uploads)
    messages = info.value.messages
    assert len(messages) == 2
    assert "“empty.csv” is empty" in messages[0]
    assert "“x.pdf.exe”" in messages[1]


@pytest.mark.filterwarnings("error")  # Pillow's bomb warning must become a refusal, not leak
def test_decompression_bomb_image_is_refused():
    # 100 million one-bit pixels compress to a few kilobytes but expand to gigabytes.
    bomb = _image("PNG", size=(10_000, 10_000), mode="1")
    assert len(bomb) < 100_000
    message = _refusal("map.png", bomb)
    assert "“map.png” is too large an image" in message
    assert "40 million pixels" in message


def test_image_just_over_40_million_pixels_is_refused():
    # Below Pillow's own limit, so only our limit stands in the way.
    message = _refusal("poster.png", _image("PNG", size=(8_000, 5_001), mode="1"))
    assert "“poster.png” is too large an image (8000 × 5001 pixels)" in message


def test_truncated_png_is_refused():
    buffer = io.BytesIO()
    Image.linear_gradient("L").save(buffer, format="PNG")
    truncated = buffer.getvalue()[: len(buffer.getvalue()) // 2]
    assert "“chart.png” is damaged or incomplete" in _refusal("chart.png", truncated)


def test_svg_with_script_is_refused():
    message = _refusal("logo.svg", SVG)
    assert "“logo.svg”" in message
    assert "cannot accept" in message
    assert "PDF, CSV, XLSX, JSON, PNG and JPEG" in message


@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("x.pdf.exe", ".exe"),
        ("report.exe.pdf", ".exe"),
        ("report.php.pdf", ".php"),
        ("invoice.html.pdf", ".html"),
        ("x.pdf.exe.", ".exe"),
        ("x.JS.pdf", ".js"),
    ],
)
def test_names_hiding_a_program_are_refused(name, extension):
    message = _refusal(name, PDF)
    assert f"“{name}” has “{extension}” in its name" in message
    assert "programs, scripts or web pages" in message


def test_name_with_ordinary_dots_is_accepted():
    assert validate_attachment(_upload("v1.2 final.pdf", PDF)) == "pdf"


@pytest.mark.parametrize("name", ["notes.txt", "archive.zip", "letter.docx", "README"])
def test_unlisted_types_are_refused_with_the_accepted_ones(name):
    message = _refusal(name, b"hello")
    assert f"“{name}” is not a type of file we accept" in message
    assert "PDF, CSV, XLSX, JSON, PNG and JPEG" in message


def test_empty_file_is_refused():
    assert "“report.pdf” is empty" in _refusal("report.pdf", b"")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.pdf", b""),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES),
        ("page.html", b"<html></html>"),
        ("notes.txt", b"hello"),
        ("x.pdf.exe", PDF),
        ("chart.pdf", _image("PNG")),
        ("budget.xlsx", b"year,budget\n"),
        ("votes.json", b"{"),
        ("figures.csv", b"\x00\x01"),
        ("map.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
    ],
    ids=_name_as_id,
)
def test_every_refusal_names_the_file(name, content):
    assert f"“{name}”" in _refusal(name, content)
