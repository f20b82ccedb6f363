"""The flowing part of a letter: subject, salutation, body, links, the volunteer's note,
closing, room to sign and the copy line, as platypus flowables that continue on the next
page when the message is long. A volunteer's letters that carry the same words share one
drawing of them (``SharedBlock``).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Rect
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
)

from campaign_letters.compose.letters import Letter, LetterText, LinkList, body_blocks
from campaign_letters.layout.paragraphs import (
    BODY_LEADING,
    FITS,
    USUAL,
    Fit,
    campaign_paragraph,
    paragraph_styles,
    text_paragraph,
)
from campaign_letters.model import LinkItem
from campaign_letters.pdf import canvas_store, plain
from campaign_letters.text import shaping
from campaign_letters.text.strings import to_markup


def short_url(url: str) -> str:
    """A web address as a person would type it, whole: a shortened one could not be typed.

    >>> short_url("https://www.example.org/petition/123/")
    'example.org/petition/123'
    """
    text = url.split("://", 1)[-1]
    return text.removeprefix("www.").rstrip("/")


QR_SIZE = 17 * mm


@lru_cache(maxsize=64)  # a campaign has a handful of links
def qr_modules(url: str) -> tuple[tuple[float, float, float, float], ...]:
    """The dark runs of ``url``'s QR code as rectangles (x, y, width, height) in a
    QR_SIZE square, encoded once: the widget would encode it again at each drawing."""
    code = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = code.getBounds()
    sx, sy = QR_SIZE / (x1 - x0), QR_SIZE / (y1 - y0)
    return tuple(((r.x - x0) * sx, (r.y - y0) * sy, r.width * sx, r.height * sy)
                 for r in code.draw().contents if isinstance(r, Rect) and r.fillColor)


@lru_cache(maxsize=64)
def qr_path(url: str) -> PDFPathObject:
    """The QR code's modules as one path, its operators written once per address."""
    path = PDFPathObject()
    for x, y, width, height in qr_modules(url):
        path.rect(x, y, width, height)
    return path


class QrCode(Flowable):
    """A QR code drawn as one filled path, once per PDF (a form) and shown wherever the
    same address recurs."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self.width = self.height = QR_SIZE

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        forms: dict[str, str] = canvas_store(canvas, "qr-codes")
        name = forms.get(self.url)
        if name is None:
            name = forms[self.url] = f"QrCode{len(forms)}"
            canvas.beginForm(name, 0, 0, QR_SIZE, QR_SIZE)
            canvas.drawPath(qr_path(self.url), stroke=0, fill=1)
            canvas.endForm()
        canvas.doForm(name)


def link_flowable(item: LinkItem, style: ParagraphStyle) -> Flowable | None:
    """A link's label; with a web address, also the address, a QR code and a PDF link."""
    label = item.label or ""
    url = item.link.url
    if not url:
        return text_paragraph(label, style, bullet="–") if label else None
    href = escape(url, {'"': "&quot;"})
    shown = label or short_url(url)
    if shaping.needs_shaping(shown):  # the label shaped, the address below it
        cell: list[Flowable] = [text_paragraph(shown, style, bullet="–"), Paragraph(
            f'<a href="{href}" color="#1a4f8b"><font size="8.5">'
            f'{to_markup(short_url(url))}</font></a>', style)]
    else:
        markup = f'<a href="{href}" color="#1a4f8b">{to_markup(shown)}</a>'
        if label:
            markup += f'<br/><font size="8.5">{to_markup(short_url(url))}</font>'
        # A new paragraph each time, never a reused one: its link annotation is made as
        # it is drawn, and a replayed drawing would leave it out.
        cell = [Paragraph(markup, style, bulletText="–")]
    return LinkBlock(cell, QrCode(url), style.spaceAfter)


class LinkBlock(Flowable):
    """A link's label and address beside its QR code, tops aligned (a two-cell table,
    without a table's cost)."""

    GAP = 2 * mm  # between the text and the code
    PAD = 2  # under the taller of the two

    def __init__(self, cell: list[Flowable], code: QrCode, space_after: float):
        super().__init__()
        self.cell, self.code = cell, code
        self.spaceAfter = space_after

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        text_width = availWidth - QR_SIZE - self.GAP
        self._heights = [f.wrap(text_width, availHeight)[1] for f in self.cell]
        self.width = availWidth
        self.height = max(sum(self._heights), QR_SIZE) + self.PAD
        return self.width, self.height

    def draw(self) -> None:
        top = self.height - self.PAD
        for flowable, height in zip(self.cell, self._heights, strict=True):
            top -= height
            flowable.drawOn(self.canv, 0, top)
        self.code.drawOn(self.canv, self.width - QR_SIZE, self.height - self.PAD - QR_SIZE)


def stack_height(story: Sequence[Flowable], width: float, height: float) -> float:
    """How much of a frame ``width`` wide ``story`` fills, as a frame stacks it: each
    flowable's height and the space after it (none after the last)."""
    used = 0.0
    for index, flowable in enumerate(story):
        used += flowable.wrap(width, height)[1]
        if index < len(story) - 1:
            used += flowable.getSpaceAfter()
    return used


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

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = [f.wrap(availWidth, availHeight) for f in self.flowables]
        gaps = [f.getSpaceAfter() for f in self.flowables[:-1]]
        self.width = availWidth
        self.height = sum(h for _, h in self._sizes) + sum(gaps)
        return self.width, self.height

    def getSpaceAfter(self) -> float:
        return self.flowables[-1].getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return list(self.flowables)

    def draw(self) -> None:
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
                   after_signature: Sequence[Flowable] = (), fit: Fit = USUAL
                   ) -> list[Flowable]:
    """Subject to signature, in one language, set as ``fit`` says; ``share`` when other
    letters of the same PDF carry the same text. ``after_signature`` (the copy line)
    stays on the signature's page."""
    signature = signature_flowables(letter, text, after_signature, fit)
    # The closing, the room to sign, the name and the copy line stay together on one page.
    return [*message_flowables(text, share, fit), KeepTogether(signature)]


def message_flowables(text: LetterText, share: bool, fit: Fit) -> list[Flowable]:
    """Subject, salutation, body, links and the volunteer's note."""
    styles = paragraph_styles(fit)
    story: list[Flowable] = []
    if text.heading:
        story.append(campaign_paragraph(text.heading, "heading", bold=True))
    story += [
        campaign_paragraph(text.subject, "subject", bold=True, fit=fit),
        campaign_paragraph(text.salutation, "body", fit=fit),
    ]
    for block in body_blocks(text.body):
        if isinstance(block, LinkList):
            for position, item in enumerate(block.links, start=1):
                style = styles["last-link" if position == len(block.links) else "link"]
                flowable = link_flowable(item, style)
                if flowable is not None:
                    story.append(flowable)
            continue
        story.append(campaign_paragraph(block, "body", fit=fit))
    for paragraph in (text.note or "").split("\n\n"):
        if paragraph.strip():
            story.append(campaign_paragraph(paragraph.strip(), "body", fit=fit))
    return shared_runs(story, (text, fit)) if share else story


def signature_flowables(letter: Letter, text: LetterText,
                        after_signature: Sequence[Flowable], fit: Fit) -> list[Flowable]:
    """The closing, room to sign, the volunteer's name and ``after_signature``."""
    return [
        Spacer(0, fit.leading * 0.2 * fit.gap),
        campaign_paragraph(text.closing, "body", fit=fit),
        Spacer(0, 11 * mm),  # room to sign
        campaign_paragraph(letter.sender.name, "body", fit=fit),
        *after_signature,
    ]


def shared_runs(story: list[Flowable], key: object) -> list[Flowable]:
    """``story`` with each run of text drawn once for all the letters of a PDF
    (SharedBlock); a link with a web address stays apart, drawn in each letter: its PDF
    link annotation belongs to a page and cannot live in a shared form."""
    out: list[Flowable] = []
    run: list[Flowable] = []
    for flowable in story:
        if isinstance(flowable, LinkBlock):  # a link with its address and QR code
            if run:
                out.append(SharedBlock(run, key=(key, len(out))))
                run = []
            out.append(flowable)
        else:
            run.append(flowable)
    if run:
        out.append(SharedBlock(run, key=(key, len(out))))
    return out


# Message heights kept across letters: a campaign has a few messages, each measured at a
# few fits and widths.
MAX_MEASURED = 256
_MEASURED: OrderedDict[object, tuple[float, float]] = OrderedDict()


def choose_fit(letter: Letter, copy_line: Sequence[Flowable], share: bool,
               first_page: tuple[float, float],
               heights: dict[object, tuple[float, float]] | None = None) -> Fit:
    """The first of FITS at which the letter's text fits its first page (``first_page``:
    the frame's width and height); USUAL when it fits as usual, or cannot fit at all and
    continues on a second sheet. A letter with a translation is never tightened.
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
        key = (letter.text, fit, width, share)
        if key not in known:
            measured = across.get(key) if across is not None else None
            if measured is None:
                message = message_flowables(letter.text, share, fit)
                measured = (stack_height(message, width, height),
                            message[-1].getSpaceAfter())
                if across is not None:
                    across[key] = measured
                    if len(across) > MAX_MEASURED:
                        across.popitem(last=False)
            known[key] = measured
        used, gap = known[key]
        signature = signature_flowables(letter, letter.text, copy_line, fit)
        if used + gap + stack_height(signature, width, height) <= height:
            return fit
    return USUAL


def letter_flowables(letter: Letter, share: bool = False,
                     first_page: tuple[float, float] | None = None,
                     heights: dict[object, tuple[float, float]] | None = None
                     ) -> list[Flowable]:
    """The letter's flowables; with ``first_page`` (the first frame's width and height),
    set as tightly as needed for a letter that overflows it a little to fit (FITS).
    ``heights``: see ``choose_fit``."""
    copy_line = [Spacer(0, BODY_LEADING * 0.3), campaign_paragraph(letter.copy_line, "copy")] \
        if letter.copy_line else []
    fit = USUAL if first_page is None else \
        choose_fit(letter, copy_line, share, first_page, heights)
    story = text_flowables(letter, letter.text, share, copy_line, fit)
    if letter.translation is not None:
        story.append(PageBreak())
        story += text_flowables(letter, letter.translation, share)
    return story


