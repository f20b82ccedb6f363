"""Flowables that tell the PDF's structure what they are: a paragraph, the subject, a
list. Platypus places and splits them as it would the flowable they wrap; drawing one
marks its content as an element of the document's structure (pdf.tagged), so a screen
reader reads the letter in order, in the right language.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from campaign_letters.pdf import close_group, open_group, tagged
from campaign_letters.pdf.tags import Element


class Tagged(Flowable):
    """``inner`` as the content of one ``role`` element; the parts a page break splits it
    into stay one element (a paragraph continued on the next page)."""

    def __init__(self, inner: Flowable, role: str, lang: str | None = None,
                 element: list[Element | None] | None = None,
                 actual_text: str | None = None):
        super().__init__()
        self.inner = inner
        self.role, self.lang, self.actual_text = role, lang, actual_text
        self._element: list[Element | None] = element if element is not None else [None]

    def __getattr__(self, name: str) -> Any:
        # What platypus asks of a flowable (keepWithNext, style, ...) is the inner one's.
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def wrapOn(self, canv: Canvas, aW: float, aH: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrapOn(canv, aW, aH)
        return self.width, self.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(availWidth, availHeight)
        return self.width, self.height

    def splitOn(self, canv: Canvas, aW: float, aH: float) -> list[Flowable]:
        return [Tagged(part, self.role, self.lang, self._element, self.actual_text)
                for part in self.inner.splitOn(canv, aW, aH)]

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return [Tagged(part, self.role, self.lang, self._element, self.actual_text)
                for part in self.inner.split(availWidth, availHeight)]

    def getSpaceAfter(self) -> float:
        return float(self.inner.getSpaceAfter())

    def getSpaceBefore(self) -> float:
        return float(self.inner.getSpaceBefore())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:
        with tagged(canvas, self.role, self.lang, element=self._element[0],
                    actual_text=self.actual_text) as element:
            self._element[0] = element
            self.inner.drawOn(canvas, x, y, _sW)


class GroupStart(Flowable):
    """Opens a grouping element (a list, a translation's section) where it stands."""

    def __init__(self, role: str, lang: str | None = None):
        super().__init__()
        self.role, self.lang = role, lang
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        open_group(self.canv, self.role, self.lang)


class GroupEnd(Flowable):
    def __init__(self, role: str):
        super().__init__()
        self.role = role
        self.width = self.height = 0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        close_group(self.canv, self.role)
