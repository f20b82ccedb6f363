"""A letter's logical structure, recorded as it is drawn: the tags of a tagged PDF
(PDF/UA-1, ISO 14289-1; PDF 1.7, 14.7-14.8).

In: what layout says while it draws — "this is the subject" (``content``), "these
paragraphs are one list" (``open_group``/``close_group``), "this is page furniture"
(``artifact``). Out: a tree of ``Element``s in reading order (the order things are drawn),
each leaf holding the marked-content sequences (page, MCID) and link annotations that are
its content; ``write.py`` turns it into the structure tree and the parent tree.

Drawing order is reading order: the first page's fixed parts (sender, recipient, date)
are drawn before the text flows into the frame, and page numbers last, as artifacts.
Marked content never nests an MCID inside another (PDF 14.7.4.4), so a group element has
only elements for kids and a content element only its marked sequences and annotations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from campaign_letters.pdf.serialize import name, text_string


@dataclass(eq=False, slots=True)
class Element:
    """A structure element: a standard role (PDF 14.8.4), its language when it differs
    from its parent's, an alternative description (a figure's /Alt), and its kids."""

    role: str
    lang: str | None = None
    alt: str | None = None
    kids: list[Element | Marked | Annotation] = field(default_factory=list)
    parent: Element | None = None
    contents: str | None = None  # a Link's description, given to its annotations
    actual_text: str | None = None  # shaped text: the text as typed (glyphs are visual)


@dataclass(eq=False, slots=True)
class Marked:
    """A marked-content sequence: its page (index) and MCID."""

    page: int
    mcid: int


@dataclass(eq=False, slots=True)
class Annotation:
    """A link annotation, its structure element's content (an OBJR), written on its page
    with /StructParent."""

    page: int
    rect: tuple[float, float, float, float]
    url: str
    contents: str  # what a reader announces: the link's text and address
    element: Element | None = None


class _Code(Protocol):
    def append(self, operators: str, /) -> None: ...


@dataclass
class Structure:
    """The tags of one PDF while it is drawn: the root, the open groups, and per page the
    element each MCID belongs to."""

    lang: str
    root: Element = field(init=False)
    open: list[Element] = field(init=False)
    by_page: list[list[Element]] = field(default_factory=list)  # page -> MCID -> element
    annotations: list[Annotation] = field(default_factory=list)
    page: int = 0  # the page being drawn (index)
    content_open: Element | None = None
    _artifact_depth: int = 0

    def __post_init__(self) -> None:
        self.root = Element("Document", self.lang)
        self.open = [self.root]

    def page_started(self, page: int) -> None:
        self.page = page
        while len(self.by_page) <= page:
            self.by_page.append([])

    # -- what layout says ------------------------------------------------------------------

    def open_group(self, role: str, lang: str | None = None) -> Element:
        element = self._child(role, lang)
        self.open.append(element)
        return element

    def close_group(self, role: str) -> None:
        """Close the innermost open group, which must be a ``role`` (a mismatch is a bug
        in the layout's tagging: the tree would read wrong)."""
        if len(self.open) < 2 or self.open[-1].role != role:
            raise RuntimeError(f"closing {role} but {self.open[-1].role} is open")
        self.open.pop()

    def close_groups_to(self, depth: int) -> None:
        del self.open[max(1, depth):]

    def new_element(self, role: str, lang: str | None = None, alt: str | None = None,
                    contents: str | None = None, actual_text: str | None = None
                    ) -> Element:
        element = self._child(role, lang, alt)
        element.contents, element.actual_text = contents, actual_text
        return element

    def _child(self, role: str, lang: str | None, alt: str | None = None) -> Element:
        parent = self.open[-1]
        inherited = self.inherited_lang(parent)
        element = Element(role, lang if lang and lang != inherited else None, alt,
                          parent=parent)
        parent.kids.append(element)
        return element

    @staticmethod
    def inherited_lang(element: Element | None) -> str | None:
        while element is not None:
            if element.lang:
                return element.lang
            element = element.parent
        return None

    def begin_marked(self, element: Element, code: _Code) -> None:
        """Open a marked-content sequence on the current page belonging to ``element``."""
        if self._artifact_depth:
            raise RuntimeError("structure content inside an artifact")
        if self.content_open is not None:
            raise RuntimeError("marked content inside marked content")
        mcids = self.by_page[self.page]
        element.kids.append(Marked(self.page, len(mcids)))
        code.append(f"{role_name(element.role)} <</MCID {len(mcids)}>> BDC")
        mcids.append(element)
        self.content_open = element

    def end_marked(self, code: _Code) -> None:
        code.append("EMC")
        self.content_open = None

    def begin_artifact(self, code: _Code, kind: str) -> None:
        if self.content_open is not None:
            raise RuntimeError("an artifact inside marked content")
        self._artifact_depth += 1
        code.append(f"/Artifact <</Type /{kind}>> BDC")

    def end_artifact(self, code: _Code) -> None:
        self._artifact_depth -= 1
        code.append("EMC")

    def link(self, rect: tuple[float, float, float, float], url: str) -> Annotation:
        """A link annotation on the current page, the content of the element open now (a
        Link element: see layout's link blocks), described as that element says."""
        element = self.content_open
        if element is None or element.role != "Link":
            # Its annotation would have no element: PDF/UA wants every link in one.
            raise RuntimeError("a link drawn outside a Link element")
        contents = element.contents or url
        annotation = Annotation(self.page, rect, url, contents, element)
        if element is not None:
            element.kids.append(annotation)
        self.annotations.append(annotation)
        return annotation


@lru_cache(maxsize=64)  # the standard roles: a few dozen
def role_name(role: str) -> str:
    return name(role).decode()


def lang_entry(lang: str | None) -> bytes:
    return b"/Lang" + text_string(lang) if lang else b""
