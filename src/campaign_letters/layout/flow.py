"""The flowing part of a letter: subject, salutation, body, links, the volunteer's note,
closing, room to sign and the copy line, as platypus flowables that continue on the next
page when the message is long. A volunteer's letters that carry the same words share one
drawing of them (``SharedBlock``).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
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
from campaign_letters.pdf import canvas_store
from campaign_letters.text import faces, shaping
from campaign_letters.text.strings import to_markup


def short_url(url: str) -> str:
    """A web address as a person would type it, whole: a shortened one could not be typed.

    >>> short_url("https://www.example.org/petition/123/")
    'example.org/petition/123'
    """
    text = url.split("://", 1)[-1]
    return text.removeprefix("www.").rstrip("/")


def link_flowable(item: LinkItem, style: ParagraphStyle) -> Flowable | None:
    """A link's label; with a web address, also the address, a QR code and a PDF link."""
    label = item.label or ""
    url = item.link.url
    if not url:
        return text_paragraph(label, style, bullet="–") if label else None
    href = escape(url, {'"': "&quot;"})
    shown = label or short_url(url)
    size = 17 * mm
    code = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = code.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(code)
    if shaping.needs_shaping(shown):  # the label shaped, the address below it
        cell: Flowable | list[Flowable] = [text_paragraph(shown, style, bullet="–"), Paragraph(
            f'<a href="{href}" color="#1a4f8b"><font size="8.5">'
            f'{to_markup(short_url(url))}</font></a>', style)]
    else:
        markup = f'<a href="{href}" color="#1a4f8b">{to_markup(shown)}</a>'
        if label:
            markup += f'<br/><font size="8.5">{to_markup(short_url(url))}</font>'
        cell = Paragraph(markup, style, bulletText="–")
    table = Table([[cell, drawing]],
                  colWidths=[None, size + 2 * mm])
    # FONTNAME: else the table selects Helvetica for its cells (which hold no text of
    # its own), and the PDF would declare an unembedded font.
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), faces.LATIN.name),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table



def fits(story: Sequence[Flowable], width: float, height: float) -> bool:
    """Whether ``story`` fills at most ``height`` of a frame ``width`` wide, as a frame
    stacks it: each flowable's height and the space after it (none after the last)."""
    used = 0.0
    for index, flowable in enumerate(story):
        _, tall = flowable.wrap(width, height)
        used += tall + (flowable.getSpaceAfter() if index < len(story) - 1 else 0.0)
        if used > height:
            return False
    return True


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
    story, signature = text_parts(letter, text, share, after_signature, fit)
    # The closing, the room to sign, the name and the copy line stay together on one page.
    return [*story, KeepTogether(signature)]


def text_parts(letter: Letter, text: LetterText, share: bool,
               after_signature: Sequence[Flowable], fit: Fit
               ) -> tuple[list[Flowable], list[Flowable]]:
    """``text_flowables`` as the message and the signature block, apart."""
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
    # Links with a web address carry a PDF link annotation, which belongs to a page and
    # cannot live in a shared form: such a message is laid out letter by letter.
    if share and not any(isinstance(item, LinkItem) and item.link.url for item in text.body):
        story = [SharedBlock(story, key=(text, fit))]
    signature = [
        Spacer(0, fit.leading * 0.2 * fit.gap),
        campaign_paragraph(text.closing, "body", fit=fit),
        Spacer(0, 11 * mm),  # room to sign
        campaign_paragraph(letter.sender.name, "body", fit=fit),
        *after_signature,
    ]
    return story, signature


def choose_fit(letter: Letter, copy_line: Sequence[Flowable], share: bool,
               first_page: tuple[float, float]) -> Fit:
    """The first of FITS at which the letter's text fits its first page (``first_page``:
    the frame's width and height); USUAL when it fits as usual, or cannot fit at all and
    continues on a second sheet. A letter with a translation is never tightened."""
    if letter.translation is not None:
        return USUAL
    for fit in FITS:
        message, signature = text_parts(letter, letter.text, share, copy_line, fit)
        if fits([*message, *signature], *first_page):
            return fit
    return USUAL


def letter_flowables(letter: Letter, share: bool = False,
                     first_page: tuple[float, float] | None = None) -> list[Flowable]:
    """The letter's flowables; with ``first_page`` (the first frame's width and height),
    set as tightly as needed for a letter that overflows it a little to fit (FITS)."""
    copy_line = [Spacer(0, BODY_LEADING * 0.3), campaign_paragraph(letter.copy_line, "copy")] \
        if letter.copy_line else []
    fit = USUAL if first_page is None else choose_fit(letter, copy_line, share, first_page)
    message, signature = text_parts(letter, letter.text, share, copy_line, fit)
    # The closing, the room to sign, the name and the copy line stay together on one page.
    story = [*message, KeepTogether(signature)]
    if letter.translation is not None:
        story.append(PageBreak())
        story += text_flowables(letter, letter.translation, share)
    return story


