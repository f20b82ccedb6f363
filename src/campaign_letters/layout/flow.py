"""The flowing part of a letter: subject, salutation, body, links, the volunteer's note,
closing, room to sign and the copy line, as platypus flowables that continue on the next
page when the message is long, each tagged with its role in the letter (layout.tagging):
the subject a heading, links a list of Link elements, QR codes figures.
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Spacer,
)

from campaign_letters.compose.letters import Letter, LetterText, LinkList, body_blocks
from campaign_letters.layout.paragraphs import (
    BODY_LEADING,
    FITS,
    USUAL,
    Fit,
    campaign_paragraph,
    draw_line,
    paragraph_styles,
    text_paragraph,
)
from campaign_letters.layout.tagging import GroupEnd, GroupStart, Tagged
from campaign_letters.model import LinkItem
from campaign_letters.pdf import (
    ImageMask,
    close_group,
    draw_once,
    image_mask,
    open_group,
    plain,
    reusable_paragraph,
    tagged,
)
from campaign_letters.text import shaping
from campaign_letters.text.languages import script_language
from campaign_letters.text.strings import string_width, to_markup


def short_url(url: str) -> str:
    """A web address as a person would type it, whole: a shortened one could not be typed.

    >>> short_url("https://www.example.org/petition/123/")
    'example.org/petition/123'
    """
    text = url.split("://", 1)[-1]
    return text.removeprefix("www.").rstrip("/")


QR_SIZE = 17 * mm


@lru_cache(maxsize=64)  # a campaign has a handful of links
def qr_image(url: str) -> ImageMask:
    """``url``'s QR code (level M) with its four-module quiet zone, one bit a module,
    encoded once: a 1-bit image is a few hundred bytes where the modules drawn as
    rectangles were kilobytes."""
    code = QrCodeWidget(url, barLevel="M")
    code.qr.make()
    border = code.barBorder
    modules = code.qr.modules
    size = len(modules) + 2 * border
    rows = bytearray()
    for r in range(size):
        row = bytearray((size + 7) // 8)
        for c in range(size):
            inside = border <= r < size - border and border <= c < size - border
            dark = inside and bool(modules[r - border][c - border])
            if not dark:  # 0 paints (an image mask's default decode)
                row[c // 8] |= 0x80 >> (c % 8)
        rows += row
    return ImageMask(size, size, bytes(rows))


class QrCode(Flowable):
    """A QR code: a one-bit image held once per PDF, shown wherever the same address
    recurs; a Figure of the structure, its alternative text the address it encodes."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.width = self.height = QR_SIZE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        with tagged(self.canv, "Figure", alt=f"QR: {short_url(self.url)}"):
            image_mask(self.canv, f"qr {self.url}", qr_image(self.url), QR_SIZE, QR_SIZE)


def link_flowable(item: LinkItem, style: ParagraphStyle) -> Flowable | None:
    """A link's label; with a web address, also the address, a QR code and a PDF link."""
    label = item.label or ""
    url = item.link.url
    if not url:
        return text_paragraph(label, style, bullet="–") if label else None
    href = escape(url, {'"': "&quot;"})
    shown = label or short_url(url)
    if shaping.needs_shaping(shown):  # the label shaped, the address below it
        cell: list[Flowable] = [text_paragraph(shown, style, bullet="–"), reusable_paragraph(
            f'<a href="{href}" color="#1a4f8b"><font size="8.5">'
            f'{to_markup(short_url(url))}</font></a>', style, replayed=False)]
    else:
        markup = f'<a href="{href}" color="#1a4f8b">{to_markup(shown)}</a>'
        if label:
            markup += f'<br/><font size="8.5">{to_markup(short_url(url))}</font>'
        # Never a replayed drawing: its link annotation is made as it is drawn.
        cell = [reusable_paragraph(markup, style, "–", replayed=False)]
    return LinkBlock(cell, QrCode(url), style.spaceAfter,
                     f"{label}: {short_url(url)}" if label else short_url(url))


class LinkBlock(Flowable):
    """A link's label and address beside its QR code, tops aligned (a two-cell table,
    without a table's cost); an item of the list of links (LI, LBody), the text a Link
    element whose annotation says ``description``, the code a Figure."""

    GAP = 2 * mm  # between the text and the code
    PAD = 2  # under the taller of the two

    def __init__(self, cell: list[Flowable], code: QrCode, space_after: float,
                 description: str):
        super().__init__()
        self.cell, self.code = cell, code
        self.spaceAfter = space_after
        self.description = description

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        text_width = availWidth - QR_SIZE - self.GAP
        self._heights = [f.wrap(text_width, availHeight)[1] for f in self.cell]
        self.width = availWidth
        self.height = max(sum(self._heights), QR_SIZE) + self.PAD
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        open_group(canvas, "LI")
        open_group(canvas, "LBody")
        top = self.height - self.PAD
        with tagged(canvas, "Link", contents=self.description):
            for flowable, height in zip(self.cell, self._heights, strict=True):
                top -= height
                flowable.drawOn(canvas, 0, top)
        self.code.drawOn(canvas, self.width - QR_SIZE, self.height - self.PAD - QR_SIZE)
        close_group(canvas, "LBody")
        close_group(canvas, "LI")


def stack_height(story: Sequence[Flowable], width: float, height: float) -> float:
    """How much of a frame ``width`` wide ``story`` fills, as a frame stacks it: each
    flowable's height and the space after it (none after the last)."""
    used = 0.0
    for index, flowable in enumerate(story):
        used += flowable.wrap(width, height)[1]
        if index < len(story) - 1:
            used += flowable.getSpaceAfter()
    return used


_FUZZ = 1e-6  # as platypus's frames compare


def stack_on_page(canvas: Canvas, story: Sequence[Flowable], x: float, top: float,
                  width: float, height: float) -> bool:
    """Draw ``story`` as a platypus frame ``width`` x ``height`` whose top left is
    (``x``, ``top``) would, when all of it fits (else draw nothing and say so): each
    flowable wrapped, drawn under the last, the space after it left below. The frames'
    machinery (splitting, keeping together, page templates) is not needed for a letter
    that fits its page, and is a third of such a letter's time. Every flowable of a
    letter has no space before it, which this relies on."""
    placed = []
    y = top
    for flowable in story:
        if flowable.getSpaceBefore():
            return False
        flowable.canv = canvas
        w, h = flowable.wrap(width, y - (top - height))
        y -= h
        if y < top - height - _FUZZ:
            return False
        placed.append((flowable, y, width - w))
        y -= flowable.getSpaceAfter()
    for flowable, y, slack in placed:
        flowable.drawOn(canvas, x, y, _sW=slack)
        flowable.__dict__.pop("canv", None)  # as a frame leaves it
    return True


def one_page_story(letter: Letter, first_page: tuple[float, float],
                   heights: dict[object, tuple[float, float]] | None = None
                   ) -> list[Flowable] | None:
    """The letter's flowables, for ``stack_on_page``, when it fits its first page at one
    of the fits (no translation); None when it needs the frames (more pages)."""
    if letter.translation is not None:
        return None
    copy_line = _copy_line(letter)
    fit = first_fit(letter, copy_line, first_page, heights)
    if fit is None:
        return None
    text, name = letter.text, letter.sender.name
    story: list[Flowable] = [
        # The campaign's message and closing, the same in every letter to this office:
        # drawn once and replayed in every PDF with the same seed (unless a note of the
        # volunteer's is in it); the name drawn once per PDF.
        DrawnOnce(("message", text, fit), lambda: [
            *message_flowables(text, fit), *_closing(text, fit)], across=text.note is None),
        Spacer(0, 11 * mm),  # room to sign
        DrawnOnce(("name", name, fit), lambda: [_signed_name(name, fit, first_page[0])],
                  across=False),
    ]
    if letter.copy_line:
        line = letter.copy_line
        story.append(DrawnOnce(("copy", line), lambda: _copy_line_of(line)))
    return story


# A drawn-once part's height (and the space after it) for each key and width.
_PART_HEIGHTS: OrderedDict[object, tuple[float, float]] = OrderedDict()


class DrawnOnce(Flowable):
    """Flowables stacked as a frame would stack them, drawn once for each ``key`` and
    place and replayed after (pdf.draw_once; ``across``: in other PDFs with the same seed
    too). ``make`` gives the flowables; their height is measured once per key and
    width."""

    def __init__(self, key: object, make: Callable[[], list[Flowable]], across: bool = True):
        super().__init__()
        self.key, self.make, self.across = key, make, across
        self._story: list[Flowable] | None = None
        self._space_after = 0.0

    def story(self) -> list[Flowable]:
        if self._story is None:
            self._story = self.make()
        return self._story

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        key = (self.key, availWidth)
        known = _PART_HEIGHTS.get(key) if self.across else None
        if known is None:
            story = self.story()
            known = (stack_height(story, availWidth, availHeight),
                     story[-1].getSpaceAfter())
            if self.across:
                _PART_HEIGHTS[key] = known
                if len(_PART_HEIGHTS) > MAX_MEASURED:
                    _PART_HEIGHTS.popitem(last=False)
        self.width, self.height, self._space_after = availWidth, known[0], known[1]
        return self.width, self.height

    def getSpaceAfter(self) -> float:
        return self._space_after

    def getSpaceBefore(self) -> float:
        return 0.0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        # Drawn from its own origin: the same drawing wherever the part stands (the
        # name under a longer or shorter message); one with links is tied to its place
        # (pdf.draw_once).
        def draw() -> None:
            if not stack_on_page(canvas, self.story(), 0, self.height, self.width,
                                 self.height + _FUZZ):
                raise RuntimeError("a stacked part no longer fits the height it measured")

        canvas.saveState()
        canvas.translate(x, y)
        draw_once(canvas, (self.key, self.width), draw, self.across)
        canvas.restoreState()


def _copy_line(letter: Letter) -> list[Flowable]:
    return _copy_line_of(letter.copy_line) if letter.copy_line else []


def _copy_line_of(line: str) -> list[Flowable]:
    return [Spacer(0, BODY_LEADING * 0.3), _tagged(line, "copy")]


def text_flowables(letter: Letter, text: LetterText,
                   after_signature: Sequence[Flowable] = (), fit: Fit = USUAL
                   ) -> list[Flowable]:
    """Subject to signature, in one language, set as ``fit`` says. ``after_signature``
    (the copy line) stays on the signature's page."""
    signature = signature_flowables(letter, text, after_signature, fit)
    # The closing, the room to sign, the name and the copy line stay together on one page.
    return [*message_flowables(text, fit), KeepTogether(signature)]


def _tagged(text: str, style_name: str, role: str = "P", bold: bool = False,
            fit: Fit = USUAL, lang: str | None = None) -> Flowable:
    """``text`` as a paragraph, a ``role`` element; shaped text (right to left, complex
    scripts) keeps the text as typed in the structure."""
    return Tagged(campaign_paragraph(text, style_name, bold, fit), role, lang,
                  actual_text=text if shaping.needs_shaping(text) else None)


def message_flowables(text: LetterText, fit: Fit) -> list[Flowable]:
    """Subject (the letter's heading, H1), salutation, body, links (a list) and the
    volunteer's note."""
    styles = paragraph_styles(fit)
    story: list[Flowable] = []
    if text.heading:
        story.append(_tagged(text.heading, "heading", bold=True))
    story += [
        _tagged(text.subject, "subject", "H1", bold=True, fit=fit),
        _tagged(text.salutation, "body", fit=fit),
    ]
    for block in body_blocks(text.body):
        if isinstance(block, LinkList):
            items = []
            for position, item in enumerate(block.links, start=1):
                style = styles["last-link" if position == len(block.links) else "link"]
                flowable = link_flowable(item, style)
                if flowable is not None:
                    items.append(flowable if isinstance(flowable, LinkBlock) else
                                 _ListItem(flowable))
            if items:
                story += [GroupStart("L"), *items, GroupEnd("L")]
            continue
        story.append(_tagged(block, "body", fit=fit))
    for paragraph in (text.note or "").split("\n\n"):
        if paragraph.strip():
            story.append(_tagged(paragraph.strip(), "body", fit=fit,
                                 lang=script_language(paragraph)))
    return story


class _ListItem(Tagged):
    """A list item without a web address (a label alone): LI > LBody > its text."""

    def __init__(self, inner: Flowable):
        super().__init__(inner, "P")

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        open_group(canvas, "LI")
        open_group(canvas, "LBody")
        super().drawOn(canvas, x, y, _sW)
        close_group(canvas, "LBody")
        close_group(canvas, "LI")


def signature_flowables(letter: Letter, text: LetterText,
                        after_signature: Sequence[Flowable], fit: Fit) -> list[Flowable]:
    """The closing, room to sign, the volunteer's name and ``after_signature``."""
    return [
        *_closing(text, fit),
        Spacer(0, 11 * mm),  # room to sign
        _signed_name(letter.sender.name, fit),
        *after_signature,
    ]


def _closing(text: LetterText, fit: Fit) -> list[Flowable]:
    return [Spacer(0, fit.leading * 0.2 * fit.gap), _tagged(text.closing, "body", fit=fit)]


def _signed_name(name: str, fit: Fit, width: float | None = None) -> Flowable:
    """The volunteer's name under the room to sign; with the ``width`` of its line, a
    name that fits it with room to spare is drawn as a line (``OneLine``), not laid out
    as a paragraph."""
    style = paragraph_styles(fit)["body"]
    if width is not None and _fits_one_line(name, fit, width):
        return Tagged(OneLine(name, style), "P", script_language(name))
    return _tagged(name, "body", fit=fit, lang=script_language(name))


class OneLine(Flowable):
    """Plain text that fits one line of the width it is given, drawn where a paragraph
    in ``style`` would draw it (left-aligned, the baseline a font size under its top),
    without laying out a paragraph."""

    def __init__(self, text: str, style: ParagraphStyle):
        super().__init__()
        self.text, self.style = text, style

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = availWidth, self.style.leading
        return self.width, self.height

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def draw(self) -> None:
        if string_width(self.text, self.style.fontSize) > self.width:
            raise RuntimeError("a OneLine wider than its line")
        draw_line(self.canv, 0, self.height - self.style.fontSize, self.text,
                  self.style.fontSize)


# Message heights kept across letters: a campaign has a few messages, each measured at a
# few fits and widths.
MAX_MEASURED = 256
_MEASURED: OrderedDict[object, tuple[float, float]] = OrderedDict()


def choose_fit(letter: Letter, copy_line: Sequence[Flowable],
               first_page: tuple[float, float],
               heights: dict[object, tuple[float, float]] | None = None) -> Fit:
    """``first_fit``, or USUAL when none fits (the letter continues on a second sheet)."""
    return first_fit(letter, copy_line, first_page, heights) or USUAL


def first_fit(letter: Letter, copy_line: Sequence[Flowable],
              first_page: tuple[float, float],
              heights: dict[object, tuple[float, float]] | None = None) -> Fit | None:
    """The first of FITS at which the letter's text fits its first page (``first_page``:
    the frame's width and height); None when it cannot fit at all. A letter with a
    translation is never tightened (USUAL).
    ``heights``: the message's height (and the space after it) at each fit, kept for the
    other letters of the same PDF, which carry the same message."""
    if letter.translation is not None:
        return USUAL
    width, height = first_page
    known = heights if heights is not None else {}
    # The campaign's message, without a note of the volunteer's, measures the same for
    # every volunteer: kept across letters too, unless the plain switch is on.
    across = _MEASURED if letter.text.note is None and not plain() else None
    for fit in FITS:
        key = (letter.text, fit, width)
        if key not in known:
            measured = across.get(key) if across is not None else None
            if measured is None:
                message = message_flowables(letter.text, fit)
                measured = (stack_height(message, width, height),
                            message[-1].getSpaceAfter())
                if across is not None:
                    across[key] = measured
                    if len(across) > MAX_MEASURED:
                        across.popitem(last=False)
            known[key] = measured
        used, gap = known[key]
        if used + gap + _signature_height(letter, copy_line, fit, width, height) <= height:
            return fit
    return None


# A name that fits one line with room to spare is one line at any fit: the signature's
# height is then the same for every such volunteer, measured with a stand-in name.
_ONE_LINE_NAME = "Name"
_NAME_ROOM = 0.9  # of the width: far from any line-breaking tolerance
_SIGNATURES: OrderedDict[object, float] = OrderedDict()


def _fits_one_line(name: str, fit: Fit, width: float) -> bool:
    return not shaping.needs_shaping(name) and \
        string_width(name, fit.size) <= width * _NAME_ROOM


def _signature_height(letter: Letter, copy_line: Sequence[Flowable], fit: Fit,
                      width: float, height: float) -> float:
    """How much of the frame the closing, room to sign, name and copy line take."""
    name = letter.sender.name
    if plain() or not _fits_one_line(name, fit, width):
        return stack_height(signature_flowables(letter, letter.text, copy_line, fit),
                            width, height)
    key = (letter.text.closing, letter.copy_line, fit, width, height)
    measured = _SIGNATURES.get(key)
    if measured is None:
        stand_in = dataclasses.replace(letter.sender, name=_ONE_LINE_NAME)
        measured = _SIGNATURES[key] = stack_height(signature_flowables(
            dataclasses.replace(letter, sender=stand_in), letter.text, copy_line, fit),
            width, height)
        if len(_SIGNATURES) > MAX_MEASURED:
            _SIGNATURES.popitem(last=False)
    return measured


def letter_flowables(letter: Letter,
                     first_page: tuple[float, float] | None = None,
                     heights: dict[object, tuple[float, float]] | None = None
                     ) -> list[Flowable]:
    """The letter's flowables; with ``first_page`` (the first frame's width and height),
    set as tightly as needed for a letter that overflows it a little to fit (FITS).
    ``heights``: see ``choose_fit``."""
    copy_line = _copy_line(letter)
    fit = USUAL if first_page is None else \
        choose_fit(letter, copy_line, first_page, heights)
    story = text_flowables(letter, letter.text, copy_line, fit)
    if letter.translation is not None:
        translation = letter.translation
        story += [PageBreak(), GroupStart("Sect", translation.language),
                  *text_flowables(letter, translation), GroupEnd("Sect")]
    return story


