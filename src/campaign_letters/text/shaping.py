"""Right-to-left and complex scripts: one line of text, ordered and shaped for drawing.

ReportLab draws a string character by character, left to right, one glyph per character.
That is right for Latin, Hangul and Han, and wrong for Arabic (letters join, and the line
runs right to left), Hebrew (right to left), and Devanagari, Bengali, Tamil, Thai, Khmer,
Armenian, Georgian or Ethiopic (conjuncts, reordered vowel signs, stacked marks). A line
holding any of those goes through here instead:

1. the Unicode bidirectional algorithm (UAX #9, python-bidi) gives each character its
   embedding level, from the line's own first strong character (as HTML's ``dir=auto``);
2. the line is cut into runs of one level and one face (faces.runs), put in visual order
   (UAX #9 rule L2);
3. HarfBuzz shapes each run that needs it, in its direction: glyphs, their positions,
   and the clusters of characters each glyph stands for (mirrored brackets included).

Runs of a face that needs no shaping, left to right, stay plain strings: drawn as ever,
they share the letter's font subsets. The result is in ems, at any size; drawing is
layout.shaped.draw_shaped_line. What keeps the text copyable: each glyph's text in the
font's ToUnicode map (``Glyph.text``, _reportlab.glyph_code), and for poppler an
ActualText per line (``extraction_text``).
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

import uharfbuzz as hb
from bidi import algorithm as uax9

from campaign_letters.resources import fonts_dir
from campaign_letters.text import faces

# Characters that only a shaping engine prints right: any of the scripts of the shaped
# faces, and everything written right to left.
_RTL_CLASSES = {"R", "AL", "RLE", "RLO", "RLI"}


@cache
def _needs_shaping_char(char: str) -> bool:
    if unicodedata.bidirectional(char) in _RTL_CLASSES:
        return True
    face = faces.face_for(char)
    return face is not None and face.shaped


@lru_cache(maxsize=8192)  # asked of every campaign paragraph in every letter
def needs_shaping(text: str) -> bool:
    """Whether ``text`` holds a right-to-left or complex-script character.

    >>> needs_shaping("Zoë Ørsted 강"), needs_shaping("Fatima الزهراء"), needs_shaping("अनु")
    (False, True, True)
    """
    return not text.isascii() and any(_needs_shaping_char(char) for char in text)


@dataclass(frozen=True)
class Glyph:
    gid: int
    text: str  # the characters this glyph stands for ("" for a glyph sharing a cluster)
    x: float  # where it is drawn, in ems from the start of its run
    y: float  # raised by, in ems


@dataclass(frozen=True)
class Run:
    """A piece of a line in one face and one direction, in visual order."""

    face: str
    text: str  # in logical order: what was typed
    rtl: bool
    width: float  # in ems
    glyphs: tuple[Glyph, ...] | None  # None: a plain string, drawn as it is


@dataclass(frozen=True)
class Line:
    text: str
    runs: tuple[Run, ...]  # in visual order, left to right
    width: float  # in ems

    def width_at(self, size: float) -> float:
        return self.width * size


def base_is_rtl(text: str) -> bool:
    """The direction of a line by its first strong character (UAX #9 rules P2, P3)."""
    return uax9.get_base_level(text) == 1


# Characters rule X9 removes (embedding and override controls, boundary neutrals such as
# ZWNJ, ZWJ, the soft hyphen), and the isolates, which python-bidi's algorithm does not
# know: they are left out of the algorithm and take the level of the character before.
# Their directional effect is not applied; what they do to shaping (ZWNJ) is.
_SET_ASIDE = frozenset({"LRE", "RLE", "LRO", "RLO", "PDF", "BN", "LRI", "RLI", "FSI", "PDI"})


def embedding_levels(text: str, rtl: bool | None = None) -> list[int]:
    """Each character's resolved embedding level (UAX #9 up to rule I2), in a line of
    the given direction (by default its own, see ``base_is_rtl``).

    python-bidi's public ``get_display`` only returns the reordered string; its rule
    functions, used here, give the levels, which shaping needs run by run.
    """
    base = uax9.get_base_level(text) if rtl is None else int(rtl)
    kept = [index for index, char in enumerate(text)
            if unicodedata.bidirectional(char) not in _SET_ASIDE]
    storage = uax9.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uax9.get_embedding_levels("".join(text[index] for index in kept), storage)
    uax9.explicit_embed_and_overrides(storage)
    uax9.resolve_weak_types(storage)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    levels: list[int | None] = [None] * len(text)
    for index, char in zip(kept, storage["chars"], strict=True):
        levels[index] = char["level"]
    previous = next((level for level in levels if level is not None), base)
    for index, level in enumerate(levels):
        if level is None:
            levels[index] = previous
        else:
            previous = level
    return cast("list[int]", levels)  # every None was given the level before it


def _visual_order(levels: list[int]) -> list[int]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every
    sequence of items at that level or higher. Returns the items' indices in visual
    order."""
    order = list(range(len(levels)))
    if not levels:
        return order
    lowest_odd = min(level for level in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if levels[order[index]] >= level:
                end = index
                while end < len(order) and levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return order


def measure(text: str, bold: bool = False, rtl: bool | None = None) -> float:
    """The width of ``text`` shaped, in ems, without keeping the shaped line (a line
    breaker's trials)."""
    return _shape_line(text, bold, rtl).width


@lru_cache(maxsize=4096)
def shape_line(text: str, bold: bool = False, rtl: bool | None = None,
               parts: str | None = None) -> Line:
    """``text`` (one line) ordered and shaped, in direction ``rtl`` (by default the
    line's own: a paragraph's wrapped lines take their paragraph's).

    With ``parts`` (a separator such as " · "), each part between separators is ordered
    on its own, in its own direction, and the parts follow each other left to right:
    the one-line return address, where a name in Arabic and a street in Hebrew must not
    trade places with the Latin town."""
    if parts is None or parts not in text:
        return _shape_line(text, bold, rtl)
    runs: list[Run] = []
    for index, part in enumerate(text.split(parts)):
        if index:
            runs.extend(_shape_line(parts, bold, False).runs)
        if part:
            runs.extend(_shape_line(part, bold, None).runs)
    return Line(text, tuple(runs), sum(run.width for run in runs))


def _shape_line(text: str, bold: bool, rtl: bool | None) -> Line:
    levels = embedding_levels(text, rtl)
    logical: list[tuple[int, int, int, str]] = []  # (start, end, level, face)
    start = 0
    for face, part in faces.runs(text, bold):
        end = start + len(part)
        # Cut the face's run where the level changes.
        piece_start = start
        for index in range(start + 1, end + 1):
            if index == end or levels[index] != levels[piece_start]:
                logical.append((piece_start, index, levels[piece_start], face))
                piece_start = index
        start = end
    order = _visual_order([level for _, _, level, _ in logical])
    runs = tuple(_shape_run(text[start:end], face, level % 2 == 1)
                 for start, end, level, face in (logical[index] for index in order))
    return Line(text, runs, sum(run.width for run in runs))


def _shape_run(text: str, face_name: str, rtl: bool) -> Run:
    face = faces.face_named(face_name)
    if not rtl and not face.shaped:
        width = faces.plain_width(text, face_name)
        return Run(face_name, text, False, width, None)
    font, upem = _harfbuzz_font(face_name)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl" if rtl else "ltr"
    buffer.guess_segment_properties()  # script and language, from the text
    with _HARFBUZZ:
        hb.shape(font, buffer, {"kern": True, "liga": True})
    infos, positions = buffer.glyph_infos, buffer.glyph_positions
    texts = _glyph_texts(text, [info.cluster for info in infos],
                         [info.codepoint for info in infos], face_name, rtl)
    if rtl:
        # Readers of ToUnicode take a line's glyphs in visual order and reverse what is
        # right to left, a ligature's letters too: they go in reversed ("لا" as "ال").
        texts = [glyph_text[::-1] for glyph_text in texts]
    glyphs = []
    pen = 0
    for info, position, glyph_text in zip(infos, positions, texts, strict=True):
        glyphs.append(Glyph(info.codepoint, glyph_text, (pen + position.x_offset) / upem,
                            position.y_offset / upem))
        pen += position.x_advance
    return Run(face_name, text, rtl, pen / upem, tuple(glyphs))


def _glyph_texts(text: str, clusters: list[int], gids: list[int], face_name: str,
                 rtl: bool) -> list[str]:
    """The characters each glyph stands for, for the PDF's ToUnicode map.

    HarfBuzz says which cluster of characters each glyph belongs to. Within a cluster, a
    glyph that is a character's own glyph stands for that character; the characters
    left (a ligature, a letter's joining form) go to the cluster's first glyph in
    reading order. So every character typed is given to exactly one glyph, and a reader
    that only knows ToUnicode still finds every letter."""
    starts = sorted(set(clusters))
    ends = {start: (starts[i + 1] if i + 1 < len(starts) else len(text))
            for i, start in enumerate(starts)}
    nominal = faces.nominal_glyphs(face_name)
    out = [""] * len(gids)
    members: dict[int, list[int]] = {}
    for index, cluster in enumerate(clusters):
        members.setdefault(cluster, []).append(index)
    for cluster, indices in members.items():
        left = list(text[cluster:ends[cluster]])
        reading = indices[::-1] if rtl else indices
        _match_nominal(left, reading, gids, nominal, out)
        if left:
            # A vowel sign drawn in two pieces (Bengali ো, Tamil ொ) is two glyphs, each
            # the glyph of one character of the sign's canonical decomposition.
            decomposed = list(unicodedata.normalize("NFD", "".join(left)))
            if len(decomposed) > len(left):
                attempt, remaining = list(out), list(decomposed)
                _match_nominal(remaining, reading, gids, nominal, attempt)
                if len(remaining) < len(decomposed):
                    out[:], left = attempt, remaining
        if left:
            # The rest go to the glyphs still without text, one each and the remainder
            # to the last (a mapped glyph reads better than the "�" some readers print).
            free = [index for index in reading if not out[index]] or reading[:1]
            for position, index in enumerate(free):
                if not left:
                    break
                take = len(left) if position == len(free) - 1 else 1
                out[index] += "".join(left[:take])
                del left[:take]
    return out


def _match_nominal(left: list[str], reading: list[int], gids: list[int],
                   nominal: dict[int, int], out: list[str]) -> None:
    """Give each glyph without text the character whose own glyph it is."""
    for index in reading:
        if out[index]:
            continue
        for position, char in enumerate(left):
            if nominal.get(ord(char)) == gids[index]:
                out[index] = char
                del left[position]
                break


_HARFBUZZ = threading.Lock()  # one hb.Font is shared by the web server's threads


@cache
def _harfbuzz_font(face_name: str) -> tuple[hb.Font, int]:
    face = faces.face_named(face_name)
    blob = hb.Blob((fonts_dir() / face.file).read_bytes())
    hb_face = hb.Face(blob)
    return hb.Font(hb_face), hb_face.upem


# -- text extraction ------------------------------------------------------------------------

_LRM = "\u200e"  # LEFT-TO-RIGHT MARK: invisible, bidi class L

# The right-to-left letters that poppler's own character table (written for Unicode 4)
# takes for right-to-left too: the Hebrew and Arabic letters and their presentation forms.
_POPPLER_RTL = ((0x05D0, 0x05EA), (0x05F0, 0x05F2), (0x0620, 0x064A), (0x066E, 0x066F),
                (0x0671, 0x06D3), (0x06D5, 0x06D5), (0x06E5, 0x06E6), (0x06EE, 0x06EF),
                (0x06FA, 0x06FC), (0x06FF, 0x06FF), (0xFB1D, 0xFB4F), (0xFB50, 0xFD3D),
                (0xFD50, 0xFDFC), (0xFE70, 0xFEFC))
# Anything else from the right-to-left blocks (signs, points, digits, letters added
# since) may be of any class to poppler: each goes alone, between marks.
_RTL_BLOCKS = ((0x0590, 0x08FF), (0xFB1D, 0xFDFF), (0xFE70, 0xFEFF), (0x10800, 0x10FFF),
               (0x1E800, 0x1EFFF),
               # the directional marks, embeddings, overrides and isolates, if typed
               (0x200E, 0x200F), (0x202A, 0x202E), (0x2066, 0x2069))
# Neutral to both, so they may stay inside a right-to-left stretch: the space, and the
# Arabic vowel signs (harakat) and superscript alef.
_NEUTRAL_INSIDE = frozenset(" \u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670")


def _in(ranges: tuple[tuple[int, int], ...], char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def _sure_rtl(char: str) -> bool:
    return _in(_POPPLER_RTL, char) and unicodedata.bidirectional(char) in ("R", "AL")


def _unsure(char: str) -> bool:
    return _in(_RTL_BLOCKS, char) and not _sure_rtl(char) and char not in _NEUTRAL_INSIDE


def readers_order_it_alone(text: str) -> bool:
    """Whether every reader tested puts this line's glyphs back in typed order by itself:
    a line of Hebrew or Arabic letters and spaces only (a name such as "فاطمة الزهراء").
    Such a line gets no ActualText: pdfium (Chrome) would lay an ActualText out
    anew and swap the words."""
    return bool(text) and _sure_rtl(text[0]) and _sure_rtl(text[-1]) and all(
        _sure_rtl(char) or char == " " for char in text)


def extraction_text(text: str) -> str:
    """The ActualText of a drawn line: ``text`` as poppler (pdftotext, Evince, Okular)
    must find it to give back what was typed.

    poppler lays a span's ActualText out left to right over the span, then reads each
    line as if it were in visual order: every stretch that starts with a character its
    table calls right to left, and runs up to the next one it calls left to right or a
    digit (``,``, ``.``, ``-`` and ``/`` among them), is reversed (its reorderText). So
    each stretch of Hebrew or Arabic letters and spaces goes in reversed, and an
    invisible left-to-right mark (U+200E) follows each one that something follows,
    which ends poppler's stretch there: "الزهراء Khan" and "רחוב הרצל 12" keep their
    spaces. Any other character of the right-to-left blocks goes alone between marks,
    so that poppler reads it as typed whatever its table says. Text with none of these
    is given as it is.

    >>> extraction_text("Fatima الزهراء Khan") == "Fatima " + "الزهراء"[::-1] + "\u200e Khan"
    True
    """
    if not any(_in(_RTL_BLOCKS, char) for char in text):
        return text
    out: list[str] = []
    index, mark = 0, False
    while index < len(text):
        char = text[index]
        if mark:
            out.append(_LRM)
        if _sure_rtl(char):
            last = end = index
            while end < len(text) and (_sure_rtl(text[end]) or text[end] in _NEUTRAL_INSIDE):
                if _sure_rtl(text[end]):
                    last = end
                end += 1
            out.append(text[index:last + 1][::-1])
            index, mark = last + 1, True
        elif _unsure(char):
            out.append(char)
            index, mark = index + 1, True
        else:
            end = index
            while end < len(text) and not _sure_rtl(text[end]) and not _unsure(text[end]):
                end += 1
            out.append(text[index:end])
            index, mark = end, False
    return "".join(out)
