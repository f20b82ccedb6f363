"""Everything of campaign-letters that reaches into ReportLab's or pypdf's internals, in
one place: what each shortcut relies on, and how it is kept honest.

Contract (ReportLab 5.0-5.1, pypdf 7.0-7.1, as pinned in pyproject.toml):

1. Settings. ReportLab reads ``rl_config.useA85`` (ASCII85-wrap streams: a quarter
   larger) and ``rl_config.defaultGraphicsFontName`` (the font a drawing selects first;
   Helvetica would be declared unembedded) while it builds a PDF. ``project_settings``
   sets them while any of our PDFs is drawn and puts ReportLab's own values back after.
   Binary font subsets are asked of each font (``asciiReadable=0`` in text/faces.py).
2. Font subsets. ``document_fonts`` reads what a document numbered (its
   ``fontMapping`` and each font's per-document ``state``: ``subsets``,
   ``internalName``) and ``SubsetObjects`` builds each subset's objects as bytes with
   the public ``makeSubset``, ``getCharWidth`` and the face's metrics, once per process
   and subset, for write.py. ``SubsetCachingTTFont.splitString`` is the one place every
   encoded string passes, so it reports what a drawing really encoded
   (``characters_encoded``).
3. Glyph codes. ``seed_document`` numbers a campaign's characters before anything is
   drawn, through the public ``splitString`` and ``getSubsetInternalName``, and keeps
   the resulting ``TTFont.State`` (``assignments``, ``subsets``, ``nextCode``) and
   ``fontMapping`` entries to copy into the next document with the same seed;
   ``font_state`` reads each font's per-document ``state.nextCode`` and the document's
   ``fontMapping`` to see whether a drawing numbered anything new.
4. Replayed drawings. A paragraph's PDF operators are the canvas's private ``_code``
   list; the drawing state that gives them their meaning is ``_fontname``,
   ``_fontsize``, ``_leading`` and ``_fillColorObj``; colours used are counted in
   ``_colorsUsed``. ``operators``, ``replay``, ``drawing_key`` and ``numbering_state``
   are the only readers and writers. Parts of a page (blocks.py) are keyed by every
   attribute of ``Canvas.STATE_ATTRIBUTES`` but ``_currentMatrix`` and ``_extgstate``
   (which must come back as it was), set them again on replay, and re-append the
   forms and images a part showed (``_formsinuse``; DocumentCanvas's own
   ``_image_names``). ``draw_text`` writes a line's text operators into ``_code`` from
   the font's public ``splitString`` and ``getSubsetInternalName``, as ``drawString``
   would (plain: ``drawString``).
7. Shaped glyphs. A glyph HarfBuzz chose (a joining form, a ligature) often has no
   character of its own. ``glyph_code`` gives each (glyph, text) pair a code point of
   Unicode's supplementary private use planes and enters it in the face's ``charToGlyph``
   and ``charWidths``, so ReportLab subsets and numbers it like any character; the
   font's ToUnicode map gives such a code the text it stands for (``_to_unicode_cmap``).
   ``show_glyphs`` writes the text operators for positioned glyphs into ``_code`` (in a
   text render mode, for a synthetic bold), and ``actual_text`` a marked-content span
   around them. ``stroked_text`` strokes such text in the fill colour, ``_fillColorObj``.
5. The canvas (canvas.py, the other module that reads a canvas's insides).
   ``DocumentCanvas`` keeps each page's canvas state (its ``__dict__``) at ``showPage``
   and hands them all to write.py at ``save``, so that "page 2 of 3" can be drawn once
   the count is known; it reads the page's ``_code``, ``_preamble``, ``_pagesize`` and
   ``_formsinuse``, takes forms from ``_formData`` (ReportLab's ``beginForm`` sets it),
   and link rectangles from ``_absRect``; tags are written into ``_code`` as marked
   content. ``canvas_store`` keeps our own per-PDF data on the canvas.
6. pypdf. ``copy_stream`` copies a stream object with its stored (compressed) bytes,
   pypdf's private ``_data``, so a print pack never decodes and re-encodes a stream.

What guards it: tests compare a letter made after thousands of others with one made first
(test_reuse.py), and read every PDF with qpdf, poppler, mupdf, pdf.js and pdfium; and every shortcut
can be turned off (shortcuts.py: CAMPAIGN_LETTERS_PLAIN=1), which a test requires to give
the same words at the same places and the same page images (test_plain.py). .ci/run runs
those tests on the lowest pinned versions too.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
)
from reportlab.pdfgen.canvas import Canvas

from campaign_letters.pdf.shortcuts import plain

# -- 1. settings ----------------------------------------------------------------------------

_lock = threading.Lock()
_depth = 0  # renders of ours under way, in every thread
_saved: dict[str, object] = {}


@contextlib.contextmanager
def project_settings(font_name: str) -> Iterator[None]:
    """ReportLab set for the project's PDFs while any of them is drawn; ``font_name`` is
    the font a drawing selects first (one of ours, embedded)."""
    global _depth
    with _lock:
        if _depth == 0:
            ours = {"useA85": 0, "defaultGraphicsFontName": font_name}
            _saved.update({name: getattr(rl_config, name) for name in ours})
            for name, value in ours.items():
                setattr(rl_config, name, value)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                for name, value in _saved.items():
                    setattr(rl_config, name, value)
                _saved.clear()


# -- 2, 3. font subsets and glyph codes -------------------------------------------------------

# ReportLab's font parser keeps a read position on the face: two threads subsetting at
# once (the web page renders in several) corrupt each other's subsets.
_SUBSETTING = threading.Lock()


class SubsetObjects:
    """What one subset of one face contributes to a PDF, formatted once, with nothing
    document-specific: the compressed font program and ToUnicode map, and the font and
    descriptor dictionaries with ``%d`` where write.py puts their object numbers."""

    def __init__(self, face: TTFontFace, index: int, subset: tuple[int, ...]) -> None:
        base_font = b"".join((SUBSETN(index), b"+", face.name, face.subfontNameX))
        self.base_font = base_font.decode("pdfdoc")
        self.cmap = zlib.compress(_to_unicode_cmap(self.base_font, subset).encode("utf8"))
        with _SUBSETTING:
            font_file = face.makeSubset(list(subset))
        self.font_file = zlib.compress(font_file)
        self.font_file_length = len(font_file)
        widths = b" ".join(fp_str(face.getCharWidth(code)).encode() for code in subset)
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        bbox = " ".join(fp_str(value) for value in face.bbox).encode()
        self.descriptor = (
            b"<</Type/FontDescriptor/FontName/%s/Flags %d/FontBBox[%s]/ItalicAngle %s"
            b"/Ascent %s/Descent %s/CapHeight %s/StemV %s/MissingWidth %s"
            b"/FontFile2 %%d 0 R>>" % (
                base_font, flags, bbox, fp_str(face.italicAngle).encode(),
                fp_str(face.ascent).encode(), fp_str(face.descent).encode(),
                fp_str(face.capHeight).encode(), fp_str(face.stemV).encode(),
                fp_str(face.defaultWidth).encode()))
        self.font_dict = (
            b"<</Type/Font/Subtype/TrueType/BaseFont/%s/FirstChar 0/LastChar %d"
            b"/Widths[%s]/FontDescriptor %%d 0 R/ToUnicode %%d 0 R>>" % (
                base_font, len(subset) - 1, widths))


# Most letters of a campaign share a few subsets; a volunteer whose name adds characters
# makes one of their own, seldom seen again.
@lru_cache(maxsize=64)
def _subset_objects(face: TTFontFace, index: int, subset: tuple[int, ...]) -> SubsetObjects:
    return SubsetObjects(face, index, subset)


def document_fonts(doc: pdfdoc.PDFDocument) -> list[tuple[str, SubsetObjects]]:
    """Every font subset ``doc`` numbered, by resource name ("F1+0"), in order. A font
    that is not one of our TrueType faces would be unembedded: an error, never written.
    Plain (shortcuts.py): each subset built anew."""
    fonts: list[tuple[str, SubsetObjects]] = []
    for font_name, internal in doc.fontMapping.items():
        font = pdfmetrics.getFont(font_name)
        state = font.state.get(doc) if isinstance(font, TTFont) else None
        if state is None:
            raise RuntimeError(f"font {font_name} cannot be embedded: draw with one of "
                               "the bundled TrueType faces")
        for index, subset in enumerate(state.subsets):
            parts = (SubsetObjects if plain() else _subset_objects)(
                font.face, index, tuple(subset))
            fonts.append((f"{internal[1:]}+{index}", parts))
    return fonts


# -- 7. shaped glyphs ------------------------------------------------------------------------

# Supplementary Private Use Areas A and B: no text a volunteer types reaches a face through
# them (fields refuse private-use characters), and together they hold 131,068 codes.
_GLYPH_CODES = (0xF0000, 0xFFFFD, 0x100000, 0x10FFFD)
_glyph_text: dict[int, str] = {}  # code -> the text it stands for, for every face
_glyph_codes: dict[tuple[str, int, str], int] = {}
_first_code: dict[tuple[str, int], int] = {}
_GLYPH_CODES_LOCK = threading.Lock()


def is_glyph_code(code: int) -> bool:
    return code >= _GLYPH_CODES[0]


def _next_glyph_code() -> int | None:
    code = _GLYPH_CODES[0] + len(_glyph_text)
    if code > _GLYPH_CODES[1]:
        code += _GLYPH_CODES[2] - _GLYPH_CODES[1] - 1
    return code if code <= _GLYPH_CODES[3] else None


def glyph_code(font_name: str, gid: int, text: str) -> str:
    """The character that draws glyph ``gid`` of the font and means ``text``."""
    key = (font_name, gid, text)
    code = _glyph_codes.get(key)
    if code is None:
        with _GLYPH_CODES_LOCK:
            code = _glyph_codes.get(key) or _new_glyph_code(font_name, gid, text)
    return chr(code)


def _new_glyph_code(font_name: str, gid: int, text: str) -> int:
    code = _next_glyph_code()
    face = pdfmetrics.getFont(font_name).face
    if code is None:
        # Every code given (a server up for years): the glyph keeps the text it was first
        # given, or is drawn as the character it is the glyph of; only readers of
        # ToUnicode see the difference, the ActualText stays exact.
        known = _first_code.get((font_name, gid)) or next(
            (char for char, glyph in face.charToGlyph.items()
             if glyph == gid and not is_glyph_code(char)), None)
        if known is None:
            raise RuntimeError("every private-use code is given to a shaped glyph: "
                               "restart the process")
        return known
    face.charWidths[code] = round(face.hmetrics[gid][0] * 1000 / face.unitsPerEm)
    face.charToGlyph[code] = gid
    _glyph_text[code] = text
    _glyph_codes[(font_name, gid, text)] = code
    _first_code.setdefault((font_name, gid), code)
    return code


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(base_font: str, subset: Sequence[int]) -> str:
    """ReportLab's ToUnicode map (makeToUnicodeCMap), with each glyph code mapped to the
    text it stands for (an empty text maps to nothing)."""
    cmap = makeToUnicodeCMap(base_font, list(subset))
    if not any(is_glyph_code(code) for code in subset):
        return cmap
    head, _, rest = cmap.partition(f"{len(subset)} beginbfchar\n")
    _, _, tail = rest.partition("endbfchar")
    entries = []
    for index, code in enumerate(subset):
        text = _glyph_text.get(code, "") if is_glyph_code(code) else chr(code)
        if text:
            entries.append(f"<{index:02X}> <{_utf16_hex(text)}>")
    return f"{head}{len(entries)} beginbfchar\n" + "\n".join(entries) + "\nendbfchar" + tail


def show_glyphs(canvas: Canvas, font_name: str, size: float,
                glyphs: Sequence[tuple[str, float, float]], mode: int = 0) -> None:
    """Draw glyph codes (see ``glyph_code``), each at its own (x, y), in text render
    ``mode`` (2: filled and stroked, see ``stroked_text``).

    Shortcut: the text operators written at once into the canvas's operator list; plain
    (shortcuts.py), ReportLab's public text object places each glyph."""
    if plain():
        text = canvas.beginText()
        text.setFont(font_name, size)
        if mode:
            text.setTextRenderMode(mode)
        for char, x, y in glyphs:
            text.setTextOrigin(x, y)
            text.textOut(char)
        if mode:
            text.setTextRenderMode(0)
        canvas.drawText(text)
        return
    font = pdfmetrics.getFont(font_name)
    doc = canvas._doc
    ops = ["BT", *([f"{mode} Tr"] if mode else [])]
    current = None
    for char, x, y in glyphs:
        ((subset, data),) = font.splitString(char, doc)
        name = font.getSubsetInternalName(subset, doc)
        if name != current:
            ops.append(f"{name} {fp_str(size)} Tf")
            current = name
        ops.append(f"1 0 0 1 {fp_str(x)} {fp_str(y)} Tm ({escapePDF(data)}) Tj")
    ops += [*(["0 Tr"] if mode else []), "ET"]
    canvas._code.append("\n".join(ops))


def draw_text(canvas: Canvas, x: float, y: float, text: str, mode: int = 0) -> None:
    """One line of plain text at (x, y) in the canvas's font, in text render ``mode``
    (2: see ``stroked_text``), as ``canvas.drawString`` draws it.

    Shortcut: the text operators written at once into the canvas's operator list, the
    text encoded through the font's public ``splitString`` (a TrueType face's subsets);
    plain (shortcuts.py) or another kind of font, ReportLab's ``drawString``."""
    font = pdfmetrics.getFont(canvas._fontname)
    if plain() or not isinstance(font, TTFont):
        canvas.drawString(x, y, text, mode=mode or None)
        return
    doc, size = canvas._doc, fp_str(canvas._fontsize)
    ops = [f"BT 1 0 0 1 {fp_str(x)} {fp_str(y)} Tm", *([f"{mode} Tr"] if mode else [])]
    for subset, data in font.splitString(text, doc):
        ops.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf "
                   f"({escapePDF(data)}) Tj")
    ops.append("0 Tr ET" if mode else "ET")
    canvas._code.append(" ".join(ops))


@contextlib.contextmanager
def stroked_text(canvas: Canvas, width: float) -> Iterator[None]:
    """Text drawn meanwhile in render mode 2 (filled, then stroked) is outlined ``width``
    points wide in its own fill colour, with round joins: a synthetic bold, for a face
    that has no bold of its own. The stroke colour is the fill colour, which the canvas
    keeps only in its private ``_fillColorObj``."""
    canvas.saveState()
    canvas.setStrokeColor(canvas._fillColorObj)
    canvas.setLineWidth(width)
    canvas.setLineJoin(1)
    try:
        yield
    finally:
        canvas.restoreState()


@contextlib.contextmanager
def actual_text(canvas: Canvas, text: str) -> Iterator[None]:
    """What is drawn meanwhile is, to text extraction, ``text``: a marked-content span
    with an ``/ActualText`` (PDF 1.5, 14.9.4)."""
    # addLiteral is ReportLab's public way to write operators of one's own.
    canvas.addLiteral(f"/Span <</ActualText <FEFF{_utf16_hex(text)}>>> BDC")
    yield
    canvas.addLiteral("EMC")


# (font name, characters) in the order they are given codes: see seed_document.
Seed = tuple[tuple[str, str], ...]


def seed_document(doc: pdfdoc.PDFDocument, seed: Seed) -> None:
    """Give the characters of ``seed`` their codes, and its fonts their resource names,
    before anything is drawn.

    ReportLab numbers a face's characters in the order a document first uses them, and its
    faces F1, F2... likewise. The volunteer's name is drawn first, so without this the
    same message would be encoded differently in every letter. Seeded with the campaign's
    text, every letter encodes the message alike: its drawing can be replayed (see
    layout._ReusableParagraph) and its font subsets come back whole from the cache.
    """
    numbered = _seeded_states.get(seed)
    if numbered is not None and not doc.fontMapping and not plain():
        # The numbering the seed gave the first document, copied: the same codes and
        # names, without numbering each character again.
        for font_name, state, internal in numbered:
            font = pdfmetrics.getFont(font_name)
            font.state[doc] = _state_copy(state)
            doc.fontMapping[font_name] = internal
            doc.delayedFonts.append(font)
        return
    fresh = not doc.fontMapping
    for font_name, chars in seed:
        font = pdfmetrics.getFont(font_name)
        font.splitString(chars, doc)
        font.getSubsetInternalName(0, doc)
    if fresh and len(_seeded_states) < 64:
        _seeded_states[seed] = [(font_name, _state_copy(pdfmetrics.getFont(font_name)
                                                        .state[doc]),
                                 doc.fontMapping[font_name]) for font_name, _ in seed]


def _state_copy(state: Any) -> Any:  # a TTFont.State: its numbering, not shared
    copied = copy.copy(state)
    copied.assignments = dict(state.assignments)
    copied.subsets = [list(subset) for subset in state.subsets]
    return copied


# seed -> each font's numbering after seeding a fresh document (see seed_document); a
# campaign has a few seeds (its languages and recipients' letters).
_seeded_states: dict[Seed, list[tuple[str, Any, str]]] = {}


def truetype_fonts() -> list[str]:
    """The TrueType fonts registered so far: the ones a drawing may number glyphs in."""
    return [name for name in pdfmetrics.getRegisteredFontNames()
            if isinstance(pdfmetrics.getFont(name), TTFont)]


@lru_cache(maxsize=64)
def _seeded_characters(seed: Seed) -> dict[str, frozenset[str]]:
    return {font: frozenset(chars) for font, chars in seed}


def only_seeded(seed: Seed, used: dict[str, set[str]]) -> bool:
    """Whether a drawing that encoded ``used`` (``characters_encoded``) drew nothing but
    characters ``seed`` numbers: then, if it numbered nothing new, its operators mean
    the same in every PDF with that seed, whatever else each one draws."""
    seeded = _seeded_characters(seed)
    return all(chars <= seeded.get(font, frozenset()) for font, chars in used.items())


def font_state(doc: pdfdoc.PDFDocument, fonts: Sequence[str]) -> tuple[int, ...]:
    """A fingerprint of what ``doc`` has numbered so far: it changes when a drawing gives
    a character or a font its first code, which a replayed drawing could not do."""
    mark = [len(doc.fontMapping)]
    for name in fonts:
        state = pdfmetrics.getFont(name).state.get(doc)
        mark.append(-1 if state is None else state.nextCode)
    return tuple(mark)


_recording = threading.local()


@contextlib.contextmanager
def characters_encoded() -> Iterator[dict[str, set[str]]]:
    """Every character this thread encodes meanwhile, by font: what a drawing really drew
    (a soft hyphen at a line's end becomes "-", which no text holds)."""
    used: dict[str, set[str]] = {}
    outer = getattr(_recording, "used", None)
    _recording.used = used
    try:
        yield used
    finally:
        _recording.used = outer


class SubsetCachingTTFont(TTFont):
    """A TTFont that reports what it encodes to ``characters_encoded``; its subsets are
    written by write.py from ``document_fonts``."""

    def character_map(self) -> dict[int, int]:
        """A copy of the face's own character -> glyph map (its cmap), as parsed: without
        the glyph codes ``glyph_code`` adds later."""
        return dict(self.face.charToGlyph)

    def splitString(self, text: str | bytes, doc: pdfdoc.PDFDocument, encoding: str = "utf-8"
                    ) -> list[tuple[int, bytes]]:
        used = getattr(_recording, "used", None)
        if used is not None:
            used.setdefault(self.fontName, set()).update(
                text if isinstance(text, str) else text.decode(encoding))
        return super().splitString(text, doc, encoding)


# -- 4. replayed drawings -------------------------------------------------------------------

def drawing_key(canvas: Canvas) -> tuple[str, float, float, str]:
    """The drawing state that gives a paragraph's operators their meaning."""
    return (canvas._fontname, canvas._fontsize, canvas._leading,
            repr(canvas._fillColorObj))


def operators(canvas: Canvas) -> int:
    """Where the canvas's operator list ends now (see ``operators_since``)."""
    return len(canvas._code)


def operators_since(canvas: Canvas, start: int) -> list[str]:
    return canvas._code[start:]


def replay(canvas: Canvas, ops: list[str]) -> None:
    canvas._code.extend(ops)


def numbering_state(canvas: Canvas, faces: Sequence[str]) -> tuple[tuple[int, ...], int]:
    """What the canvas's document has numbered (fonts, characters, colours) so far."""
    return font_state(canvas._doc, faces), len(canvas._colorsUsed)


def seed_canvas(canvas: Canvas, seed: Seed | None) -> None:
    """Number ``seed``'s characters in the canvas's document now, and remember the seed
    for the drawings replayed into it (``seed_of``); None: nothing is seeded or replayed."""
    canvas_store(canvas, "seed")["seed"] = seed
    if seed is not None:
        seed_document(canvas._doc, seed)


def seed_of(canvas: Canvas) -> Seed | None:
    """The seed the canvas's document was numbered with, if any (``seed_canvas``)."""
    return canvas_store(canvas, "seed").get("seed")


# -- 5. held pages -------------------------------------------------------------------------

def canvas_store(canvas: Canvas, name: str) -> dict[Any, Any]:
    """A dictionary of ours that lives as long as the canvas (one per PDF)."""
    return canvas.__dict__.setdefault(f"_campaign_letters_{name}", {})


# -- 6. pypdf ------------------------------------------------------------------------------

def copy_stream(stream: Any) -> Any:
    """A new stream object holding ``stream``'s stored bytes as they are (compressed data
    is never decoded); its dictionary is for the caller to fill."""
    copy = stream.__class__()
    copy._data = stream._data
    return copy
