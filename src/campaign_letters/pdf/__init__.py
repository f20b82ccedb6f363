"""pdf: pages -> bytes. The only code that writes or reads PDF bytes, and the only code
that touches ReportLab's or pypdf's private names (a test walks every other module's
syntax tree for them, and import-linter forbids the rest of the package ReportLab's
low-level modules and pypdf).

In: platypus stories and page templates, canvases to draw on, fonts to embed, finished
PDFs to join. Out: PDF bytes (``story_pdf``, ``canvas_pdf``), a print pack streamed to
disk (``PdfJoiner``).

- ``_reportlab``: every use of ReportLab's and pypdf's internals, its contract at the top
  (settings, cached font subsets, glyph codes for shaped text, replayed operators, held
  pages, stored stream bytes);
- ``reuse``: campaign paragraphs laid out once and their drawings replayed;
- ``shortcuts``: the switch that turns every shortcut off (CAMPAIGN_LETTERS_PLAIN=1);
- ``document``: a story or a canvas written as a PDF with the project's settings;
- ``join``: many PDFs joined into one, streaming.
"""

from campaign_letters.pdf import shortcuts
from campaign_letters.pdf._reportlab import (
    PageHoldingCanvas,
    Seed,
    SubsetCachingTTFont,
    actual_text,
    canvas_store,
    glyph_code,
    seed_canvas,
    show_glyphs,
    stroked_text,
)
from campaign_letters.pdf.document import Metadata, canvas_pdf, story_pdf
from campaign_letters.pdf.join import Bookmark, PdfJoiner, SourcePdf
from campaign_letters.pdf.reuse import reusable_paragraph
from campaign_letters.pdf.shortcuts import plain, plain_mode

__all__ = [
    "Bookmark",
    "Metadata",
    "PageHoldingCanvas",
    "PdfJoiner",
    "Seed",
    "SourcePdf",
    "SubsetCachingTTFont",
    "actual_text",
    "canvas_pdf",
    "canvas_store",
    "glyph_code",
    "plain",
    "plain_mode",
    "reusable_paragraph",
    "seed_canvas",
    "shortcuts",
    "show_glyphs",
    "story_pdf",
    "stroked_text",
]
