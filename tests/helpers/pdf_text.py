"""Reading PDFs back in the tests: their text as poppler and pdfium give it, each
letter's text, and where each piece of text was drawn (pypdf)."""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics


@dataclass(frozen=True)
class Fragment:
    """One piece of text as drawn: baseline start (x, y from the bottom), size, face."""

    text: str
    x: float
    y: float
    size: float
    font: str

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, self.size)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """left, bottom, right, top, from the page's bottom-left: descender to ascender."""
        return self.x, self.y - 0.3 * self.size, self.x + self.width, self.y + self.size


def page_fragments(page) -> list[Fragment]:
    """Every text fragment of a pypdf page with its position, from pypdf's visitor."""
    from campaign_letters.text import faces

    faces.register_fonts()  # the widths come from the same font files
    found: list[Fragment] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # ReportLab positions text with Tm (and Td/T* inside BT) and paragraphs with cm.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        base = str(font_dict["/BaseFont"]) if font_dict else "/NotoSans-Regular"
        found.append(Fragment(text.strip(), x, y, font_size,
                              base.lstrip("/").split("+")[-1]))

    page.extract_text(visitor_text=visit)
    return found


def squash(text: str) -> str:
    return "".join(text.split())


def tool(name: str) -> str:
    """The path of a PDF tool, or skip (CI installs them; conftest fails CI without)."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils qpdf)")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=False, timeout=120)


def pdftotext(pdf: Path | bytes) -> str:
    """The PDF's text as poppler's pdftotext gives it (pages end with a form feed)."""
    if isinstance(pdf, bytes):
        result = subprocess.run([tool("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf,
                                capture_output=True, check=False, timeout=120)
        assert result.returncode == 0, result.stderr.decode(errors="replace")
        return result.stdout.decode()
    result = run(tool("pdftotext"), "-enc", "UTF-8", pdf, "-")
    assert result.returncode == 0, result.stderr
    return result.stdout


def pdftotext_pages(pdf: Path | bytes) -> list[str]:
    """The text of each page, as pdftotext reads it."""
    return pdftotext(pdf).split("\f")[:-1]


def pdfium_text(pdf: bytes) -> str:
    """The PDF's text as pdfium (Chrome's reader) gives it, page after page."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def texts_by_letter(pack) -> list[str]:
    """The text of each letter of a VolunteerLetters (a letter may run over several pages),
    as pypdf reads it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pack.pdf))
    texts, page = [], 0
    for count in pack.pages:
        texts.append("\n".join(reader.pages[i].extract_text()
                               for i in range(page, page + count)))
        page += count
    return texts


# Invisible directional formatting: poppler wraps every right-to-left stretch it gives
# back in U+202B ... U+202C, and the ActualText holds a U+200E where poppler would
# otherwise move a space across a change of direction (shaping.extraction_text).
BIDI_FORMATTING = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def without_bidi_marks(text: str) -> str:
    return text.translate(BIDI_FORMATTING)


def letters(text: str) -> Counter[str]:
    """The letters, marks and digits of ``text``, decomposed (HarfBuzz draws a character
    the face lacks from its compatibility parts: U+0675 as alef and high hamza), as a
    multiset: a reader that orders glyphs visually still gives them all back."""
    return Counter(char for char in unicodedata.normalize("NFKD", text)
                   if unicodedata.category(char)[0] in "LMN")
