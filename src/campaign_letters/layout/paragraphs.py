"""Text as the letters set it: the paragraph styles, one line drawn on the canvas, and
paragraphs of plain or shaped text.

Every string passes through ``text.strings.to_markup`` (escaped, a face per script run)
or, in a right-to-left or complex script, through ``layout.shaped``. Also here: the seed,
the campaign text's characters numbered before anything is drawn, so that every letter
of a campaign encodes its message alike (see ``pdf._reportlab.seed_document``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from campaign_letters.compose.letters import Letter, LetterText
from campaign_letters.layout.shaped import ShapedParagraph, draw_run, draw_shaped_line
from campaign_letters.model import LinkItem
from campaign_letters.pdf import Seed, reusable_paragraph
from campaign_letters.text import faces, shaping
from campaign_letters.text.strings import paragraph_runs, string_width, to_markup

BODY_SIZE = 10.0
BODY_LEADING = 12.6
PARAGRAPH_GAP = BODY_LEADING * 0.4
ADDRESS_MAX_SIZE = 10.0
ADDRESS_MIN_SIZE = 9.0  # the floor: smaller is hard for sorting machines and people
RETURN_MAX_SIZE = 7.0
RETURN_MIN_SIZE = 5.5
LINE_SPACING = 1.18
MARK_COLOR = Color(0.45, 0.45, 0.45)


@dataclass(frozen=True)
class Fit:
    """How tightly a letter's flowing text is set: its type size, leading and paragraph
    spacing (a factor of the usual)."""

    size: float = BODY_SIZE
    leading: float = BODY_LEADING
    gap: float = 1.0


# A letter that overflows its first page by a little is set tighter, one step at a time:
# paragraph spacing first, then leading (never below 1.15 times the type size), then type
# size, down to 9.5 pt, still comfortable to read. The window zones, margins and fold
# marks never move. What does not fit at the last step continues on a second sheet, set
# as usual.
FITS = (Fit(), Fit(gap=0.75), Fit(gap=0.5), Fit(leading=12.2, gap=0.5),
        Fit(leading=11.8, gap=0.5), Fit(leading=11.5, gap=0.5),
        Fit(9.75, 11.25, 0.5), Fit(9.5, 10.95, 0.5))
USUAL = FITS[0]


def paragraph_style(name: str, size: float = BODY_SIZE, leading: float = BODY_LEADING,
           **extra: Any) -> ParagraphStyle:
    extra.setdefault("alignment", TA_LEFT)
    # bulletFontName too: its default, Helvetica, would be an unembedded font.
    return ParagraphStyle(name, fontName=faces.LATIN.name, bulletFontName=faces.LATIN.name,
                          fontSize=size, leading=leading, **extra)



def draw_line(canvas: Canvas, x: float, y: float, text: str, size: float,
              bold: bool = False, align_right: bool = False, parts: str | None = None
              ) -> None:
    """Draw one line at baseline ``y``, switching fonts per script run; with ``parts``,
    each part between those separators in its own direction (shaping.shape_line). Bold
    is bold in every script: a face with no bold draws a synthetic one (layout.shaped)."""
    if shaping.needs_shaping(text):
        line = shaping.shape_line(text, bold, None, parts)
        draw_shaped_line(canvas, x - line.width_at(size) if align_right else x, y, line, size,
                         bold)
        return
    if align_right:
        x -= string_width(text, size, bold)
    for font, part in faces.runs(text, bold):
        draw_run(canvas, x, y, font, size, part, bold)
        x += canvas.stringWidth(part, font, size)



def _seed_strings(text: LetterText) -> list[tuple[str, bool]]:
    """The strings of ``text`` that every letter in this language draws, and their weight."""
    strings = [(text.heading or "", True), (text.subject, True), (text.salutation, False),
               (text.closing, False), ("–.", False)]  # the link bullet; see text_flowables
    for item in text.body:
        strings.append((item.label or "", False) if isinstance(item, LinkItem)
                       else (item, False))
    return strings


_DIGITS = "0123456789"


def document_seed(letters: Sequence[Letter]) -> Seed:
    """The characters that every PDF of these letters' campaign texts draws, by font, in
    a fixed order (see _reportlab.seed_document). Sender details are left out: they
    change from volunteer to volunteer."""
    return _seed(tuple((letter.text, letter.translation, letter.recipient_lines,
                        letter.copy_line, letter.copy_of) for letter in letters))


# A letter's campaign parts: text, translation, recipient_lines, copy_line, copy_of.
_FixedParts = tuple[LetterText, LetterText | None, tuple[str, ...], str | None, str | None]


@lru_cache(maxsize=64)
def _seed(fixed_parts: tuple[_FixedParts, ...]) -> Seed:
    strings: list[tuple[str, bool]] = []
    for text, translation, recipient_lines, copy_line, copy_of in fixed_parts:
        for each in (text, translation):
            if each is not None:
                strings += _seed_strings(each)
        # Not the place and date line: it names the volunteer's town. Its digits instead,
        # which street numbers and postcodes share: that keeps most volunteers' font
        # subsets alike for a few more glyphs (about 0.5 KB).
        strings += [(line, False) for line in (*recipient_lines, copy_line or "", _DIGITS)]
        strings.append((copy_of or "", True))
    # A soft hyphen where a line breaks is printed as "-".
    strings += [("-", bold) for string, bold in strings if "\xad" in string]
    by_font: dict[str, Counter[str]] = {}
    for string, bold in strings:
        for font, part in faces.runs(string, bold):
            by_font.setdefault(font, Counter()).update(part)
    return tuple((font, "".join(_code_order(counts))) for font, counts in by_font.items())


def _code_order(counts: Counter[str]) -> list[str]:
    """Characters in the order to number them so the most used print as themselves.

    A font subset's codes 1-31 and 127-255 are written as four-byte escapes in the page's
    text ("\\001"), codes 33-126 as one byte; the seed's first 31 characters get 1-31.
    So the 94 most used go in the middle, the 31 next after them first: a page's text is
    half as long before compression, which is faster to compress.
    """
    ranked = [char for char, _ in counts.most_common() if char != " "]
    printable = min(94, max(0, len(ranked) - 31))
    rest = ranked[printable:]
    spaces = [" "] if " " in counts else []  # code 32 from the start: numbers nothing
    return rest[:31] + ranked[:printable] + rest[31:] + spaces



def text_paragraph(text: str, style: ParagraphStyle, bold: bool = False,
                   bullet: str | None = None) -> Flowable:
    """Plain text as a paragraph: ReportLab's, or for right-to-left and complex scripts
    one of layout.shaped's."""
    if shaping.needs_shaping(text):
        return ShapedParagraph(" ".join(text.split("\n")), style, bold, bullet=bullet)
    return reusable_paragraph(to_markup(text, bold=bold), style, bullet,
                              (paragraph_runs(text, bold),))


def lines_paragraph(lines: Sequence[str], style: ParagraphStyle, bold: bool = False
                    ) -> Flowable:
    """Lines of plain text as one paragraph, each line starting a new one."""
    if any(shaping.needs_shaping(line) for line in lines):
        return ShapedParagraph("\n".join(lines), style, bold)
    return reusable_paragraph("<br/>".join(to_markup(line, bold=bold) for line in lines),
                              style, lines=tuple(paragraph_runs(line, bold)
                                                 for line in lines))


def campaign_paragraph(text: str, style_name: str, bold: bool = False,
                       fit: Fit = USUAL) -> Flowable:
    return text_paragraph(text, paragraph_styles(fit)[style_name], bold)


@cache  # one set per Fit: FITS is finite
def paragraph_styles(fit: Fit = USUAL) -> dict[str, ParagraphStyle]:
    size, leading, gap = fit.size, fit.leading, fit.leading * 0.4 * fit.gap
    tag = "" if fit == USUAL else f"@{size:g}/{leading:g}/{fit.gap:g}"
    # No line of a paragraph left alone at the top or foot of a page.
    body = paragraph_style("body" + tag, size, leading, spaceAfter=gap, allowWidows=0,
                           allowOrphans=0)
    return {
        "body": body,
        "link": paragraph_style("link" + tag, size, leading, leftIndent=6 * mm,
                                bulletIndent=1.5 * mm, spaceAfter=leading * 0.2 * fit.gap),
        "last-link": paragraph_style("last-link" + tag, size, leading, leftIndent=6 * mm,
                                     bulletIndent=1.5 * mm, spaceAfter=gap),
        "subject": paragraph_style("subject" + tag, size, leading,
                                   spaceAfter=leading * 0.6 * fit.gap, allowWidows=0,
                                   allowOrphans=0),
        "heading": paragraph_style("heading", 9, 12, spaceAfter=BODY_LEADING),
        "copy-of": paragraph_style("copy-of", 10, 12.5),
        "copy": paragraph_style("copy", 9, 12),
    }


