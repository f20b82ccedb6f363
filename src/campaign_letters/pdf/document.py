"""Where a PDF's bytes are written: a platypus story through ``BaseDocTemplate``, or a
canvas drawn by a function, both with the project's settings and fixed metadata.

``invariant`` fixes the creation date and document id, so the same input gives the same
bytes wherever and whenever it is written; the initial font is one of ours, so the
canvas never declares Helvetica, which would be an unembedded font.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, PageTemplate

from campaign_letters.pdf._reportlab import project_settings


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself (its Info dictionary)."""

    title: str
    creator: str
    author: str = ""
    subject: str = ""
    lang: str = ""


def story_pdf(story: list[Flowable], templates: Sequence[PageTemplate],
              page_size: tuple[float, float], canvas_maker: type[Canvas], meta: Metadata,
              font_name: str, font_size: float = 10) -> bytes:
    """The PDF of a platypus ``story`` laid out in ``templates``."""
    buffer = io.BytesIO()
    with project_settings(font_name):
        doc = BaseDocTemplate(buffer, pagesize=page_size, pageTemplates=list(templates),
                              invariant=1, title=meta.title, author=meta.author,
                              subject=meta.subject, creator=meta.creator, lang=meta.lang,
                              initialFontName=font_name, initialFontSize=font_size)
        doc.build(story, canvasmaker=canvas_maker)
    return buffer.getvalue()


def canvas_pdf(draw: Callable[[Canvas], None], page_size: tuple[float, float],
               meta: Metadata, font_name: str, font_size: float = 10) -> bytes:
    """The PDF of what ``draw`` puts on a canvas (it ends each page with ``showPage``)."""
    buffer = io.BytesIO()
    with project_settings(font_name):
        canvas = Canvas(buffer, pagesize=page_size, invariant=1, initialFontName=font_name,
                        initialFontSize=font_size)
        canvas.setTitle(meta.title)
        canvas.setCreator(meta.creator)
        draw(canvas)
        canvas.save()
    return buffer.getvalue()
