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
    markup = f'<a href="{href}" color="#1a4f8b">{to_markup(shown)}</a>'
    if label:
        markup += f'<br/><font size="8.5">{to_markup(short_url(url))}</font>'
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
                   after_signature: Sequence[Flowable] = ()) -> list[Flowable]:
    """Subject to signature, in one language; ``share`` when other letters of the same PDF
    carry the same text. ``after_signature`` (the copy line) stays on the signature's
    page."""
    styles = paragraph_styles()
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


