"""The PDF editions in the region's scripts: the Armenian, Georgian and Persian demo editions
print with no missing glyph (the PDF fixture fails on WeasyPrint's warning), in one family
of typefaces per script, and their text comes back out of the file, Persian in reading
order (checked with poppler's pdftotext and pdffonts)."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from articles import pdf
from newsroom.demo.article_files import read_article_file
from tests.conftest import missing_service
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

DEMO_EDITIONS = Path(__file__).resolve().parents[2] / "newsroom" / "demo" / "editions"
SLUG = "tehran-and-the-route-through-syunik"


@pytest.fixture
def poppler():
    if not shutil.which("pdftotext") or not shutil.which("pdffonts"):
        missing_service("needs poppler-utils (pdftotext, pdffonts): .ci/run installs them")


def _printed(language: str, tmp_path: Path) -> Path:
    front, body = read_article_file(DEMO_EDITIONS / language / f"{SLUG}.md")
    source = ArticleFactory(title="Tehran and the route it did not choose", slug=SLUG)
    edition = ArticleFactory(
        language=language,
        translation_key=source.translation_key,
        translation_of=source,
        title=front["title"],
        dek=front["dek"],
        slug=f"{SLUG}-{language}",
        body=body,
    )
    path = tmp_path / f"{language}.pdf"
    path.write_bytes(pdf.render_pdf(edition))
    return path


def _text(path: Path) -> str:
    """The text as pdftotext reads it, without the bidi embedding marks it puts around
    each line (U+202A–U+202E)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return " ".join(re.sub("[\u202a-\u202e]", "", out.stdout.decode()).split())


def _font_families(path: Path) -> set[str]:
    """The embedded fonts' families, without their subset tag and style: NotoSerif, …"""
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    names = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    styles = r"(-(Bold|Italic|Oblique|BoldItalic|BoldOblique))?$"
    return {re.sub(styles, "", name.split("+")[-1]).replace("-", "") for name in names}


@pytest.mark.parametrize(
    "language, heading, quote, families",
    [
        (
            "hy",
            "Երկու ձայն",
            "Իրանի լծակն այն է, որ նա հենց կողքին է։",
            {"NotoSerifArmenian", "NotoSansArmenian"},
        ),
        (
            "ka",
            "ორი ხმა",
            "ირანის ბერკეტი ისაა, რომ ის პირდაპირი მეზობელია.",
            {"NotoSerifGeorgian", "NotoSansGeorgian"},
        ),
    ],
    ids=["armenian", "georgian"],
)
def test_armenian_and_georgian_editions_print_in_one_family(
    pdf_printing, poppler, tmp_path, language, heading, quote, families
):
    path = _printed(language, tmp_path)
    text = _text(path)
    assert heading in text and quote in text
    # The script's own Noto faces, and the Latin/Cyrillic Noto ones for the rest (the
    # Center's name, the citation): no other family stands in for a letter.
    assert _font_families(path) <= families | {"NotoSerif", "NotoSans"}
    assert families & _font_families(path)


def test_the_persian_edition_prints_right_to_left_in_noto_naskh_and_sans_arabic(
    pdf_printing, poppler, tmp_path
):
    path = _printed("fa", tmp_path)
    text = _text(path)
    assert "تهران و مسیری که خود برنگزید" in text
    # Each line's words come out in reading order, and the lines in theirs.
    assert "چهل و چند کیلومتر مرز با ارمنستان در امتداد رود ارس" in text
    order = ["برای ایران", "آذربایجان یا ترکیه باشد", "دو صدا", "چه چیزی را باید زیر نظر داشت"]
    assert [text.index(words) for words in order] == sorted(text.index(w) for w in order)
    # Persian digits stay Persian digits (a number's spaces may come out shifted: "اوت  ۲۰۲۵در";
    # docs/pdf-editions.md says what holds).
    assert "۲۰۲۱" in text and "۲۰۲۵" in text
    # Naskh for the text, Sans Arabic for headings and labels; no other face for a letter.
    families = _font_families(path)
    assert {"NotoNaskhArabic", "NotoSansArabic"} <= families
    assert families <= {"NotoNaskhArabic", "NotoSansArabic", "NotoSerif", "NotoSans"}
    # Arabic script has no italic: no slanted (synthetic oblique) Persian face.
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Arabic-Oblique" not in fonts


def test_a_letter_no_font_has_is_caught_by_the_pdf_tests(pdf_printing):
    # U+10FFFD (a private-use code point) is in no font: WeasyPrint prints a box and says so.
    article = ArticleFactory(title="A box", body="A letter no font has: \U0010fffd.")
    pdf.render_pdf(article)
    assert any("U+10FFFD" in m for m in pdf_printing.missing_glyphs)
    pdf_printing.messages.clear()  # caught: this test's own box does not fail it
