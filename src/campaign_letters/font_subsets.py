"""Embedding font subsets, each one built and compressed once per process.

For every PDF, ReportLab builds a TrueType subset of each face it used (``makeSubset``),
its ToUnicode CMap and its widths, and compresses the lot: about a third of a one-page
letter's time. Letters of one campaign use the same characters in the same order (the
message is the same; see ``seed_document``), so the same subsets come back letter after
letter. ``SubsetCachingTTFont`` keeps the finished objects per subset and writes exactly
the bytes ReportLab would (a test renders with and without the cache and compares).
"""

from __future__ import annotations

import contextlib
import threading
import zlib
from collections.abc import Iterator, Sequence
from functools import lru_cache

from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import (
    FF_NONSYMBOLIC,
    FF_SYMBOLIC,
    SUBSETN,
    TTFont,
    TTFontFace,
    makeToUnicodeCMap,
)

from .shortcuts import plain

_FLATE = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])


class _Precompressed(pdfdoc.PDFStream):
    """A stream whose content is already Flate-compressed (PDFStream skips its filters
    when the dictionary names one)."""

    def __init__(self, compressed: bytes, **entries) -> None:
        super().__init__(pdfdoc.PDFDictionary({"Filter": _FLATE, **entries}), compressed)


# ReportLab's font parser keeps a read position on the face: two threads subsetting at
# once (the web page renders in several) corrupt each other's subsets.
_SUBSETTING = threading.Lock()


class _SubsetParts:
    """What one subset of one face contributes to a PDF, with nothing document-specific."""

    def __init__(self, face: TTFontFace, index: int, subset: tuple[int, ...]) -> None:
        self.base_font = b"".join((SUBSETN(index), b"+", face.name, face.subfontNameX)).decode(
            "pdfdoc")
        self.widths = pdfdoc.PDFArray([face.getCharWidth(code) for code in subset])
        self.widths_bytes: bytes | None = None  # formatted on first use, needs a document
        self.cmap = zlib.compress(makeToUnicodeCMap(self.base_font, list(subset)).encode("utf8"))
        with _SUBSETTING:
            font_file = face.makeSubset(list(subset))
        self.font_file = zlib.compress(font_file)
        self.font_file_length = len(font_file)


# Most letters of a campaign share a few subsets; a volunteer whose name adds characters
# makes one of their own, seldom seen again.
@lru_cache(maxsize=64)
def _subset_parts(face: TTFontFace, index: int, subset: tuple[int, ...]) -> _SubsetParts:
    return _SubsetParts(face, index, subset)


# (font name, characters) in the order they are given codes: see seed_document.
Seed = tuple[tuple[str, str], ...]


def seed_document(doc, seed: Seed) -> None:
    """Give the characters of ``seed`` their codes, and its fonts their resource names,
    before anything is drawn.

    ReportLab numbers a face's characters in the order a document first uses them, and its
    faces F1, F2... likewise. The volunteer's name is drawn first, so without this the
    same message would be encoded differently in every letter. Seeded with the campaign's
    text, every letter encodes the message alike: its drawing can be replayed (see
    layout._ReusableParagraph) and its font subsets come back whole from the cache.
    """
    for font_name, chars in seed:
        font = pdfmetrics.getFont(font_name)
        font.splitString(chars, doc)
        font.getSubsetInternalName(0, doc)


def font_state(doc, fonts: Sequence[str]) -> tuple[int, ...]:
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
    """A TTFont whose per-document subsets come from ``_subset_parts``.

    Mirrors ``TTFont.addObjects`` and ``TTFontFace.addSubsetObjects`` of ReportLab 4-5;
    uncompressed documents (never made here) take ReportLab's own path. Reports what it
    encodes to ``characters_encoded``."""

    def splitString(self, text, doc, encoding="utf-8"):
        used = getattr(_recording, "used", None)
        if used is not None:
            used.setdefault(self.fontName, set()).update(
                text if isinstance(text, str) else text.decode(encoding))
        return super().splitString(text, doc, encoding)

    def addObjects(self, doc) -> None:
        if plain() or not doc.compression or \
                doc.encrypt.__class__ is not pdfdoc.NoEncryption:
            super().addObjects(doc)  # ReportLab's own (and plain: shortcuts.py)
            return
        state = self.state.get(doc) or self.state.setdefault(doc, TTFont.State(
            self._asciiReadable, self))
        state.frozen = 1
        face = self.face
        fonts = doc.idToObject["BasicFonts"].dict
        for index, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(index, doc)[1:]
            parts = _subset_parts(face, index, tuple(subset))
            if parts.widths_bytes is None:
                parts.widths_bytes = parts.widths.format(doc)

            font = pdfdoc.PDFTrueTypeFont()
            font.__Comment__ = f"Font {self.fontName} subset {index}"
            font.Name = internal_name
            font.BaseFont = parts.base_font
            font.FirstChar = 0
            font.LastChar = len(subset) - 1
            font.Widths = parts.widths_bytes
            font.ToUnicode = doc.Reference(_Precompressed(parts.cmap),
                                           "toUnicodeCMap:" + parts.base_font)
            font_file = doc.Reference(
                _Precompressed(parts.font_file, Length1=parts.font_file_length),
                f"fontFile:{face.filename}({parts.base_font})")
            descriptor = pdfdoc.PDFDictionary({
                "Type": "/FontDescriptor",
                "Ascent": face.ascent,
                "CapHeight": face.capHeight,
                "Descent": face.descent,
                "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
                "FontBBox": pdfdoc.PDFArray(face.bbox),
                "FontName": pdfdoc.PDFName(parts.base_font),
                "ItalicAngle": face.italicAngle,
                "StemV": face.stemV,
                "FontFile2": font_file,
                "MissingWidth": face.defaultWidth,
            })
            font.FontDescriptor = doc.Reference(descriptor, "fontDescriptor:" + parts.base_font)
            doc.Reference(font, internal_name)
            fonts[internal_name] = font
        del self.state[doc]
