"""Where a PDF is drawn and written: a platypus story through ``BaseDocTemplate``, or a
canvas drawn by a function, both on a ``DocumentCanvas`` with the project's settings, so
both are written by the project's own writer (write.py): tagged, deterministic (the same
input gives the same bytes wherever and whenever it is written), PDF/A-2b on request.
The initial font is one of ours, so the canvas never selects Helvetica, which would be
an unembedded font.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from functools import partial

from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate

from campaign_letters.pdf._reportlab import project_settings
from campaign_letters.pdf.canvas import DocumentCanvas
from campaign_letters.pdf.write import Metadata


def story_pdf(story: list[Flowable], templates: Sequence[PageTemplate],
              page_size: tuple[float, float], canvas_maker: type[DocumentCanvas],
              meta: Metadata, font_name: str, font_size: float = 10,
              standard: str = "ua-1") -> bytes:
    """The PDF of a platypus ``story`` laid out in ``templates``."""
    buffer = io.BytesIO()
    with project_settings(font_name):
        doc = BaseDocTemplate(buffer, pagesize=page_size, pageTemplates=list(templates),
                              invariant=1, title=meta.title, author=meta.author,
                              subject=meta.subject, creator=meta.creator, lang=meta.lang,
                              initialFontName=font_name, initialFontSize=font_size)
        doc.build(story, canvasmaker=partial(canvas_maker, meta=meta, standard=standard))
    return buffer.getvalue()


def canvas_pdf(draw: Callable[[DocumentCanvas], None], page_size: tuple[float, float],
               meta: Metadata, font_name: str, font_size: float = 10,
               standard: str = "ua-1",
               canvas_maker: type[DocumentCanvas] = DocumentCanvas) -> bytes:
    """The PDF of what ``draw`` puts on a canvas (it ends each page with ``showPage``)."""
    buffer = io.BytesIO()
    with project_settings(font_name):
        canvas = canvas_maker(buffer, pagesize=page_size, invariant=1,
                              initialFontName=font_name, initialFontSize=font_size,
                              meta=meta, standard=standard)
        draw(canvas)
        canvas.save()
    return buffer.getvalue()
