"""Strings as the layout draws them: their width and their paragraph markup, whether they
are drawn as plain strings in the fallback chain's faces or shaped (``shaping``)."""

from __future__ import annotations

from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics

from campaign_letters.text import faces, shaping


def string_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line at ``size`` points, shaped where it needs shaping."""
    if not text.isascii() and shaping.needs_shaping(text):
        return shaping.shape_line(text, bold).width * size
    return sum(pdfmetrics.stringWidth(part, font, size)
               for font, part in faces.runs(text, bold))


NARROW_NO_BREAK, NO_BREAK = "\u202f", "\u00a0"


@lru_cache(maxsize=2048)
def to_markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain ``text``: escaped, with a font tag per run.

    User and campaign text is data, never markup: everything passes through ``escape``.

    >>> to_markup("<b>Zoë</b>")
    '<font face="NotoSans-Regular">&lt;b&gt;Zoë&lt;/b&gt;</font>'
    >>> to_markup("강")
    '<font face="CampaignGothic-Regular">강</font>'
    """
    if not text.isascii() and shaping.needs_shaping(text):  # a Paragraph would draw it
        raise ValueError(f"{text!r} needs shaping: draw it with layout.shaped")
    return "".join(f'<font face="{font}">{escape(part)}</font>'
                   for font, part in paragraph_runs(text, bold))


def paragraph_runs(text: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
    """The (font, text) runs a paragraph draws for plain ``text``. ReportLab's paragraphs
    break lines at a narrow no-break space (French sets one before ; ! ?): a no-break
    space, a little wider, keeps the mark with its word."""
    return faces.runs(text.replace(NARROW_NO_BREAK, NO_BREAK), bold)
