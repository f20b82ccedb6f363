"""Letters -> PDF bytes: deterministic, fonts embedded, metadata set."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import BaseDocTemplate

from campaign_letters import __version__
from campaign_letters.compose.letters import Letter
from campaign_letters.layout.pages import check_fits, document_story
from campaign_letters.pdf._reportlab import project_settings
from campaign_letters.pdf.shortcuts import plain_mode
from campaign_letters.text import faces as fonts


@dataclass(frozen=True)
class RenderedLetters:
    pdf: bytes
    pages: tuple[int, ...]  # how many pages each letter took, in order


def render_document(letters: Sequence[Letter], title: str, plain: bool | None = None
                    ) -> RenderedLetters:
    """One PDF holding ``letters``, each starting on its own sheet.

    ``invariant`` fixes the creation date and document id, so the same letters give the
    same bytes wherever and whenever they are written.
    """
    if not letters:
        raise ValueError("no letters to render")
    # ReportLab set for our streams (_reportlab.py); the speed shortcuts on unless plain
    # (shortcuts.py: plain=True, or CAMPAIGN_LETTERS_PLAIN=1).
    with project_settings(), plain_mode(plain):
        return _render(letters, title)


def _render(letters: Sequence[Letter], title: str) -> RenderedLetters:
    fonts.register_fonts()
    check_fits(letters)
    first = letters[0]
    buffer = io.BytesIO()
    templates, story, log = document_story(letters)
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
    doc.build(story, canvasmaker=log.canvas_maker())
    return RenderedLetters(buffer.getvalue(), tuple(log.pages_per_letter()))


def render_letters(letters: Sequence[Letter], title: str, plain: bool | None = None) -> bytes:
    return render_document(letters, title, plain).pdf
