"""A letter's pages: what is drawn at fixed places on the first page (fold and punch
marks, the sender block, the copy heading, the return line, the recipient in the envelope
window, the place and date), the page numbers and header of later pages, and the page
templates whose frames the flowing text (``flow``) fills.

The recipient block and the copy heading are measured before anything is drawn
(``check_fits``). The recipient's address is set at 10 pt where it fits the window, its
lines too wide wrapped at their spaces (a house number staying with its street, as on the
labels), then smaller in small steps but never below 9 pt; an address still too tall at
9 pt is printed at 9 pt all the same, hanging from the window's top, and
``window_warnings`` says so, naming the recipient: never tiny type, never refused. A copy
heading too long for its room is a LayoutError.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from campaign_letters.compose.letters import Letter
from campaign_letters.compose.paper import GEOMETRIES, Box, Geometry
from campaign_letters.errors import LayoutError
from campaign_letters.layout.labels import wrap_line
from campaign_letters.layout.paragraphs import (
    ADDRESS_MAX_SIZE,
    ADDRESS_MIN_SIZE,
    BODY_SIZE,
    LINE_SPACING,
    MARK_COLOR,
    RETURN_MAX_SIZE,
    RETURN_MIN_SIZE,
    document_seed,
    draw_line,
    lines_paragraph,
    paragraph_style,
    paragraph_styles,
    text_paragraph,
)
from campaign_letters.layout.shaped import ShapedParagraph, draw_shaped_line, lacks_bold
from campaign_letters.pdf import (
    DocumentCanvas,
    artifact,
    close_group,
    close_groups_to,
    draw_once,
    open_group,
    plain,
    seed_canvas,
    tagged,
)
from campaign_letters.text import faces, shaping
from campaign_letters.text.languages import language_runs, script_language
from campaign_letters.text.strings import string_width
from campaign_letters.wording import PAGE_OF, translate

ADDRESS_STEP = 0.25  # pt: from 10 down to 9 pt in four steps


@dataclass(frozen=True)
class AddressFit:
    """How a recipient's address is set in its window: the size, the lines as drawn
    (too wide ones wrapped at their spaces), how many lines the window shows at that size,
    and the lines still wider than the window (a word alone wider, at the floor only)."""

    size: float
    lines: tuple[str, ...]
    shown: int
    too_wide: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        return len(self.lines) <= self.shown and not self.too_wide


def window_lines(box: Box, size: float) -> int:
    """How many lines at ``size`` the box shows whole: the first line's top to the last
    line's foot is ``size`` plus 1.18 times ``size`` a line after the first.

    >>> from campaign_letters.compose import paper
    >>> window_lines(paper.resolve("letter", "us-10", "US").recipient_zone, 9)
    4
    >>> window_lines(paper.resolve("a4", "din-5008-b", "DK").recipient_zone, 9)
    7
    """
    if box.height < size:
        return 0
    return int((box.height - size) / (size * LINE_SPACING) + 1e-9) + 1


def _wrap(line: str, size: float, width: float) -> list[str] | None:
    """``line`` as it fits ``width``: whole, or wrapped at its spaces (labels.wrap_line:
    a house number stays with its street); None when a word alone is wider."""
    if string_width(line, size) <= width:
        return [line]
    return wrap_line(line, size, width)


@lru_cache(maxsize=256)
def fit_address(lines: tuple[str, ...], box: Box) -> AddressFit:
    """The largest size from 10 pt down to 9 pt, in 0.25 pt steps, at which ``lines``,
    each wrapped at its spaces where too wide, fit ``box``; at 9 pt whatever the result.
    Cached: a pack's letters go to the same few recipients."""
    size = ADDRESS_MAX_SIZE
    while True:
        wrapped = [_wrap(line, size, box.width) for line in lines]
        at_floor = size - ADDRESS_STEP < ADDRESS_MIN_SIZE - 1e-9
        if at_floor or all(part is not None for part in wrapped):
            set_lines = tuple(piece for line, part in zip(lines, wrapped, strict=True)
                              for piece in (part if part is not None else [line]))
            fitted = AddressFit(size, set_lines, window_lines(box, size), tuple(
                line for line, part in zip(lines, wrapped, strict=True) if part is None))
            if at_floor or fitted.fits:
                return fitted
        size -= ADDRESS_STEP


def recipient_fit(letter: Letter) -> AddressFit:
    """How the recipient block is set in this letter's window."""
    return fit_address(tuple(letter.recipient_lines), letter.geometry.recipient_zone)


def _other_envelope(letter: Letter, fit: AddressFit) -> str:
    """What to do instead, for a warning: another envelope whose window shows the whole
    address at a readable size, or a plain one."""
    for (paper, envelope), geometry in GEOMETRIES.items():
        if geometry.recipient_zone.height <= letter.geometry.recipient_zone.height:
            continue
        other = fit_address(tuple(letter.recipient_lines), geometry.recipient_zone)
        if other.fits:
            what = "A4 paper and a DL window envelope" if paper == "a4" else \
                "US Letter paper and a #10 window envelope"
            return (f"use --envelope {envelope} ({what}, whose window shows "
                    f"{other.shown} lines at {other.size:g} pt)")
    return "use a plain envelope with the address written or on a label"


def window_warnings(letters: Sequence[Letter]) -> list[str]:
    """For the volunteer, one per letter whose address the window may not show whole: it
    is printed at 9 pt all the same (``fit_address``)."""
    warnings = []
    for letter in letters:
        fit = recipient_fit(letter)
        if fit.fits:
            continue
        what = f"the address of {letter.recipient.office}"
        window = letter.geometry.envelope_name
        if len(fit.lines) > fit.shown:
            problem = (f"{what} has {len(fit.lines)} lines and the window shows "
                       f"{fit.shown} at {fit.size:g} pt")
            if fit.too_wide:
                problem += f", and {fit.too_wide[0]!r} is wider than the window"
        else:
            problem = f"{what} has a line wider than the window at {fit.size:g} pt " \
                      f"({fit.too_wide[0]!r})"
        warnings.append(f"{problem}: check that it shows through the {window}, or "
                        f"{_other_envelope(letter, fit)}")
    return warnings


def check_fits(letters: Sequence[Letter]) -> None:
    """Fail before drawing: errors raised while ReportLab builds pages get mangled. (The
    address never fails: see ``window_warnings``.)"""
    for letter in letters:
        copy_of_heading(letter)


def draw_recipient(canvas: Canvas, letter: Letter) -> None:
    g = letter.geometry
    zone = g.recipient_zone
    fit = recipient_fit(letter)
    size = fit.size
    # Lines hang from the top of the zone (an address too tall for it passes its foot);
    # y is the baseline, from the bottom of the page.
    baseline = g.height - zone.top - size * 0.9
    # One paragraph, a marked sequence per line: readers keep the lines apart.
    element = None
    lang = script_language(" ".join(fit.lines))
    shaped = "\n".join(fit.lines) if any(shaping.needs_shaping(line) for line in fit.lines) \
        else None
    for line in fit.lines:
        with tagged(canvas, "P", lang=lang, element=element, actual_text=shaped) as element:
            draw_line(canvas, zone.left, baseline, line, size)
        baseline -= size * LINE_SPACING


RETURN_SEPARATOR = " · "


def _initials(name: str) -> str:
    """'Maximiliane Alexandra Berg' -> 'M. A. Berg': the family name stays whole."""
    words = name.split()
    return " ".join([*(w[0] + "." for w in words[:-1]), words[-1]]) if len(words) > 1 else name


def return_line_text(parts: Sequence[str], width: float) -> tuple[str, float]:
    """Shrink, then abbreviate, the one-line return address until it fits: never fails.

    ``parts`` is name, street line(s), city line[, country]. What the post needs to return
    a letter goes last to go: first extra street lines are dropped, then given names become
    initials, then the longest of name and street is cut short.
    """
    separator = RETURN_SEPARATOR
    name, *rest = parts
    tail = rest[-2:] if len(rest) > 2 and rest[-1].isupper() else rest[-1:]
    streets = rest[: len(rest) - len(tail)]
    shorter = [rest, [*streets[:1], *tail]]
    candidates = [[name, *r] for r in shorter] + [[_initials(name), *shorter[-1]]]
    for candidate in candidates:
        text = separator.join(candidate)
        size = RETURN_MAX_SIZE
        while size >= RETURN_MIN_SIZE:
            if string_width(text, size) <= width:
                return text, size
            size -= 0.25
    # Last resort: cut the longest of name and street, a character at a time.
    cut = [_initials(name), *shorter[-1]]
    cuttable = range(len(cut) - len(tail))
    while string_width(separator.join(cut), RETURN_MIN_SIZE) > width:
        longest = max(cuttable, key=lambda i: len(cut[i]))
        if len(cut[longest]) <= 2:
            break
        cut[longest] = cut[longest].rstrip("…")[:-1].rstrip() + "…"
    return separator.join(cut), RETURN_MIN_SIZE


def draw_return_line(canvas: Canvas, letter: Letter) -> None:
    zone = letter.geometry.return_zone
    if zone is None:
        return
    text, size = return_line_text(letter.return_parts, zone.width)
    baseline = letter.geometry.height - zone.bottom + 1.5 * mm
    with tagged(canvas, "P", lang=script_language(text),
                actual_text=text if shaping.needs_shaping(text) else None):
        draw_line(canvas, zone.left, baseline, text, size, parts=RETURN_SEPARATOR)
    canvas.setLineWidth(0.3)
    canvas.setStrokeColor(MARK_COLOR)
    with artifact(canvas):
        canvas.line(zone.left, baseline - 1.2, zone.left + string_width(text, size),
                    baseline - 1.2)


def sender_box(g: Geometry) -> Box:
    """Top right, beside the window: never visible through it however the sheet slides."""
    width = 70 * mm if g.paper == "a4" else 2.0 * 72
    left = g.width - g.margin_right - width
    return Box(left, g.margin_top, width, g.beside_date_top - g.margin_top - 3 * mm)


# The sender block's sizes: the name, the lines under it (smaller, in steps, where they
# do not fit the box).
SENDER_NAME_SIZE, SENDER_LINE_SIZE = 11.0, 9.0


@cache
def _sender_styles(name_size: float, line_size: float) -> tuple[ParagraphStyle, ...]:
    return (paragraph_style("sender-name", name_size, name_size * 1.2, alignment=TA_RIGHT),
            paragraph_style("sender", line_size, line_size * 1.25, alignment=TA_RIGHT))


def draw_sender(canvas: Canvas, letter: Letter) -> None:
    """The sender block, top right: the volunteer's name (tagged with the language its
    script says, when not Latin) and address, each a paragraph of the structure."""
    g = letter.geometry
    box = sender_box(g)
    name_size, line_size = SENDER_NAME_SIZE, SENDER_LINE_SIZE
    rest = [*letter.sender_lines, *([letter.sender.email] if letter.sender.email else [])]
    if _draw_sender_lines(canvas, letter.sender.name, rest, box, g.height - box.top):
        return
    while True:
        name_style, body_style = _sender_styles(name_size, line_size)
        name = text_paragraph(letter.sender.name, name_style, bold=True)
        body = lines_paragraph(rest, body_style)
        _, name_h = name.wrap(box.width, box.height)
        _, body_h = body.wrap(box.width, box.height)
        if name_h + 2 + body_h <= box.height or line_size <= 6:
            break
        name_size, line_size = name_size - 0.5, line_size - 0.5
    top = g.height - box.top
    shaped = letter.sender.name if shaping.needs_shaping(letter.sender.name) else None
    with tagged(canvas, "P", lang=script_language(letter.sender.name), actual_text=shaped):
        name.drawOn(canvas, box.left, top - name_h)
    shaped_lines = "\n".join(rest) if any(shaping.needs_shaping(line) for line in rest) \
        else None
    with tagged(canvas, "P", lang=script_language(" ".join(rest)), actual_text=shaped_lines):
        body.drawOn(canvas, box.left, top - name_h - 2 - body_h)


def _as_lines(lines: Sequence[str], size: float, width: float, bold: bool = False
              ) -> bool:
    """Whether each of ``lines`` is set on a line of its own, as a paragraph would set
    it, by ``draw_line``: it fits ``width`` with room to spare and needs no shaping, and
    in bold its faces have a bold of their own (a paragraph does not thicken the rest)."""
    return all(not shaping.needs_shaping(line) and
               string_width(line, size, bold) <= width * 0.999 and
               not (bold and any(lacks_bold(face) for face, _ in faces.runs(line, bold)))
               for line in lines)


def _draw_sender_lines(canvas: Canvas, name: str, rest: Sequence[str], box: Box,
                       top: float) -> bool:
    """The sender block as ``draw_sender``'s paragraphs set it, when every line fits its
    line at the first sizes (nearly always): drawn line by line, right-aligned, at the
    baselines the paragraphs would have (the first a font size under the top, a leading
    apart), without laying out paragraphs. False (nothing drawn) otherwise."""
    name_size, line_size = SENDER_NAME_SIZE, SENDER_LINE_SIZE
    name_style, body_style = _sender_styles(name_size, line_size)
    name_h, body_h = name_style.leading, len(rest) * body_style.leading
    if name_h + 2 + body_h > box.height or not _as_lines([name], name_size, box.width, True) \
            or not _as_lines(rest, line_size, box.width):
        return False
    right = box.left + box.width
    with tagged(canvas, "P", lang=script_language(name)):
        draw_line(canvas, right - string_width(name, name_size, True), top - name_size, name,
                  name_size, bold=True)
    baseline = top - name_h - 2 - line_size
    with tagged(canvas, "P", lang=script_language(" ".join(rest))):
        for index, line in enumerate(rest):
            # Each line but the last ends in the space a reader joins them with (as
            # pdf.SpacedParagraph draws it), past the right edge.
            draw_line(canvas, right - string_width(line, line_size), baseline,
                      line if index == len(rest) - 1 else line + " ", line_size)
            baseline -= body_style.leading
    return True


def draw_marks(canvas: Canvas, g: Geometry) -> None:
    canvas.setStrokeColor(MARK_COLOR)
    canvas.setLineWidth(0.4)
    for y in g.fold_marks:
        canvas.line(5 * mm, g.height - y, 9 * mm, g.height - y)
    canvas.line(5 * mm, g.height - g.punch_mark, 11 * mm, g.height - g.punch_mark)


def date_placement(letter: Letter) -> tuple[float, float]:
    """(top of the place-and-date line, top of the text below it), from the page top.

    Beside the address field when the line fits there, which keeps a campaign's message
    on one sheet; below the field when a long place name would reach the window.
    """
    g = letter.geometry
    width = string_width(letter.place_date, BODY_SIZE)
    if g.width - g.margin_right - width >= g.beside_date_min_left:
        return g.beside_date_top, g.body_top_after_beside
    return g.date_top, g.date_top + BODY_SIZE + 6 * mm


@dataclass(frozen=True)
class CopyHeading:
    """The copy heading as set: its lines (text, right to left), size, leading and the
    width they were broken for."""

    lines: tuple[tuple[str, bool], ...]
    size: float
    leading: float
    width: float

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


def draw_copy_of(canvas: Canvas, letter: Letter) -> None:
    """"사본 · Copy of the letter sent to: ..." at the top left, where a letterhead would
    be: the first thing the reader sees, hidden by the envelope, and taking no room from
    the message, so a copy takes as many sheets as the letter it copies. Bold in every
    script: 사본 in the Hangul face, which has no bold, is a synthetic bold as heavy as
    the bold Latin beside it (layout.shaped)."""
    heading = copy_of_heading(letter)
    if heading is None:
        return
    g = letter.geometry
    left = g.margin_left
    baseline = g.height - g.margin_top - heading.size
    # A paragraph of spans, each in the language its script says: "사본" is Korean in an
    # English or Danish heading.
    open_group(canvas, "P")
    for text, rtl in heading.lines:
        if shaping.needs_shaping(text):
            line = shaping.shape_line(text, True, rtl)
            x = left + heading.width - line.width_at(heading.size) if rtl else left
            with tagged(canvas, "Span", actual_text=text):
                draw_shaped_line(canvas, x, baseline, line, heading.size, bold=True)
        else:
            x = left
            for part, lang in language_runs(text, bold=True):
                with tagged(canvas, "Span", lang=lang):
                    draw_line(canvas, x, baseline, part, heading.size, bold=True)
                x += string_width(part, heading.size, bold=True)
        baseline -= heading.leading
    close_group(canvas, "P")


def copy_of_heading(letter: Letter) -> CopyHeading | None:
    """The copy heading broken into lines for its box; LayoutError if it cannot fit."""
    if not letter.copy_of:
        return None
    g = letter.geometry
    width = sender_box(g).left - g.margin_left - 5 * mm
    room = g.letterhead_bottom - g.margin_top
    heading = _heading_lines(letter.copy_of, width)
    if heading.height > room:
        raise LayoutError(f"the heading {letter.copy_of!r} does not fit above the address "
                          "field; shorten the office's title in the campaign file")
    return heading


@lru_cache(maxsize=64)
def _heading_lines(text: str, width: float) -> CopyHeading:
    """Broken at spaces (a word wider than the box between characters), in the bold
    copy-of style; cached: every copy of a campaign's letter has the same heading."""
    style = paragraph_styles()["copy-of"]
    lines = ShapedParagraph(text, style, bold=True).lines_at(width)
    return CopyHeading(tuple(lines), style.fontSize, style.leading, width)


def draw_first_page(canvas: Canvas, letter: Letter) -> None:
    """The first page's fixed parts, in reading order: the copy heading (top left), the
    sender block, the return line, the recipient, the place and date. The letter is a
    Part of the document's structure, in its own language."""
    g = letter.geometry
    close_groups_to(canvas, 1)
    open_group(canvas, "Part", letter.language)
    # Each part drawn once and replayed (pdf.draw_once): the campaign's parts in every
    # PDF with the same seed, the volunteer's in their own PDF's other letters. Each
    # starts from the page's fresh graphics state, whatever was drawn before it.
    _part(canvas, ("top", g, letter.copy_of), lambda: _draw_top(canvas, letter))
    _part(canvas, ("sender", g, letter.sender.name, letter.sender_lines,
                   letter.sender.email), lambda: draw_sender(canvas, letter), across=False)
    _part(canvas, ("return", g, letter.return_parts),
          lambda: draw_return_line(canvas, letter), across=False)
    _part(canvas, ("recipient", g, letter.recipient_lines),
          lambda: draw_recipient(canvas, letter))
    _part(canvas, ("date", g, letter.place_date), lambda: draw_date(canvas, letter),
          across=False)


def _part(canvas: Canvas, key: object, draw: Callable[[], None], across: bool = True
          ) -> None:
    def isolated() -> None:
        canvas.saveState()
        draw()
        canvas.restoreState()

    draw_once(canvas, key, isolated, across)


def _draw_top(canvas: Canvas, letter: Letter) -> None:
    with artifact(canvas):
        draw_marks(canvas, letter.geometry)
    draw_copy_of(canvas, letter)


def draw_date(canvas: Canvas, letter: Letter) -> None:
    """The place and date, right-aligned beside or below the address field."""
    g = letter.geometry
    date_top, _ = date_placement(letter)
    date_baseline = g.height - date_top - BODY_SIZE
    with tagged(canvas, "P"):
        draw_line(canvas, g.width - g.margin_right, date_baseline, letter.place_date,
                  BODY_SIZE, align_right=True)


def draw_page_numbers(canvas: Canvas, letter: Letter, page: int, pages: int) -> None:
    """'Side 2 af 3' and who writes to whom on later pages; 'Side 1 af 3' at the foot of
    the first. Drawn once the letter's page count is known (see PageLog)."""
    if pages < 2:
        return
    label = translate(letter.language, PAGE_OF, page=page, pages=pages)
    with artifact(canvas, "Pagination"):
        _draw_page_numbers(canvas, letter, page, label)


def _draw_page_numbers(canvas: Canvas, letter: Letter, page: int, label: str) -> None:
    g = letter.geometry
    canvas.saveState()
    if page == 1:
        draw_line(canvas, g.width - g.margin_right, g.margin_bottom - 14, label, 8,
                  align_right=True)
    else:
        baseline = g.height - g.margin_top - 8
        header = f"{letter.sender.name} · {letter.recipient_lines[0]} · {letter.place_date}"
        label_width = string_width(label, 8)
        room = g.text_width - label_width - 6 * mm
        while string_width(header, 8) > room and len(header) > 1:
            header = header[:-2] + "…"
        draw_line(canvas, g.margin_left, baseline, header, 8, parts=" · ")
        draw_line(canvas, g.width - g.margin_right, baseline, label, 8, align_right=True)
        canvas.setLineWidth(0.3)
        canvas.setStrokeColor(MARK_COLOR)
        canvas.line(g.margin_left, baseline - 3, g.width - g.margin_right, baseline - 3)
    canvas.restoreState()


class PageLog:
    """Which letter each page belongs to, so 'page 2 of 3' can count per letter."""

    def __init__(self, letters: Sequence[Letter]):
        self.letters = letters
        self.page_letter: list[int] = []  # page index -> letter index

    def record(self, index: int) -> None:
        self.page_letter.append(index)

    def pages_per_letter(self) -> list[int]:
        return [self.page_letter.count(i) for i in range(len(self.letters))]

    def canvas_maker(self) -> type[DocumentCanvas]:
        """A Canvas class that holds pages back until the end to number them."""
        log = self

        # Kept outside the canvas: its state is put back page by page (DocumentCanvas).
        seen: dict[int, int] = {}

        class NumberingCanvas(DocumentCanvas):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                # Plain (pdf/shortcuts.py): ReportLab numbers glyphs as it meets them, and
                # with no seed nothing is replayed.
                seed_canvas(self, None if plain() else document_seed(log.letters))

            def finish_page(self, page: int) -> None:
                index = log.page_letter[page]
                seen[index] = seen.get(index, 0) + 1
                draw_page_numbers(self, log.letters[index], seen[index],
                                  log.pages_per_letter()[index])

        return NumberingCanvas



def draw_later_page(canvas: Canvas, letter: Letter) -> None:
    canvas.saveState()
    with artifact(canvas):
        draw_marks(canvas, letter.geometry)
    canvas.restoreState()


def first_frame_size(letter: Letter) -> tuple[float, float]:
    """The width and height of the first page's text frame: under the date, above the
    foot margin."""
    g = letter.geometry
    _, first_top = date_placement(letter)
    return g.text_width, g.height - first_top - g.margin_bottom


def page_templates(letter: Letter, index: int, log: PageLog) -> list[PageTemplate]:
    g = letter.geometry
    width, height = first_frame_size(letter)
    first = Frame(g.margin_left, g.margin_bottom, width, height, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id=f"first-{index}")
    later_top = g.margin_top + 12 * mm
    later = Frame(g.margin_left, g.margin_bottom, g.text_width,
                  g.height - later_top - g.margin_bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id=f"later-{index}")

    def on_first(canvas: Canvas, doc: BaseDocTemplate) -> None:
        log.record(index)
        draw_first_page(canvas, letter)

    def on_later(canvas: Canvas, doc: BaseDocTemplate) -> None:
        log.record(index)
        draw_later_page(canvas, letter)

    return [
        PageTemplate(id=f"first-{index}", frames=[first], pagesize=(g.width, g.height),
                     onPage=on_first, autoNextPageTemplate=f"later-{index}"),
        PageTemplate(id=f"later-{index}", frames=[later], pagesize=(g.width, g.height),
                     onPage=on_later),
    ]


