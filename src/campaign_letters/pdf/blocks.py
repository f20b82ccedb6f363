"""Parts of a page drawn once and replayed: the shortcut that makes the second letter of a
volunteer's PDF, and the thousandth letter of a pack, cheap (see _reportlab.py, part 4).

In: a key saying what a part of a page is (the recipient's address in a window, the
campaign's message at a fit, a volunteer's sender block) and a function that draws it.
Out: the same operators, tags, links and images as drawing it, without drawing it again.

A drawing is recorded the first time: its PDF operators, the structure elements it made
(their marked-content IDs relative to the first, since the parts before it on a page
vary), its links, images and the canvas state it leaves. Replaying it appends the same
operators with the page's next MCIDs and rebuilds the same elements. Within one PDF every
recording can be replayed (the document's glyph codes only grow); across PDFs only one
that drew nothing but the seed's characters (``_reportlab.seed_document``), numbered
nothing new and used no new colour, so that its operators mean the same in every PDF with
that seed. Plain (shortcuts.py): everything is drawn, every time.
"""

from __future__ import annotations

import operator
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from campaign_letters.pdf._reportlab import (
    canvas_store,
    characters_encoded,
    numbering_state,
    only_seeded,
    operators,
    operators_since,
    replay,
    seed_of,
    truetype_fonts,
)
from campaign_letters.pdf.canvas import DocumentCanvas, structure_of
from campaign_letters.pdf.shortcuts import plain
from campaign_letters.pdf.tags import Annotation, Element, Marked, Structure, role_name
from campaign_letters.pdf.write import ImageMask, PackedOperators

# Drawings whose operators are this long (characters) get a content stream of their own,
# compressed once (the campaign's message); shorter ones join the page's.
PACKED_FROM = 2000

# The canvas's graphics and text state (ReportLab's saveState saves these): what a
# recording starts from is part of its key, and what it leaves is set again on replay.
# The transformation matrix is not: where a part is drawn matters only to its links'
# rectangles (absolute), so only a recording with links is tied to its place.
_STATE = [name for name in DocumentCanvas.STATE_ATTRIBUTES
          if name not in ("_extgstate", "_currentMatrix")]


@dataclass(frozen=True)
class _Link:
    index: int  # in the recording's annotations


@dataclass(frozen=True)
class _Node:
    """A structure element as recorded; kids are nodes, relative MCIDs and links."""

    role: str
    lang: str | None
    alt: str | None
    contents: str | None
    actual_text: str | None
    kids: tuple[_Node | int | _Link, ...]


@dataclass(frozen=True)
class _Recording:
    ops: tuple[str, ...]
    marks: tuple[tuple[int, str, int], ...]  # (op index, role name, relative MCID)
    nodes: tuple[_Node, ...]
    mcids: int
    links: tuple[tuple[tuple[float, float, float, float], str, str], ...]
    state: tuple[Any, ...]  # _STATE's values after drawing
    matrix: tuple[float, ...]  # the transformation before drawing
    matrix_after: tuple[float, ...]
    placed: bool  # tied to that place: it has links, or moved the origin for good
    xobjects: tuple[str, ...]  # names appended to the page's _formsinuse
    images: tuple[tuple[str, str, ImageMask], ...]  # (key, name, image) first shown
    # A long one's operators for each first MCID, joined and compressed once.
    packed: dict[int, PackedOperators] = field(default_factory=dict, compare=False)

    def operators(self, base: int) -> list[str]:
        """The operators, their marked content numbered from ``base``: a long drawing's
        as one ``PackedOperators`` (a content stream of its own, compressed once)."""
        packed = self.packed.get(base)
        if packed is not None:
            return [packed]
        ops = list(self.ops)
        for index, role, mcid in self.marks:
            ops[index] = f"{role} <</MCID {base + mcid}>> BDC"
        if sum(map(len, ops)) < PACKED_FROM or len(self.packed) >= 8:
            return ops
        packed = self.packed[base] = PackedOperators("\n".join(ops))
        return [packed]


_lock = threading.Lock()
_across: OrderedDict[Hashable, _Recording] = OrderedDict()
MAX_ACROSS = 256  # a campaign has a few dozen parts; the oldest recordings go first


def draw_once(canvas: Any, key: Hashable, draw: Callable[[], None],
              across: bool = True) -> None:
    """Draw what ``draw`` draws on ``canvas`` now, or replay its recording: the same
    ``key`` must mean the same drawing at the same place (include the text and position
    in it). ``across``: the recording may serve other PDFs with the same seed (never for
    a volunteer's own details: those stay with their PDF)."""
    structure = structure_of(canvas)
    if plain() or structure is None:
        draw()
        return
    seed = seed_of(canvas)
    across = across and seed is not None  # unseeded (labels): within the PDF only
    full_key = (key, _state(canvas), Structure.inherited_lang(structure.open[-1]))
    mine: dict[Hashable, _Recording] = canvas_store(canvas, "blocks")
    recording = mine.get(full_key)
    if recording is None and across:
        recording = _across.get((seed, full_key))
    if recording is not None and recording.placed and \
            recording.matrix != canvas._currentMatrix:
        recording = None
    if recording is not None and _replay(canvas, structure, recording):
        return
    start, base = operators(canvas), len(structure.by_page[structure.page])
    recording, shareable = _record(canvas, structure, seed, draw)
    if recording is None:
        return
    # As a replay appends it: the first letter's bytes are the thousandth's.
    del canvas._code[start:]
    replay(canvas, recording.operators(base))
    mine[full_key] = recording
    if across and shareable:
        with _lock:
            _across[(seed, full_key)] = recording
            if len(_across) > MAX_ACROSS:
                _across.popitem(last=False)


_state_values = operator.itemgetter(*_STATE)


def _state(canvas: Any) -> tuple[Any, ...]:
    """The canvas's state as a key: its values, a list (a dash pattern) as a tuple. Colours
    compare by value (ReportLab's colours hash by their components)."""
    values = _state_values(canvas.__dict__)
    try:
        hash(values)
    except TypeError:
        return tuple(tuple(value) if isinstance(value, list) else value for value in values)
    return values


def _record(canvas: Any, structure: Structure, seed: Any, draw: Callable[[], None]
            ) -> tuple[_Recording | None, bool]:
    """Draw, and return what was drawn as a recording (None when it cannot be replayed:
    it left a group open, or marked content of an element made before), and whether
    other PDFs may replay it."""
    group, page, open_before = structure.open[-1], structure.page, list(structure.open)
    kids_before, mcid_base = len(group.kids), len(structure.by_page[page])
    links_before = len(structure.annotations)
    xobjects_before = len(canvas._formsinuse)
    images_before = dict(canvas._image_names)
    extgstate, matrix = canvas._extgstate, canvas._currentMatrix
    fonts = truetype_fonts()
    numbered = numbering_state(canvas, fonts)
    start = operators(canvas)
    with characters_encoded() as used:
        draw()
    ops = operators_since(canvas, start)
    if any(type(op) is PackedOperators for op in ops):  # numbered already: not again
        return None, False
    if (structure.open != open_before or structure.page != page
            or structure.content_open is not None or canvas._extgstate is not extgstate):
        return None, False
    new = [kid for kid in group.kids[kids_before:] if isinstance(kid, Element)]
    if len(new) != len(group.kids) - kids_before:
        return None, False
    annotations = structure.annotations[links_before:]
    link_index = {id(annotation): index for index, annotation in enumerate(annotations)}
    mcids = len(structure.by_page[page]) - mcid_base
    found: list[int] = []

    def node(element: Element) -> _Node:
        kids: list[_Node | int | _Link] = []
        for kid in element.kids:
            if isinstance(kid, Element):
                kids.append(node(kid))
            elif isinstance(kid, Marked):
                kids.append(kid.mcid - mcid_base)
                found.append(kid.mcid)
            else:
                kids.append(_Link(link_index[id(kid)]))
        return _Node(element.role, element.lang, element.alt, element.contents,
                     element.actual_text, tuple(kids))

    try:
        nodes = tuple(node(element) for element in new)
    except KeyError:  # a link of an element made before
        return None, False
    if sorted(found) != list(range(mcid_base, mcid_base + mcids)):
        return None, False
    marks, index = [], 0
    for mcid in range(mcid_base, mcid_base + mcids):
        role = role_name(structure.by_page[page][mcid].role)
        expected = f"{role} <</MCID {mcid}>> BDC"
        while index < len(ops) and ops[index] != expected:
            index += 1
        if index == len(ops):
            return None, False
        marks.append((index, role, mcid - mcid_base))
        index += 1
    images = tuple((key, name, canvas._drawn.images[name])
                   for key, name in canvas._image_names.items() if key not in images_before)
    recording = _Recording(
        tuple(ops), tuple(marks), nodes, mcids,
        tuple((a.rect, a.url, a.contents) for a in annotations),
        _state_values(canvas.__dict__), matrix, canvas._currentMatrix,
        bool(annotations) or canvas._currentMatrix != matrix,
        tuple(canvas._formsinuse[xobjects_before:]), images)
    shareable = seed is not None and numbering_state(canvas, fonts) == numbered and \
        only_seeded(seed, used)
    return recording, shareable


def _replay(canvas: Any, structure: Structure, recording: _Recording) -> bool:
    """Append ``recording`` to the page; False (and nothing changed) when its images
    would be named differently in this PDF."""
    names = dict(canvas._image_names)
    for key, name, _ in recording.images:
        known = names.get(key)
        if known is None:
            known = names[key] = f"Mask{len(names)}"  # as DocumentCanvas.image_mask names
        if known != name:
            return False
    for key, name, image in recording.images:
        if key not in canvas._image_names:
            canvas._image_names[key] = name
            canvas._drawn.images[name] = image
    page = structure.page
    by_page = structure.by_page[page]
    base = len(by_page)
    replay(canvas, recording.operators(base))
    canvas._formsinuse.extend(recording.xobjects)
    canvas.__dict__.update(zip(_STATE, recording.state, strict=True))
    if recording.placed:
        canvas._currentMatrix = recording.matrix_after

    owners: list[Element | None] = [None] * recording.mcids
    links: list[Annotation | None] = [None] * len(recording.links)

    def build(node: _Node, parent: Element) -> Element:
        kids: list[Element | Marked | Annotation] = []
        element = Element(node.role, node.lang, node.alt, kids, parent, node.contents,
                          node.actual_text)
        for kid in node.kids:
            kind = type(kid)
            if kind is _Node:
                kids.append(build(kid, element))  # type: ignore[arg-type]
            elif kind is int:
                kids.append(Marked(page, base + kid))  # type: ignore[operator]
                owners[kid] = element  # type: ignore[index]
            else:
                rect, url, contents = recording.links[kid.index]  # type: ignore[union-attr]
                annotation = Annotation(page, rect, url, contents, element)
                links[kid.index] = annotation  # type: ignore[union-attr]
                kids.append(annotation)
        return element

    group = structure.open[-1]
    group.kids.extend(build(node, group) for node in recording.nodes)
    by_page.extend(owners)  # type: ignore[arg-type]  # every MCID has its element
    structure.annotations.extend(links)  # type: ignore[arg-type]  # every link is built
    return True
