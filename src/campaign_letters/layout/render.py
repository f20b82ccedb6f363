"""Letters -> one PDF: the page templates and flowables of every letter (``pages``,
``flow``) handed to ``pdf`` to be written, deterministic, fonts embedded, metadata set.
Letters that each fit one sheet are stacked on their pages directly (a shortcut: see
``one_page_letters``); longer ones go through platypus's frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak, PageTemplate

from campaign_letters.compose.letters import Letter
from campaign_letters.layout.flow import letter_flowables, one_page_story, stack_on_page
from campaign_letters.layout.pages import (
    PageLog,
    check_fits,
    draw_first_page,
    first_frame_size,
    page_templates,
)
from campaign_letters.pdf import (
    DocumentCanvas,
    Metadata,
    canvas_pdf,
    plain_mode,
    shortcuts,
    story_pdf,
)
from campaign_letters.text import faces
from campaign_letters.version import __version__


@dataclass(frozen=True)
class RenderedLetters:
    pdf: bytes
    pages: tuple[int, ...]  # how many pages each letter took, in order


def render_document(letters: Sequence[Letter], title: str, plain: bool | None = None,
                    standard: str = "ua-1") -> RenderedLetters:
    """One tagged PDF holding ``letters``, each starting on its own sheet; the same
    letters give the same bytes. ``standard``: "ua-1" (PDF/UA-1, always) or "a-2b"
    (PDF/A-2b as well). The speed shortcuts are on unless ``plain`` (pdf/shortcuts.py:
    plain=True, or CAMPAIGN_LETTERS_PLAIN=1)."""
    if not letters:
        raise ValueError("no letters to render")
    with plain_mode(plain):
        faces.register_fonts()
        check_fits(letters)
        first = letters[0]
        meta = Metadata(title=title, creator=f"campaign-letters {__version__}",
                        author=first.sender.name, subject=first.subject,
                        lang=first.language, date=first.date)
        size = (first.geometry.width, first.geometry.height)
        pdf = None if shortcuts.plain() else one_page_letters(letters, meta, standard)
        if pdf is None:
            templates, story, log = document_story(letters)
            pdf = story_pdf(story, templates, size, log.canvas_maker(), meta,
                            faces.LATIN.name, standard=standard)
            return RenderedLetters(pdf, tuple(log.pages_per_letter()))
        return RenderedLetters(pdf, (1,) * len(letters))


def one_page_letters(letters: Sequence[Letter], meta: Metadata, standard: str
                     ) -> bytes | None:
    """Letters that each fit one sheet, drawn without platypus's frames (the shortcut
    ``flow.stack_on_page``: the same places, a third of the time); None when one of
    them needs more (then the frames lay them out). Plain: never."""
    heights: dict[object, tuple[float, float]] = {}
    stories = []
    for letter in letters:
        story = one_page_story(letter, first_frame_size(letter), heights)
        if story is None:
            return None
        stories.append(story)
    log = PageLog(letters)
    fitted: list[bool] = []

    def draw(canvas: DocumentCanvas) -> None:
        for index, (letter, story) in enumerate(zip(letters, stories, strict=True)):
            g = letter.geometry
            canvas.setPageSize((g.width, g.height))
            log.record(index)
            draw_first_page(canvas, letter)
            width, height = first_frame_size(letter)
            fitted.append(stack_on_page(canvas, story, g.margin_left,
                                        g.margin_bottom + height, width, height))
            canvas.showPage()

    first = letters[0]
    pdf = canvas_pdf(draw, (first.geometry.width, first.geometry.height), meta,
                     faces.LATIN.name, standard=standard, canvas_maker=log.canvas_maker())
    return pdf if all(fitted) else None


def render_letters(letters: Sequence[Letter], title: str, plain: bool | None = None,
                   standard: str = "ua-1") -> bytes:
    return render_document(letters, title, plain, standard).pdf


def document_story(letters: Sequence[Letter]
                   ) -> tuple[list[PageTemplate], list[Flowable], PageLog]:
    """Page templates and flowables for several letters, each starting on a new sheet."""
    templates: list[PageTemplate] = []
    story: list[Flowable] = []
    log = PageLog(letters)
    heights: dict[object, tuple[float, float]] = {}  # for the letters that repeat a text
    for index, letter in enumerate(letters):
        templates.extend(page_templates(letter, index, log))
        if index:
            story.append(NextPageTemplate(f"first-{index}"))
            story.append(PageBreak())
        story.extend(letter_flowables(letter, first_page=first_frame_size(letter),
                                      heights=heights))
    return templates, story, log

