"""pdf: pages -> bytes. The only code that writes or reads PDF bytes, and the only code
that touches ReportLab's or pypdf's private names (a test walks every other module's
syntax tree for them, and import-linter forbids the rest of the package ReportLab's
low-level modules and pypdf).

In: platypus stories and page templates, canvases to draw on, what is drawn tagged with
its role in the letter, fonts to embed, finished PDFs to join. Out: tagged PDF bytes
(``story_pdf``, ``canvas_pdf``; PDF/A-2b on request), a print pack streamed to disk
(``PdfJoiner``).

- ``_reportlab``: every use of ReportLab's and pypdf's internals, its contract at the top
  (settings, font subsets as bytes, glyph codes for shaped text, replayed operators,
  stored stream bytes);
- ``canvas``: the canvas everything is drawn on: pages held for their numbers, tags,
  links and images recorded for the writer;
- ``tags``: the structure recorded while drawing (reading order, roles, languages);
- ``write`` and ``serialize``: the project's own PDF writer (objects, structure tree,
  XMP, output intent, object and cross-reference streams);
- ``reuse``: campaign paragraphs laid out once and their drawings replayed;
- ``blocks``: parts of a page (an address, a message, a sender block) drawn once and
  replayed, within a PDF and across PDFs with the same seed;
- ``shortcuts``: the switch that turns every shortcut off (CAMPAIGN_LETTERS_PLAIN=1);
- ``document``: a story or a canvas written as a PDF with the project's settings;
- ``join``: many PDFs joined into one, streaming.
"""

from campaign_letters.pdf import shortcuts
from campaign_letters.pdf._reportlab import (
    Seed,
    SubsetCachingTTFont,
    actual_text,
    canvas_store,
    draw_text,
    glyph_code,
    seed_canvas,
    show_glyphs,
    stroked_text,
)
from campaign_letters.pdf.blocks import draw_once
from campaign_letters.pdf.canvas import (
    DocumentCanvas,
    artifact,
    close_group,
    close_groups_to,
    image_mask,
    open_group,
    tagged,
)
from campaign_letters.pdf.document import canvas_pdf, story_pdf
from campaign_letters.pdf.join import Bookmark, PdfJoiner, SourcePdf
from campaign_letters.pdf.reuse import SpacedParagraph, reusable_paragraph
from campaign_letters.pdf.shortcuts import plain, plain_mode
from campaign_letters.pdf.write import STANDARDS, ImageMask, Metadata

__all__ = [
    "STANDARDS",
    "Bookmark",
    "DocumentCanvas",
    "ImageMask",
    "Metadata",
    "PdfJoiner",
    "Seed",
    "SourcePdf",
    "SpacedParagraph",
    "SubsetCachingTTFont",
    "actual_text",
    "artifact",
    "canvas_pdf",
    "canvas_store",
    "close_group",
    "close_groups_to",
    "draw_once",
    "draw_text",
    "glyph_code",
    "image_mask",
    "open_group",
    "plain",
    "plain_mode",
    "reusable_paragraph",
    "seed_canvas",
    "shortcuts",
    "show_glyphs",
    "story_pdf",
    "stroked_text",
    "tagged",
]
