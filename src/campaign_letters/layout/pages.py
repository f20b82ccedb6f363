"""Letters -> ReportLab pages: the only module that draws.

Fixed parts (sender block, return line, recipient in the window, date, fold and punch
marks) are drawn on the canvas of each letter's first page; the flowing parts (subject,
salutation, body, closing, signature room, copy line) are platypus flowables, so a long
message continues on the next page. Every string is drawn through fonts.runs/to_markup:
escaped, and each script in a face that has it; text in a right-to-left or complex
script is drawn by shaped_layout instead (``draw_line``, ``text_paragraph``).
"""

from __future__ import annotations

import copy
import threading
from collections import Counter, OrderedDict
from collections.abc import Sequence
from functools import cache, lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from campaign_letters.compose.letters import Letter, LetterText, LinkList, body_blocks
from campaign_letters.compose.paper import Box, Geometry
from campaign_letters.errors import LayoutError
from campaign_letters.layout.shaped import ShapedParagraph, draw_shaped_line
from campaign_letters.model import LinkItem
from campaign_letters.pdf._reportlab import (
    PageHoldingCanvas,
    Seed,
    canvas_store,
    characters_encoded,
    drawing_key,
    numbering_state,
    operators,
    operators_since,
    replay,
    seed_canvas,
)
from campaign_letters.pdf.shortcuts import plain
from campaign_letters.text import faces as fonts
from campaign_letters.text import shaping
from campaign_letters.wording import PAGE_OF, translate

# 10/13 pt keeps a campaign's ~400-word message on one sheet, as the peers' letters are.
BODY_SIZE = 10.0
BODY_LEADING = 12.6
PARAGRAPH_GAP = BODY_LEADING * 0.4
ADDRESS_MAX_SIZE = 10.0
ADDRESS_MIN_SIZE = 8.0  # the floor: smaller is hard for sorting machines and people
RETURN_MAX_SIZE = 7.0
RETURN_MIN_SIZE = 5.5
LINE_SPACING = 1.18
MARK_COLOR = Color(0.45, 0.45, 0.45)


def _style(name: str, size: float = BODY_SIZE, leading: float = BODY_LEADING,
           **extra) -> ParagraphStyle:
    extra.setdefault("alignment", TA_LEFT)
    # bulletFontName too: its default, Helvetica, would be an unembedded font.
    return ParagraphStyle(name, fontName=fonts.LATIN.name, bulletFontName=fonts.LATIN.name,
                          fontSize=size, leading=leading, **extra)


def draw_line(canvas: Canvas, x: float, y: float, text: str, size: float,
              bold: bool = False, align_right: bool = False, parts: str | None = None
              ) -> None:
    """Draw one line at baseline ``y``, switching fonts per script run; with ``parts``,
    each part between those separators in its own direction (shaping.shape_line)."""
    if shaping.needs_shaping(text):
        line = shaping.shape_line(text, bold, None, parts)
        draw_shaped_line(canvas, x - line.width_at(size) if align_right else x, y, line, size)
        return
    if align_right:
        x -= fonts.string_width(text, size, bold)
    for font, part in fonts.runs(text, bold):
        canvas.setFont(font, size)
        canvas.drawString(x, y, part)
        x += canvas.stringWidth(part, font, size)


def fit_block(lines: Sequence[str], box: Box, max_size: float, min_size: float,
              what: str) -> float:
    """The largest size (in 0.5 pt steps) at which ``lines`` fit ``box``, or LayoutError."""
    size = max_size
    while size >= min_size:
        height = size * LINE_SPACING * (len(lines) - 1) + size
        width = max(fonts.string_width(line, size) for line in lines)
        if height <= box.height and width <= box.width:
            return size
        size -= 0.5
    widest = max(lines, key=lambda line: fonts.string_width(line, min_size))
    raise LayoutError(
        f"the {what} does not fit the envelope window ({len(lines)} lines, widest "
        f"{widest!r}) even at {min_size:g} pt; shorten its lines in the campaign file")


def recipient_size(letter: Letter) -> float:
    """The recipient block's font size; LayoutError if it cannot fit the window."""
    return fit_block(letter.recipient_lines, letter.geometry.recipient_zone, ADDRESS_MAX_SIZE,
                     ADDRESS_MIN_SIZE, f"address of {letter.recipient.office}")


def check_fits(letters: Sequence[Letter]) -> None:
    """Fail before drawing: errors raised while ReportLab builds pages get mangled."""
    for letter in letters:
        recipient_size(letter)
        copy_of_paragraph(letter)


def draw_recipient(canvas: Canvas, letter: Letter) -> None:
    g = letter.geometry
    zone = g.recipient_zone
    lines = letter.recipient_lines
    size = recipient_size(letter)
    # Lines hang from the top of the zone; y is the baseline, from the bottom of the page.
    baseline = g.height - zone.top - size * 0.9
    for line in lines:
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
            if fonts.string_width(text, size) <= width:
                return text, size
            size -= 0.25
    # Last resort: cut the longest of name and street, a character at a time.
    cut = [_initials(name), *shorter[-1]]
    cuttable = range(len(cut) - len(tail))
    while fonts.string_width(separator.join(cut), RETURN_MIN_SIZE) > width:
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
    draw_line(canvas, zone.left, baseline, text, size, parts=RETURN_SEPARATOR)
    canvas.setLineWidth(0.3)
    canvas.setStrokeColor(MARK_COLOR)
    canvas.line(zone.left, baseline - 1.2, zone.left + fonts.string_width(text, size),
                baseline - 1.2)


def sender_box(g: Geometry) -> Box:
    """Top right, beside the window: never visible through it however the sheet slides."""
    width = 70 * mm if g.paper == "a4" else 2.0 * 72
    left = g.width - g.margin_right - width
    return Box(left, g.margin_top, width, g.beside_date_top - g.margin_top - 3 * mm)


@cache
def _sender_styles(name_size: float, line_size: float) -> tuple[ParagraphStyle, ...]:
    return (_style("sender-name", name_size, name_size * 1.2, alignment=TA_RIGHT),
            _style("sender", line_size, line_size * 1.25, alignment=TA_RIGHT))


def draw_sender(canvas: Canvas, letter: Letter, share: bool = False) -> None:
    """The sender block; with ``share``, drawn once per PDF (a form XObject) and shown on
    each of the volunteer's letters."""
    if not share:
        _draw_sender_block(canvas, letter)
        return
    g = letter.geometry
    forms: dict[object, str] = canvas_store(canvas, "forms")
    key = ("sender", letter.sender, letter.sender_lines, g.paper, g.envelope)
    name = forms.get(key)
    if name is None:
        name = forms[key] = f"Sender{len(forms)}"
        canvas.beginForm(name, 0, 0, g.width, g.height)
        _draw_sender_block(canvas, letter)
        canvas.endForm()
    canvas.doForm(name)


def _draw_sender_block(canvas: Canvas, letter: Letter) -> None:
    g = letter.geometry
    box = sender_box(g)
    name_size, line_size = 11.0, 9.0
    rest = [*letter.sender_lines, *([letter.sender.email] if letter.sender.email else [])]
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
    name.drawOn(canvas, box.left, top - name_h)
    body.drawOn(canvas, box.left, top - name_h - 2 - body_h)


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
    width = fonts.string_width(letter.place_date, BODY_SIZE)
    if g.width - g.margin_right - width >= g.beside_date_min_left:
        return g.beside_date_top, g.body_top_after_beside
    return g.date_top, g.date_top + BODY_SIZE + 6 * mm


def draw_copy_of(canvas: Canvas, letter: Letter) -> None:
    """"Copy of the letter sent to: ..." at the top left, where a letterhead would be: the
    first thing the reader sees, hidden by the envelope, and taking no room from the
    message, so a copy takes as many sheets as the letter it copies."""
    placed = copy_of_paragraph(letter)
    if placed is not None:
        paragraph, height = placed
        g = letter.geometry
        paragraph.drawOn(canvas, g.margin_left, g.height - g.margin_top - height)


def copy_of_paragraph(letter: Letter) -> tuple[Paragraph, float] | None:
    """The copy heading laid out in its box, and its height; LayoutError if it cannot fit."""
    if not letter.copy_of:
        return None
    g = letter.geometry
    width = sender_box(g).left - g.margin_left - 5 * mm
    room = g.letterhead_bottom - g.margin_top
    paragraph = campaign_paragraph(letter.copy_of, "copy-of", bold=True)
    _, height = paragraph.wrap(width, room)
    if height > room:
        raise LayoutError(f"the heading {letter.copy_of!r} does not fit above the address "
                          "field; shorten the office's title in the campaign file")
    return paragraph, height


def draw_first_page(canvas: Canvas, letter: Letter, share: bool = False) -> None:
    g = letter.geometry
    canvas.saveState()
    draw_marks(canvas, g)
    draw_sender(canvas, letter, share)
    draw_copy_of(canvas, letter)
    draw_return_line(canvas, letter)
    draw_recipient(canvas, letter)
    date_top, _ = date_placement(letter)
    date_baseline = g.height - date_top - BODY_SIZE
    draw_line(canvas, g.width - g.margin_right, date_baseline, letter.place_date, BODY_SIZE,
              align_right=True)
    canvas.restoreState()


def draw_page_numbers(canvas: Canvas, letter: Letter, page: int, pages: int) -> None:
    """'Side 2 af 3' and who writes to whom on later pages; 'Side 1 af 3' at the foot of
    the first. Drawn once the letter's page count is known (see PageLog)."""
    if pages < 2:
        return
    g = letter.geometry
    label = translate(letter.language, PAGE_OF, page=page, pages=pages)
    canvas.saveState()
    if page == 1:
        draw_line(canvas, g.width - g.margin_right, g.margin_bottom - 14, label, 8,
                  align_right=True)
    else:
        baseline = g.height - g.margin_top - 8
        header = f"{letter.sender.name} · {letter.recipient_lines[0]} · {letter.place_date}"
        label_width = fonts.string_width(label, 8)
        room = g.text_width - label_width - 6 * mm
        while fonts.string_width(header, 8) > room and len(header) > 1:
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

    def canvas_maker(self):
        """A Canvas class that holds pages back until the end to number them."""
        log = self

        # Kept outside the canvas: its state is put back page by page (PageHoldingCanvas).
        seen: dict[int, int] = {}

        class NumberingCanvas(PageHoldingCanvas):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                # Plain (shortcuts.py): ReportLab numbers glyphs as it meets them, and
                # with no seed nothing is replayed.
                self.campaign_letters_seed = None if plain() else \
                    document_seed(log.letters)
                if self.campaign_letters_seed is not None:
                    seed_canvas(self, self.campaign_letters_seed)

            def finish_page(self, page: int) -> None:
                index = log.page_letter[page]
                seen[index] = seen.get(index, 0) + 1
                draw_page_numbers(self, log.letters[index], seen[index],
                                  log.pages_per_letter()[index])

        return NumberingCanvas


def draw_later_page(canvas: Canvas, letter: Letter) -> None:
    canvas.saveState()
    draw_marks(canvas, letter.geometry)
    canvas.restoreState()


def page_templates(letter: Letter, index: int, log: PageLog, share: bool = False
                   ) -> list[PageTemplate]:
    g = letter.geometry
    _, first_top = date_placement(letter)
    first = Frame(g.margin_left, g.margin_bottom, g.text_width,
                  g.height - first_top - g.margin_bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id=f"first-{index}")
    later_top = g.margin_top + 12 * mm
    later = Frame(g.margin_left, g.margin_bottom, g.text_width,
                  g.height - later_top - g.margin_bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0, id=f"later-{index}")

    def on_first(canvas, _doc):
        log.record(index)
        draw_first_page(canvas, letter, share)

    def on_later(canvas, _doc):
        log.record(index)
        draw_later_page(canvas, letter)

    return [
        PageTemplate(id=f"first-{index}", frames=[first], pagesize=(g.width, g.height),
                     onPage=on_first, autoNextPageTemplate=f"later-{index}"),
        PageTemplate(id=f"later-{index}", frames=[later], pagesize=(g.width, g.height),
                     onPage=on_later),
    ]


def short_url(url: str, limit: int = 48) -> str:
    """A web address as a person would type it.

    >>> short_url("https://www.example.org/petition/123/")
    'example.org/petition/123'
    """
    text = url.split("://", 1)[-1]
    text = text.removeprefix("www.").rstrip("/")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_flowable(item: LinkItem, style: ParagraphStyle) -> Flowable | None:
    """A link's label; with a web address, also the address, a QR code and a PDF link."""
    label = item.label or ""
    url = item.link.url
    if not url:
        return text_paragraph(label, style, bullet="–") if label else None
    href = escape(url, {'"': "&quot;"})
    shown = label or short_url(url)
    markup = f'<a href="{href}" color="#1a4f8b">{fonts.to_markup(shown)}</a>'
    if label:
        markup += f'<br/><font size="8.5">{fonts.to_markup(short_url(url))}</font>'
    size = 17 * mm
    code = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = code.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(code)
    if shaping.needs_shaping(shown):  # the label shaped, the address below it
        cell: Flowable | list[Flowable] = [text_paragraph(shown, style, bullet="–"), Paragraph(
            f'<a href="{href}" color="#1a4f8b"><font size="8.5">'
            f'{fonts.to_markup(short_url(url))}</font></a>', style)]
    else:
        cell = Paragraph(markup, style, bulletText="–")
    table = Table([[cell, drawing]],
                  colWidths=[None, size + 2 * mm])
    # FONTNAME: else the table selects Helvetica for its cells (which hold no text of
    # its own), and the PDF would declare an unembedded font.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.LATIN.name),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


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


@lru_cache(maxsize=64)
def _seed(fixed_parts: tuple[tuple, ...]) -> Seed:
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
        for font, part in fonts.runs(string, bold):
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


class _ReusableParagraph(Paragraph):
    """A paragraph of campaign text, parsed and broken into lines once per width, and
    drawn once per seed.

    The same subject, salutation and body appear in every letter of a campaign and
    language: parsing their markup, breaking their lines and turning them into PDF text
    operators is most of a letter's time, so each is done once and reused (see
    ``campaign_paragraph``). The operators are replayed only into a PDF whose fonts
    number the characters alike (the same seed, see ``document_seed``) and from the same
    text state, and only if drawing them numbered nothing new."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._by_width: dict[float, tuple] = {}
        self._drawn: dict[tuple, list[str]] = {}

    def wrap(self, availWidth, availHeight):
        cached = self._by_width.get(availWidth)
        if cached is None:
            size = super().wrap(availWidth, availHeight)
            self._by_width[availWidth] = (size, self.blPara, self._wrapWidths, self.width,
                                          self.height)
            return size
        size, self.blPara, self._wrapWidths, self.width, self.height = cached
        return size

    def draw(self):
        canvas = self.canv
        seed = getattr(canvas, "campaign_letters_seed", None)
        if seed is None:
            super().draw()
            return
        key = (seed, self.width, *drawing_key(canvas))
        ops = self._drawn.get(key)
        if ops is not None:
            replay(canvas, ops)
            return
        face_names = fonts.registered_faces()
        start = operators(canvas)
        before = numbering_state(canvas, face_names)
        with characters_encoded() as used:
            super().draw()
        after = numbering_state(canvas, face_names)
        # Kept only if the seed alone numbered every character drawn: then the operators
        # mean the same in every PDF with that seed, whatever else each one draws.
        seeded = _seeded_characters(seed)
        if after == before and len(self._drawn) < 16 and all(
                chars <= seeded.get(font, frozenset()) for font, chars in used.items()):
            self._drawn[key] = operators_since(canvas, start)


@lru_cache(maxsize=64)
def _seeded_characters(seed: Seed) -> dict[str, frozenset[str]]:
    return {font: frozenset(chars) for font, chars in seed}


# Per thread: the web page renders in several threads, and a paragraph is not thread-safe.
_reusable = threading.local()
_MAX_REUSABLE = 512  # least recently used go first: campaign text stays, volunteers pass


def reusable_paragraph(markup: str, style: ParagraphStyle, bullet: str | None = None
                       ) -> Paragraph:
    """The laid-out paragraph for ``markup`` in ``style``, made once and reused: campaign
    text in every letter, a volunteer's name and address in each of their letters.
    Plain (shortcuts.py): a new paragraph every time."""
    if plain():
        return Paragraph(markup, style, bulletText=bullet)
    cache: OrderedDict[tuple, Paragraph] | None = getattr(_reusable, "paragraphs", None)
    if cache is None:
        cache = _reusable.paragraphs = OrderedDict()
    key = (markup, id(style), bullet)  # styles are made once (_styles, _sender_styles)
    template = cache.get(key)
    if template is None:
        template = cache[key] = _ReusableParagraph(markup, style, bulletText=bullet)
        if len(cache) > _MAX_REUSABLE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    # A copy per use: platypus marks the flowables it places (_postponed, ...), and one
    # paragraph can stand in several letters of a story. The copy shares the parsed text
    # and the line breaks, which are only read.
    return copy.copy(template)


def text_paragraph(text: str, style: ParagraphStyle, bold: bool = False,
                   bullet: str | None = None) -> Flowable:
    """Plain text as a paragraph: ReportLab's, or for right-to-left and complex scripts
    one of shaped_layout's."""
    if shaping.needs_shaping(text):
        return ShapedParagraph(" ".join(text.split("\n")), style, bold, bullet=bullet)
    return reusable_paragraph(fonts.to_markup(text, bold=bold), style, bullet)


def lines_paragraph(lines: Sequence[str], style: ParagraphStyle, bold: bool = False
                    ) -> Flowable:
    """Lines of plain text as one paragraph, each line starting a new one."""
    if any(shaping.needs_shaping(line) for line in lines):
        return ShapedParagraph("\n".join(lines), style, bold)
    return reusable_paragraph("<br/>".join(fonts.to_markup(line, bold=bold) for line in lines),
                              style)


def campaign_paragraph(text: str, style_name: str, bold: bool = False) -> Flowable:
    return text_paragraph(text, _styles()[style_name], bold)


@cache
def _styles() -> dict[str, ParagraphStyle]:
    # No line of a paragraph left alone at the top or foot of a page.
    body = _style("body", spaceAfter=PARAGRAPH_GAP, allowWidows=0, allowOrphans=0)
    return {
        "body": body,
        "link": _style("link", leftIndent=6 * mm, bulletIndent=1.5 * mm,
                       spaceAfter=BODY_LEADING * 0.2),
        "last-link": _style("last-link", leftIndent=6 * mm, bulletIndent=1.5 * mm,
                            spaceAfter=PARAGRAPH_GAP),
        "subject": _style("subject", spaceAfter=BODY_LEADING * 0.6, allowWidows=0,
                          allowOrphans=0),
        "heading": _style("heading", 9, 12, spaceAfter=BODY_LEADING),
        "copy-of": _style("copy-of", 10, 12.5),
        "copy": _style("copy", 9, 12),
    }


class SharedBlock(Flowable):
    """Flowables drawn once per PDF as a form XObject and shown wherever they recur.

    A volunteer's letters to the mayor and to each copy recipient carry the same subject,
    salutation, message and note: drawn once and referenced, each further letter costs
    almost nothing to draw and adds almost nothing to the file. The block stacks its
    flowables exactly as a frame would; when it does not fit the space left, it splits
    into them and platypus places them one by one (widow and orphan control included).
    """

    def __init__(self, flowables: list[Flowable], key: object):
        super().__init__()
        self.flowables = flowables
        self.key = key  # the same key, in one PDF, means the same content

    def wrap(self, availWidth, availHeight):
        self._sizes = [f.wrap(availWidth, availHeight) for f in self.flowables]
        gaps = [f.getSpaceAfter() for f in self.flowables[:-1]]
        self.width = availWidth
        self.height = sum(h for _, h in self._sizes) + sum(gaps)
        return self.width, self.height

    def getSpaceAfter(self):
        return self.flowables[-1].getSpaceAfter()

    def split(self, availWidth, availHeight):
        return list(self.flowables)

    def draw(self):
        canvas = self.canv
        forms: dict[tuple[object, float], str] = canvas_store(canvas, "forms")
        name = forms.get((self.key, self.width))
        if name is None:
            name = forms[(self.key, self.width)] = f"SharedBlock{len(forms)}"
            canvas.beginForm(name, 0, 0, self.width, self.height)
            top = self.height
            for flowable, (_, height) in zip(self.flowables, self._sizes, strict=True):
                top -= height
                flowable.drawOn(canvas, 0, top)
                top -= flowable.getSpaceAfter()
            canvas.endForm()
        canvas.doForm(name)


def text_flowables(letter: Letter, text: LetterText, share: bool = False,
                   after_signature: Sequence[Flowable] = ()) -> list[Flowable]:
    """Subject to signature, in one language; ``share`` when other letters of the same PDF
    carry the same text. ``after_signature`` (the copy line) stays on the signature's
    page."""
    styles = _styles()
    story: list[Flowable] = []
    if text.heading:
        story.append(campaign_paragraph(text.heading, "heading", bold=True))
    story += [
        campaign_paragraph(text.subject, "subject", bold=True),
        campaign_paragraph(text.salutation, "body"),
    ]
    for block in body_blocks(text.body):
        if isinstance(block, LinkList):
            for position, item in enumerate(block.links, start=1):
                style = styles["last-link" if position == len(block.links) else "link"]
                flowable = link_flowable(item, style)
                if flowable is not None:
                    story.append(flowable)
            continue
        story.append(campaign_paragraph(block, "body"))
    for paragraph in (text.note or "").split("\n\n"):
        if paragraph.strip():
            story.append(campaign_paragraph(paragraph.strip(), "body"))
    # Links with a web address carry a PDF link annotation, which belongs to a page and
    # cannot live in a shared form: such a message is laid out letter by letter.
    if share and not any(isinstance(item, LinkItem) and item.link.url for item in text.body):
        story = [SharedBlock(story, key=text)]
    signature = [
        Spacer(0, BODY_LEADING * 0.2),
        campaign_paragraph(text.closing, "body"),
        Spacer(0, 11 * mm),  # room to sign
        campaign_paragraph(letter.sender.name, "body"),
        *after_signature,
    ]
    # The closing, the room to sign, the name and the copy line stay together on one page.
    story.append(KeepTogether(signature))
    return story


def letter_flowables(letter: Letter, share: bool = False) -> list[Flowable]:
    copy_line = [Spacer(0, BODY_LEADING * 0.3), campaign_paragraph(letter.copy_line, "copy")] \
        if letter.copy_line else []
    story = text_flowables(letter, letter.text, share, copy_line)
    if letter.translation is not None:
        story.append(PageBreak())
        story += text_flowables(letter, letter.translation, share)
    return story


def document_story(letters: Sequence[Letter]
                   ) -> tuple[list[PageTemplate], list[Flowable], PageLog]:
    """Page templates and flowables for several letters, each starting on a new sheet."""
    templates: list[PageTemplate] = []
    story: list[Flowable] = []
    log = PageLog(letters)
    share = len(letters) > 1 and not plain()  # one drawing for all of them, or each its own
    for index, letter in enumerate(letters):
        templates.extend(page_templates(letter, index, log, share=share))
        if index:
            story.append(NextPageTemplate(f"first-{index}"))
            story.append(PageBreak())
        story.extend(letter_flowables(letter, share=share))
    return templates, story, log
