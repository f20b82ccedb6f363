"""Address labels for plain (non-window) envelopes: one label per letter, on label sheets.

In: each letter's address lines exactly as the envelope must show them (what
``address.recipient_lines`` gives: Korean recipients in Korean script, the country line
last) and a ``LabelSheet``. Out: PDF bytes, deterministic, every font embedded.

Labels fill a sheet row by row, left to right, then the next sheet. Each address block is
left-aligned 3 mm inside its label and centred vertically; it is set at 9 pt, a line too
wide for the label wrapping at its spaces, and only a block still too tall is set smaller,
in 0.5 pt steps down to 6 pt; a label that does not fit even at 6 pt is refused with a
LayoutError: never clipped, never printed over the label's edge.

Positions are measured from the sheet's top-left corner, in PostScript points, as in
``paper``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from campaign_letters.compose.paper import Box
from campaign_letters.errors import LayoutError
from campaign_letters.layout.paragraphs import LINE_SPACING, draw_line
from campaign_letters.pdf import Metadata, artifact, canvas_pdf, draw_once, tagged
from campaign_letters.text import faces
from campaign_letters.text.languages import script_language
from campaign_letters.text.strings import string_width
from campaign_letters.version import __version__

LABEL_MAX_SIZE = 9.0
LABEL_MIN_SIZE = 6.0  # the floor: smaller is hard for sorting machines and people
SIZE_STEP = 0.5
# Clear of the die-cut edge on every side: sheet-fed printers drift by a millimetre or
# two, and text running onto the next label is worse than slightly smaller text.
PADDING = 3 * mm
# How far ink reaches above and below the baseline, in ems, in the bundled faces: the
# top of accented capitals ('É' 0.944 in Noto Sans) and of Hangul (~0.78), the foot of
# descenders ('g' -0.24 in Noto Sans, Hangul ~-0.14). A block is fitted and centred on
# this ink span, so nothing drawn can leave its label.
ASCENT = 0.95
DESCENT = 0.25
OUTLINE_COLOR = Color(0.8, 0.8, 0.8)
HOUSE_NUMBER = re.compile(r"\d+[\d/-]*[A-Za-z]?,?")


@dataclass(frozen=True)
class LabelSheet:
    """One label sheet's grid, in points; ``left`` and ``top`` from the sheet's top-left."""

    name: str  # for messages: "Avery L7160"
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float  # the first column's left edge, from the sheet's left edge
    top: float  # the first row's top edge, from the sheet's top edge
    column_pitch: float  # left edge to left edge: label width plus the gap
    row_pitch: float  # top edge to top edge

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_box(self, index: int) -> Box:
        """Where label ``index`` (0-based, over all sheets) sits on its sheet.

        >>> box = SHEETS["5160"].label_box(4)  # the second row's middle label
        >>> round(box.left / inch, 4), round(box.top / inch, 4)
        (2.9375, 1.5)
        """
        row, column = divmod(index % self.per_sheet, self.columns)
        return Box(self.left + column * self.column_pitch, self.top + row * self.row_pitch,
                   self.label_width, self.label_height)


# Avery L7160 (also sold as J8160; 21 per A4 sheet).
# Sources: Avery UK's template specification for L7160, from memory (not re-read for
# this module): label 63.5 x 38.1 mm, 3 x 7, top margin 15.15 mm, horizontal pitch
# 66.04 mm (2.54 mm gap), vertical pitch 38.1 mm (no gap), side margins 7.21 mm. The
# arithmetic agrees: 2 x 15.15 + 7 x 38.1 = 297 mm, and centring the grid gives
# (210 - 2 x 66.04 - 63.5) / 2 = 7.21 mm, so the left margin is computed that way. The
# 7.25 mm sometimes quoted would make the grid 210.08 mm wide; gLabels-qt
# (templates/avery-iso-templates.xml, "7160": x0 21.2 pt, y0 43.9 pt, dx 187.2 pt) has
# 7.48 mm and 15.49 mm. All these differ by under 0.35 mm: within the die-cut
# tolerance of the sheets and far inside the 3 mm padding.
L7160 = LabelSheet(
    name="Avery L7160",
    page_width=A4[0],
    page_height=A4[1],
    columns=3,
    rows=7,
    label_width=63.5 * mm,
    label_height=38.1 * mm,
    left=(210 - 2 * 66.04 - 63.5) / 2 * mm,  # 7.21 mm: the grid centred, see above
    top=15.15 * mm,
    column_pitch=66.04 * mm,
    row_pitch=38.1 * mm,
)

# Avery 5160 (30 per US Letter sheet).
# Sources: Avery's template specification for 5160 and Microsoft Word's built-in "Avery
# US Letter 5160" definition, from memory (not re-read for this module): label
# 2 5/8 x 1 in, 3 x 10, top margin 0.5 in, side margin 0.19 in (3/16 in = 0.1875),
# horizontal pitch 2.75 in (1/8 in gap), vertical pitch 1 in. The arithmetic agrees:
# 2 x 3/16 + 3 x 2.625 + 2 x 1/8 = 8.5 in and 2 x 0.5 + 10 x 1 = 11 in. gLabels-qt
# (templates/avery-us-templates.xml) has x0 5/32 in and dx 2.78125 in (5/32 in gaps),
# also 8.5 in in all: its outer columns sit 1/32 in (0.8 mm) further out, again inside
# the padding.
AVERY_5160 = LabelSheet(
    name="Avery 5160",
    page_width=LETTER[0],
    page_height=LETTER[1],
    columns=3,
    rows=10,
    label_width=2.625 * inch,
    label_height=1 * inch,
    left=0.1875 * inch,
    top=0.5 * inch,
    column_pitch=2.75 * inch,
    row_pitch=1 * inch,
)

SHEETS: dict[str, LabelSheet] = {"l7160": L7160, "5160": AVERY_5160}
_SHEET_FOR_PAPER = {"a4": "l7160", "letter": "5160"}


def sheet_for_paper(paper: str) -> LabelSheet:
    """The usual address-label sheet for a paper size (``"a4"`` or ``"letter"``).

    >>> sheet_for_paper("a4").name, sheet_for_paper("letter").name
    ('Avery L7160', 'Avery 5160')
    """
    key = _SHEET_FOR_PAPER.get(paper.lower())
    if key is None:
        known = ", ".join(repr(p) for p in _SHEET_FOR_PAPER)
        raise ValueError(f"no label sheet for paper {paper!r}; use one of {known}")
    return SHEETS[key]


def _block_height(line_count: int, size: float) -> float:
    """From the ink's top on the first line to its foot on the last."""
    return size * (LINE_SPACING * (line_count - 1) + ASCENT + DESCENT)


def wrap_line(line: str, size: float, width: float) -> list[str] | None:
    """``line`` broken at spaces into lines no wider than ``width``; None when one word
    alone is wider. A house number stays with the street before it ("시청길 22")."""
    words: list[str] = []
    for word in line.split(" "):
        if words and HOUSE_NUMBER.fullmatch(word):
            words[-1] += f" {word}"
        else:
            words.append(word)
    out: list[str] = []
    current = ""
    for word in words:
        trial = f"{current} {word}" if current else word
        if string_width(trial, size) <= width:
            current = trial
            continue
        if not current or string_width(word, size) > width:
            return None
        out.append(current)
        current = word
    out.append(current)
    return out


def fit_label(lines: Sequence[str], sheet: LabelSheet, number: int = 1
              ) -> tuple[float, list[str]]:
    """The largest size (9 pt down to 6 pt, in 0.5 pt steps) at which ``lines``, each
    wrapped at its spaces where too wide, fit a label, and the lines as set.

    Args:
        lines: the address lines, as the envelope must show them.
        sheet: the label sheet.
        number: the label's 1-based position in the run, for the error message (0: none).

    Raises:
        LayoutError: the lines do not fit even at 6 pt; the message names the label's
            first line and says whether a word is too wide or the lines too many.
    """
    if not lines:
        raise ValueError(f"address label {number} has no lines")
    room_width = sheet.label_width - 2 * PADDING
    room_height = sheet.label_height - 2 * PADDING
    size = LABEL_MAX_SIZE
    while size >= LABEL_MIN_SIZE:
        wrapped = [wrap_line(line, size, room_width) for line in lines]
        if all(part is not None for part in wrapped):
            set_lines = [piece for part in wrapped if part is not None for piece in part]
            if _block_height(len(set_lines), size) <= room_height:
                return size, set_lines
        size -= SIZE_STEP
    label = f"address label {number}" if number else "the address label"
    where = (f"{label} ({lines[0]!r}) does not fit an {sheet.name} label "
             f"even at {LABEL_MIN_SIZE:g} pt")
    wrapped_at_min = [wrap_line(line, LABEL_MIN_SIZE, room_width) for line in lines]
    too_wide = [line for line, part in zip(lines, wrapped_at_min, strict=True)
                if part is None]
    if too_wide:
        widest = max(too_wide[0].split(" "), key=lambda w: string_width(w, LABEL_MIN_SIZE))
        widest_width = string_width(widest, LABEL_MIN_SIZE)
        raise LayoutError(
            f"{where}: {widest!r} is {widest_width / mm:.1f} mm wide and the label "
            f"has room for {room_width / mm:.1f} mm; shorten it in the campaign file")
    count = sum(len(part or ()) for part in wrapped_at_min)
    needed = _block_height(count, LABEL_MIN_SIZE)
    raise LayoutError(
        f"{where}: its {count} lines need {needed / mm:.1f} mm and the label has room "
        f"for {room_height / mm:.1f} mm; use fewer address lines")


def label_font_size(lines: Sequence[str], sheet: LabelSheet, number: int = 1) -> float:
    """The size ``fit_label`` sets ``lines`` at."""
    return fit_label(lines, sheet, number)[0]


def _draw_label(canvas: Canvas, sheet: LabelSheet, box: Box, lines: Sequence[str],
                size: float) -> None:
    """The block left-aligned inside the padding, its ink span centred vertically."""
    centre = sheet.page_height - box.top - box.height / 2  # from the page's foot
    baseline = centre + _block_height(len(lines), size) / 2 - ASCENT * size

    def block() -> None:
        element = None  # one paragraph, a marked sequence per line
        lang = script_language(" ".join(lines))
        y = 0.0
        for line in lines:
            with tagged(canvas, "P", lang=lang, element=element) as element:
                draw_line(canvas, 0, y, line, size)
            y -= size * LINE_SPACING

    # Drawn from the first line's start: a pack's labels go to a few recipients, each
    # drawn once per PDF and replayed in every other cell (pdf.draw_once).
    canvas.saveState()
    canvas.translate(box.left + PADDING, baseline)
    draw_once(canvas, ("label", tuple(lines), size), block, across=False)
    canvas.restoreState()


def _draw_outlines(canvas: Canvas, sheet: LabelSheet) -> None:
    """Thin grey borders of every label on the sheet, for a test print on plain paper."""
    canvas.saveState()
    canvas.setStrokeColor(OUTLINE_COLOR)
    canvas.setLineWidth(0.25)
    with artifact(canvas):
        for index in range(sheet.per_sheet):
            box = sheet.label_box(index)
            canvas.rect(box.left, sheet.page_height - box.bottom, box.width, box.height)
    canvas.restoreState()


def render_labels(labels: Sequence[Sequence[str]], sheet: LabelSheet,
                  title: str = "Address labels", *, outlines: bool = False,
                  first_number: int = 1) -> bytes:
    """One address label per entry of ``labels``, on as many sheets as they need.

    Args:
        labels: each label's lines, as ``address.recipient_lines`` gives them.
        sheet: the label sheet, e.g. ``SHEETS["l7160"]`` or ``sheet_for_paper("letter")``.
        title: the PDF's title metadata.
        outlines: draw every label's border in light grey, to check a test print on plain
            paper against a label sheet held behind it.
        first_number: the first label's number in messages, when these are part of a run.

    Returns:
        The PDF; the same labels give the same bytes.

    Raises:
        LayoutError: a label does not fit even at 6 pt (checked before anything is drawn).
        MissingGlyphError: a character no bundled font has.
    """
    if not labels:
        raise ValueError("no address labels to render")
    faces.register_fonts()
    fits: dict[tuple[str, ...], tuple[float, list[str]]] = {}  # a pack repeats its labels
    fitted = []
    for number, lines in enumerate(labels, first_number):
        key = tuple(lines)
        if key not in fits:
            fits[key] = fit_label(lines, sheet, number)
        fitted.append(fits[key])

    def draw(canvas: Canvas) -> None:
        for index, (size, lines) in enumerate(fitted):
            if index % sheet.per_sheet == 0:
                if index:
                    canvas.showPage()
                if outlines:
                    _draw_outlines(canvas, sheet)
            _draw_label(canvas, sheet, sheet.label_box(index), lines, size)
        canvas.showPage()

    return canvas_pdf(draw, (sheet.page_width, sheet.page_height),
                      # The labels' words are addresses; English is the title's.
                      Metadata(title, f"campaign-letters {__version__}", lang="en"),
                      faces.LATIN.name, LABEL_MAX_SIZE)
