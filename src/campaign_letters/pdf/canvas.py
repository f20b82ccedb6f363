"""The canvas every PDF of the project is drawn on: ReportLab's, with what it draws kept
for the project's own writer (write.py) instead of ReportLab's document formatter, and
with the tags layout gives (tags.py) written into the content as marked sequences.

In: drawing calls (ReportLab's public API), tagging calls (``tagged``, ``open_group``,
``artifact``), links, one-bit images. Out: the PDF's bytes at ``save``.

ReportLab internals used here (see _reportlab.py, part 5): the page's operator list
``_code`` and its ``_preamble``, the form bookkeeping ``_formData``/``_formsinuse`` that
``beginForm`` sets up, ``_pagesize``, ``_absRect``, and the canvas's ``__dict__`` held per
page so that "page 2 of 3" is drawn once the count is known.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from campaign_letters.pdf.tags import Element, Structure
from campaign_letters.pdf.write import (
    Drawn,
    Form,
    ImageMask,
    Metadata,
    PageContent,
    pdf_bytes,
    xobject_name,
)


class DocumentCanvas(Canvas):
    """A canvas that keeps its pages until ``save`` (then hands each to ``finish_page``,
    e.g. to draw its number of pages), records tags and links, and writes the PDF with
    the project's writer: tagged, and PDF/A-2b when ``standard`` says so."""

    def __init__(self, *args: Any, meta: Metadata, standard: str = "ua-1",
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict[str, Any]] = []
        self._drawn = Drawn(pages=[], structure=Structure(meta.lang))
        self._drawn.structure.page_started(0)
        self._meta, self._standard = meta, standard
        self._image_names: dict[str, str] = {}

    # -- pages ---------------------------------------------------------------------------

    def showPage(self) -> None:
        self._held_pages.append(dict(self.__dict__))
        self._startPage()
        self._drawn.structure.page_started(len(self._held_pages))

    def finish_page(self, index: int) -> None:
        """Called for each held page, in order, with the page's state restored."""

    def save(self) -> None:
        if self._code:
            self.showPage()
        drawn = self._drawn
        for index, state in enumerate(self._held_pages):
            self.__dict__.update(state)
            drawn.structure.page_started(index)
            self.finish_page(index)
            width, height = self._pagesize
            drawn.pages.append(PageContent(width, height, [self._preamble, *self._code],
                                           tuple(dict.fromkeys(self._formsinuse))))
        data = pdf_bytes(drawn, self._doc, self._meta, self._standard)
        target = self._filename
        if hasattr(target, "write"):
            target.write(data)
        else:
            with open(target, "wb") as handle:
                handle.write(data)

    def getpdfdata(self) -> bytes:
        raise NotImplementedError("write with save() to a file or buffer")

    # -- forms, images, links ------------------------------------------------------------

    def endForm(self, **extra_attributes: Any) -> None:
        name, x0, y0, x1, y1 = self._formData
        width, height = self._pagesize
        self._drawn.forms[name] = Form(
            (x0, y0, width if x1 is None else x1, height if y1 is None else y1),
            list(self._code), tuple(dict.fromkeys(self._formsinuse)))
        self._restartAccumulators()
        self.pop_state_stack()

    def doForm(self, name: str) -> None:
        self._code.append(f"/{xobject_name(name)} Do")
        self._formsinuse.append(name)

    def hasForm(self, name: str) -> bool:
        return name in self._drawn.forms

    def linkURL(self, url: str, rect: Any, relative: int = 0, thickness: float = 0,
                color: Any = None, dashArray: Any = None, kind: str = "URI",
                **kw: Any) -> None:
        if kind != "URI":
            raise NotImplementedError(f"{kind} links")
        x0, y0, x1, y1 = self._absRect(rect, relative)
        self._drawn.structure.link((x0, y0, x1, y1), url)

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:
        raise NotImplementedError("only web links (linkURL) are written")

    def image_mask(self, key: str, image: ImageMask, width: float, height: float) -> None:
        """``image`` painted in black, ``width`` x ``height`` at the current origin; held
        once per PDF however often it is shown (the same ``key``, the same image)."""
        names = self._image_names
        name = names.get(key)
        if name is None:
            name = names[key] = f"Mask{len(names)}"  # in the order first shown
            self._drawn.images[name] = image
        self._code.append(f"q 0 g {width:.4f} 0 0 {height:.4f} 0 0 cm "
                          f"/{xobject_name(name)} Do Q")
        self._formsinuse.append(name)


def structure_of(canvas: Canvas) -> Structure | None:
    """The structure a DocumentCanvas records; None on any other canvas."""
    drawn = getattr(canvas, "_drawn", None)
    return drawn.structure if drawn is not None else None


@contextlib.contextmanager
def tagged(canvas: Canvas, role: str, lang: str | None = None, alt: str | None = None,
           contents: str | None = None, element: Element | None = None,
           actual_text: str | None = None) -> Iterator[Element | None]:
    """What is drawn meanwhile is the content of a new ``role`` element (P, H1, Link,
    Figure, ...), or more content of ``element`` (a paragraph continued on the next
    page). ``lang`` when it differs from the document's; ``alt`` for a figure;
    ``contents`` describes a link's annotations; ``actual_text``, the text as typed of
    shaped or right-to-left text, whose glyphs are in visual order."""
    structure = structure_of(canvas)
    if structure is None:
        yield None
        return
    if element is None:
        element = structure.new_element(role, lang, alt, contents, actual_text)
    structure.begin_marked(element, canvas._code)
    try:
        yield element
    finally:
        structure.end_marked(canvas._code)


def open_group(canvas: Canvas, role: str, lang: str | None = None) -> None:
    """Elements made from now on are kids of a new ``role`` element (Part, L, LI, ...)."""
    structure = structure_of(canvas)
    if structure is not None:
        structure.open_group(role, lang)


def close_group(canvas: Canvas, role: str) -> None:
    structure = structure_of(canvas)
    if structure is not None:
        structure.close_group(role)


def close_groups_to(canvas: Canvas, depth: int) -> None:
    """Close every open group below ``depth`` (1: back to the document)."""
    structure = structure_of(canvas)
    if structure is not None:
        structure.close_groups_to(depth)


@contextlib.contextmanager
def artifact(canvas: Canvas, kind: str = "Layout") -> Iterator[None]:
    """What is drawn meanwhile is page furniture (fold marks, page numbers): no part of
    the structure, skipped by screen readers. ``kind``: Layout or Pagination."""
    structure = structure_of(canvas)
    if structure is None:
        yield
        return
    structure.begin_artifact(canvas._code, kind)
    try:
        yield
    finally:
        structure.end_artifact(canvas._code)


def image_mask(canvas: Canvas, key: str, image: ImageMask, width: float, height: float
               ) -> None:
    """See ``DocumentCanvas.image_mask``: every PDF is drawn on one."""
    if not isinstance(canvas, DocumentCanvas):
        raise TypeError("images are drawn on a DocumentCanvas (pdf.canvas_pdf, story_pdf)")
    canvas.image_mask(key, image, width, height)
