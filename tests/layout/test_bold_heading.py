"""The copy heading ("사본 · Copy of the letter sent to: ...") is bold in every script it
uses (issue 22): the bundled Hangul face has no bold, so 사본 is a synthetic bold, filled
and stroked (text render mode 2), and must look as heavy as the bold Latin beside it.

The weight is measured on pages rendered by pdftoppm at 600 dpi, as the strokes'
thickness: twice the ink's area over the length of its outline (for a stroke much longer
than it is thick, area = thickness x length and outline = 2 x length). Unlike a count of
dark pixels, this does not depend on how many strokes a glyph has (Hangul has many).
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from campaign_letters import render_letters
from campaign_letters.layout.paragraphs import draw_line
from campaign_letters.layout.shaped import SYNTHETIC_BOLD, lacks_bold
from campaign_letters.pdf import Metadata, canvas_pdf, plain_mode
from campaign_letters.text import faces
from campaign_letters.text.strings import string_width
from tests.helpers import CHRIS, METTE
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import page_fragments, pdftotext_pages, tool

DPI = 600
HANGUL = "CampaignGothic-Regular"
BASELINE = 800.0  # of the one line drawn_pdf draws, from an A4 page's foot


def drawn_pdf(text: str, bold: bool) -> bytes:
    """One line of ``text`` at 10 pt, 50 pt from the left of an A4 page, as draw_line
    draws it (a page the every-PDF check can read like any letter)."""
    faces.register_fonts()

    def draw(canvas):
        draw_line(canvas, 50, BASELINE, text, 10, bold=bold)
        canvas.showPage()

    return canvas_pdf(draw, A4, Metadata("draw_line", "tests"), faces.LATIN.name)


def content_and_fonts(page) -> tuple[str, dict[str, str]]:
    """A page's content stream, decompressed, and its font resources' base fonts."""
    fonts = {name: str(ref.get_object()["/BaseFont"]).split("+")[-1]
             for name, ref in page["/Resources"]["/Font"].items()}
    return page.get_contents().get_data().decode("latin-1"), fonts


def text_objects(content: str, fonts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(base font, the graphics state set since the last 'q', the text object) of each
    BT ... ET with a single font."""
    found = []
    for match in re.finditer(r"(q\n(?:[^\n]*\n){0,4})?BT\s(.*?)\sET", content, re.S):
        body = match.group(2)
        names = re.findall(r"(/F[\w+]+) [\d.]+ Tf", body)
        if len(set(names)) == 1:
            found.append((fonts[names[0]], match.group(1) or "", body))
    return found


def ink_thickness(png: Path) -> tuple[float, int]:
    """The strokes' thickness in pixels (2 x area / outline), and the dark pixels."""
    with Image.open(png) as opened:
        image = opened.convert("L")
    width, height = image.size
    pixels = image.tobytes()
    dark = [[value < 128 for value in pixels[y * width:(y + 1) * width]]
            for y in range(height)]
    area = sum(map(sum, dark))
    outline = sum(row[x] != row[x + 1] for row in dark for x in range(width - 1))
    outline += sum(dark[y][x] != dark[y + 1][x] for y in range(height - 1)
                   for x in range(width))
    assert area and outline, f"{png}: no ink"
    return 2 * area / outline, area


def render_box(pdf: Path, page: int, box: tuple[float, float, float, float], page_height:
               float, out: Path) -> Path:
    """Rasterise the box (left, bottom, right, top, in points from the page's foot) of
    one page (1-based) at 600 dpi, in grey."""
    scale = DPI / 72
    left, bottom, right, top = box
    args = ["-r", str(DPI), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
            "-x", str(int(left * scale)), "-y", str(int((page_height - top) * scale)),
            "-W", str(int((right - left) * scale)), "-H", str(int((top - bottom) * scale))]
    result = subprocess.run([tool("pdftoppm"), *args, str(pdf), str(out)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return out.with_suffix(".png")


def test_the_faces_without_a_bold():
    assert not lacks_bold(faces.LATIN_BOLD.name)
    for face in (faces.LATIN, faces.HANGUL, faces.HAN, *faces.SHAPED):
        assert lacks_bold(face.name), face.name
    assert 0.03 <= SYNTHETIC_BOLD <= 0.04


@pytest.mark.parametrize("sender, language, heading", [
    (METTE, "da", "사본 · Kopi af brevet sendt til: Mads Skau, borgmester i Haderslev"),
    (CHRIS, "en", "사본 · Copy of the letter sent to: Mads Skau, Mayor of Haderslev"),
])
def test_the_hangul_of_the_heading_is_filled_and_stroked(sender, language, heading):
    letters = make_letters("naju-haderslev", sender, language=language)
    assert [letter.copy_of for letter in letters[1:]] == [heading, heading]
    pdf = render_letters(letters, "title")
    reader = PdfReader(io.BytesIO(pdf))
    copies = [page for page in reader.pages
              if any(f.font == HANGUL and f.text == "사본" for f in page_fragments(page))]
    assert len(copies) == 2
    for page in copies:
        objects = text_objects(*content_and_fonts(page))
        (hangul,) = [(state, body) for font, state, body in objects
                     if font == HANGUL and " 2 Tr " in f" {body} "]
        state, body = hangul
        # Stroked in the fill colour (black), 0.04 em wide, with round joins, and the
        # render mode put back inside the same text object.
        assert re.search(r"\b0 0 0 RG\b", state) and re.search(r"(^|\s)\.4 w\b", state)
        assert re.search(r"\b1 j\b", state)
        assert body.index("2 Tr") < body.index("Tj") < body.index("0 Tr")
        # The Latin is Noto Sans Bold itself, never stroked.
        bold = [body for font, _, body in objects if font == "NotoSans-Bold"]
        assert bold and not any("Tr" in body for body in bold)
    # The text reads back as before: the heading, whole, on each copy.
    pages = pdftotext_pages(pdf)
    squashed = heading.replace(" ", "")
    assert sum(squashed in page.replace(" ", "").replace("\n", "") for page in pages) == 2


def test_the_hangul_is_as_heavy_as_the_bold_latin(tmp_path):
    """On the page as printed: 사본's strokes within 25 % of the bold Latin word's beside
    it, and far heavier than 사본 in its regular weight."""
    letters = make_letters("naju-haderslev", CHRIS, language="en")
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(render_letters(letters, "title"))
    page = PdfReader(pdf).pages[1]
    height = float(page.mediabox.height)
    fragments = page_fragments(page)
    (hangul,) = [f for f in fragments if f.font == HANGUL and f.text == "사본"]
    (latin,) = [f for f in fragments if f.font == "NotoSans-Bold" and "Copy" in f.text]
    size = hangul.size
    top, bottom = hangul.y + size, hangul.y - 0.3 * size
    left = latin.x + string_width("· ", size, bold=True)
    boxes = {
        "사본": (hangul.x, bottom, hangul.x + string_width("사본", size), top),
        "Copy": (left, bottom, left + string_width("Copy", size, bold=True), top),
    }
    measured = {word: ink_thickness(render_box(pdf, 2, box, height, tmp_path / word))
                for word, box in boxes.items()}
    # 사본 drawn in its regular weight, the same size, for comparison.
    regular = tmp_path / "regular.pdf"
    regular.write_bytes(drawn_pdf("사본", bold=False))
    measured["사본 regular"] = ink_thickness(render_box(
        regular, 1, (50, BASELINE - 3, 50 + string_width("사본", 10), BASELINE + 10),
        A4[1], tmp_path / "regular"))
    hangul_bold, latin_bold = measured["사본"][0], measured["Copy"][0]
    assert abs(hangul_bold - latin_bold) <= 0.25 * latin_bold, measured
    assert hangul_bold >= 1.3 * measured["사본 regular"][0], measured


@pytest.mark.parametrize("plain", [False, True])
def test_shaped_scripts_are_a_synthetic_bold_too(plain, tmp_path):
    """A heading naming someone in Arabic: the shaped glyphs are stroked as well, by the
    shortcut and by ReportLab's public path alike."""
    with plain_mode(plain):
        pdf = drawn_pdf("사본 · فاطمة الزهراء", bold=True)
    content, fonts = content_and_fonts(PdfReader(io.BytesIO(pdf)).pages[0])
    stroked = {font for font, _, body in text_objects(content, fonts) if "2 Tr" in body}
    assert stroked == {HANGUL, "NotoSansArabic-Regular"}
    assert content.count("2 Tr") == content.count("0 Tr") == 2
