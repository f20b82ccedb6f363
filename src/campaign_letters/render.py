"""Letters -> PDF bytes: deterministic, fonts embedded, metadata set."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.platypus import BaseDocTemplate

from . import __version__, fonts
from .compose import Letter
from .layout import check_fits, document_story


def render_letters(letters: Sequence[Letter], title: str) -> bytes:
    """One PDF holding ``letters``, each on its own sheet(s).

    ``invariant`` fixes the creation date and document id, so the same letters give the
    same bytes wherever and whenever they are written.
    """
    if not letters:
        raise ValueError("no letters to render")
    fonts.register_fonts()
    check_fits(letters)
    first = letters[0]
    buffer = io.BytesIO()
    templates, story = document_story(letters)
    doc = BaseDocTemplate(
        buffer,
        pagesize=(first.geometry.width, first.geometry.height),
        pageTemplates=templates,
        invariant=1,
        title=title,
        author=first.sender.name,
        subject=first.subject,
        creator=f"campaign-letters {__version__}",
        lang=first.language,
        # Without this the canvas declares Helvetica, which would be an unembedded font.
        initialFontName=fonts.LATIN.name,
        initialFontSize=10,
    )
    doc.build(story)
    return buffer.getvalue()
