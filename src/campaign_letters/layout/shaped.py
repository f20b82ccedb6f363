"""Drawing text that shaping.py prepared: one line, or a paragraph broken into lines.

ReportLab's Paragraph draws characters one by one, left to right; text in a right-to-left
or complex script goes through here instead (layout.paragraphs chooses, by
shaping.needs_shaping). A paragraph is broken at spaces (inside a word too long for the
line, between grapheme clusters: Thai and Khmer put no spaces between words), and each
line is then ordered and shaped on its own, in the paragraph's direction; a paragraph
whose first strong character is right to left is aligned to the right, as a browser does
with ``dir="auto"``.

Every line is one marked-content span whose ActualText is the typed text (see
shaping.extraction_text), but for a line of right-to-left letters and spaces only, which
every reader tested orders right by itself (shaping.readers_order_it_alone): copying or
searching the PDF gives back what was typed.

Bold text in a face with no bold of its own (every bundled face but Noto Sans Bold:
text/faces.py lets Hangul, Han and the shaped scripts serve bold text in their regular
weight) can be drawn as a synthetic bold: filled and outlined (text render mode 2) with
a stroke ``SYNTHETIC_BOLD`` ems wide, so that it is as heavy as the bold Latin beside it.
"""

from __future__ import annotations

import contextlib
import unicodedata

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from campaign_letters.pdf import actual_text, draw_text, glyph_code, show_glyphs, stroked_text
from campaign_letters.text import faces, shaping

# The outline of a synthetic bold, in ems. Measured at 600 dpi as twice the ink's area
# over its outline's length (tests/layout/test_bold_heading.py): NanumGothic's strokes
# are 0.059 em thick, Noto Sans's 0.067 em and Noto Sans Bold's 0.110 em; outlined 0.04
# em wide, the Hangul strokes are 0.093 em, as much heavier than their regular as the
# Latin bold is (Hangul's many strokes make up the rest).
SYNTHETIC_BOLD = 0.04
# The faces regular text uses: in bold text, these are the ones that stand in for a bold
# they do not have (text/faces.py's CHAINS).
_REGULAR_FACES = frozenset(face.name for face in faces.CHAINS[False])


def lacks_bold(face: str) -> bool:
    """Whether bold text drawn in ``face`` is in fact its regular weight.

    >>> lacks_bold(faces.runs("Copy", bold=True)[0][0]), lacks_bold(faces.HANGUL.name)
    (False, True)
    """
    return face in _REGULAR_FACES


def draw_run(canvas: Canvas, x: float, y: float, face: str, size: float, text: str,
             bold: bool = False) -> None:
    """One run of plain (unshaped) text in one face; ``bold`` in a face that has none is
    drawn as a synthetic bold."""
    canvas.setFont(face, size)
    if bold and lacks_bold(face):
        with stroked_text(canvas, SYNTHETIC_BOLD * size):
            draw_text(canvas, x, y, text, mode=2)
    else:
        draw_text(canvas, x, y, text)


def draw_shaped_line(canvas: Canvas, x: float, y: float, line: shaping.Line,
                     size: float, bold: bool = False) -> None:
    """Draw ``line`` with its left end at ``x`` and its baseline at ``y``; with ``bold``
    (the line shaped in bold), runs in a face without a bold as a synthetic bold."""
    span = contextlib.nullcontext() if shaping.readers_order_it_alone(line.text) else \
        actual_text(canvas, shaping.extraction_text(line.text))
    with span:
        for run in line.runs:
            if run.glyphs is None:
                draw_run(canvas, x, y, run.face, size, run.text, bold)
            else:
                glyphs = [(glyph_code(run.face, glyph.gid, glyph.text), x + glyph.x * size,
                           y + glyph.y * size) for glyph in run.glyphs]
                if bold and lacks_bold(run.face):
                    with stroked_text(canvas, SYNTHETIC_BOLD * size):
                        show_glyphs(canvas, run.face, size, glyphs, mode=2)
                else:
                    show_glyphs(canvas, run.face, size, glyphs)
            x += run.width * size


def _break_points(word: str) -> list[int]:
    """Where a word may be cut when it alone is wider than the line: before any
    character that starts a new grapheme cluster (not a mark, a joiner, or a letter
    after a virama)."""
    points = []
    for index in range(1, len(word)):
        char, before = word[index], word[index - 1]
        if unicodedata.category(char).startswith("M") or char in "\u200c\u200d":
            continue
        if unicodedata.combining(before) == 9 or before in "\u200d":  # a virama joins
            continue
        points.append(index)
    return points


class ShapedParagraph(Flowable):
    """A paragraph of shaped text, in one face size and leading (those of ``style``).

    ``text`` may hold line breaks ("\\n"), kept as they are (the sender block's lines);
    each such line takes the direction of its own first strong character, its wrapped
    parts too."""

    def __init__(self, text: str, style: ParagraphStyle, bold: bool = False,
                 lines: list[tuple[str, bool]] | None = None,
                 bullet: str | None = None) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bold = bold
        self.bullet = bullet  # drawn at the style's bulletIndent, on the first line
        self.rtl = shaping.base_is_rtl(text.split("\n", 1)[0])  # for indents and bullet
        self.spaceBefore = style.spaceBefore
        self.spaceAfter = style.spaceAfter
        self._lines = lines  # (text, right to left) each
        self._given = lines is not None  # a split's part: already broken
        self._for_width: float | None = None

    def _width(self, text: str, rtl: bool) -> float:
        # Not cached: trial lines would crowd the shaped lines out of shaping's cache.
        return shaping.measure(text, self.bold, rtl) * self.style.fontSize

    def _break(self, width: float) -> list[tuple[str, bool]]:
        lines: list[tuple[str, bool]] = []
        for hard_line in self.text.split("\n"):
            rtl = shaping.base_is_rtl(hard_line)
            current = ""
            for word in hard_line.split(" "):
                candidate = f"{current} {word}" if current else word
                if current and self._width(candidate, rtl) > width:
                    lines.append((current, rtl))
                    candidate = word
                if self._width(candidate, rtl) > width:
                    # One word wider than the line: cut it between clusters.
                    candidate = self._cut(candidate, width, rtl, lines)
                current = candidate
            lines.append((current, rtl))
        return lines

    def _cut(self, text: str, width: float, rtl: bool, lines: list[tuple[str, bool]]
             ) -> str:
        """Cut ``text`` into lines at cluster boundaries; return what is left."""
        while True:
            points = _break_points(text)
            # The last point that fits: widths grow with the prefix, so search.
            low, high = 0, len(points)  # points[:low] fit; points[high:] do not
            while low < high:
                middle = (low + high) // 2
                if self._width(text[:points[middle]], rtl) <= width:
                    low = middle + 1
                else:
                    high = middle
            if low == 0:
                return text  # not even one cluster fits: it overflows rather than loops
            if low == len(points) and self._width(text, rtl) <= width:
                return text
            lines.append((text[:points[low - 1]], rtl))
            text = text[points[low - 1]:]

    def lines_at(self, width: float) -> list[tuple[str, bool]]:
        """The paragraph broken into lines for ``width``: (text, right to left) each."""
        self.wrap(width, 0)
        return list(self._lines or [])

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # A split's parts keep the lines they were given (``lines``).
        if self._lines is None or (self._for_width != availWidth and not self._given):
            self._lines = self._break(availWidth - self.style.leftIndent
                                      - self.style.rightIndent)
            self._for_width = availWidth
        self.width = availWidth
        self.height = len(self._lines) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        lines = self._lines or []
        fit = int(availHeight / self.style.leading + 1e-6)
        if fit >= len(lines):
            return [self]
        # As ReportLab's paragraphs: no line left alone at the foot of a page (an
        # orphan) or at the top of the next (a widow), where the style says so.
        if not self.style.allowWidows and len(lines) - fit == 1:
            fit -= 1
        if fit <= 0 or (not self.style.allowOrphans and fit == 1):
            return []
        first = ShapedParagraph(self.text, self.style, self.bold, lines[:fit], self.bullet)
        rest = ShapedParagraph(self.text, self.style, self.bold, lines[fit:])
        first.spaceAfter = 0
        rest.spaceBefore = 0
        return [first, rest]

    def draw(self) -> None:
        style = self.style
        size = style.fontSize
        right = style.alignment == TA_RIGHT
        # A right-to-left paragraph is mirrored, as a browser does: indents swap sides,
        # the bullet goes on the right.
        start, stop = (style.rightIndent, style.leftIndent) if self.rtl else \
            (style.leftIndent, style.rightIndent)
        left, end = start, self.width - stop
        if self.bullet:
            self.canv.setFont(style.bulletFontName, style.bulletFontSize)
            bullet_x = style.bulletIndent
            if self.rtl:
                bullet_x = self.width - style.bulletIndent - self.canv.stringWidth(
                    self.bullet, style.bulletFontName, style.bulletFontSize)
            self.canv.drawString(bullet_x, self.height - size, self.bullet)
        for index, (text, rtl) in enumerate(self._lines or []):
            line = shaping.shape_line(text, self.bold, rtl)
            x = end - line.width_at(size) if right or rtl else left
            draw_shaped_line(self.canv, x, self.height - size - index * style.leading,
                             line, size)
