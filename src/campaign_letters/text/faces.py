"""Bundled fonts: registration with ReportLab, and the fallback chain across scripts.

ReportLab draws every string in one font and prints nothing for a glyph that font lacks.
So each string is split into runs, each run getting the first font of the chain that has
all its glyphs; a character no bundled font has is an error, never an empty box.

Fonts are parsed once per process, each when first needed (``_font``), and only from
``fonts/``.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import cast

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics

from campaign_letters.errors import MissingGlyphError
from campaign_letters.pdf import SubsetCachingTTFont
from campaign_letters.resources import fonts_dir
from campaign_letters.wording import W_


@dataclass(frozen=True)
class Face:
    name: str  # the name ReportLab knows it by, also its /BaseFont (plus a subset tag)
    file: str
    label: str  # for messages
    shaped: bool = False  # drawn through HarfBuzz (shaping.py), never as a plain string
    # The Unicode blocks it is the face for (empty: any character it has). Checked
    # before the face is parsed, so a Thai name never parses the Arabic face.
    blocks: tuple[tuple[int, int], ...] = ()


LATIN = Face("NotoSans-Regular", "NotoSans-Regular.ttf", "Noto Sans")
LATIN_BOLD = Face("NotoSans-Bold", "NotoSans-Bold.ttf", "Noto Sans Bold")
# NanumGothic, de-hinted and therefore renamed (its licence reserves the name; see
# fonts/README.md). No bold Hangul face is bundled (it would double the font payload for a
# subject line in Korean, which no campaign has): bold Hangul uses the regular weight.
HANGUL = Face("CampaignGothic-Regular", "CampaignGothic-Regular.ttf",
              "Campaign Gothic (NanumGothic)")
# Droid Sans Fallback: ~28,600 Han characters (Chinese, Japanese kanji, Korean Hanja) and
# kana, in one design, so a Chinese or Japanese name never mixes two faces.
HAN = Face("DroidSansFallbackFull", "DroidSansFallbackFull.ttf", "Droid Sans Fallback")
# Scripts that need shaping (joining, reordering, marks) or run right to left: Noto's
# TrueType faces, regular weight only (as Hangul, bold text uses it too).
_SCRIPT_BLOCKS = {
    "Arabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF),
               (0xFE70, 0xFEFF)),
    "Hebrew": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
    "Devanagari": ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF)),
    "Bengali": ((0x0980, 0x09FF),),
    "Tamil": ((0x0B80, 0x0BFF), (0x11FC0, 0x11FFF)),
    "Thai": ((0x0E00, 0x0E7F),),
    "Khmer": ((0x1780, 0x17FF), (0x19E0, 0x19FF)),
    "Armenian": ((0x0530, 0x058F), (0xFB13, 0xFB17)),
    "Georgian": ((0x10A0, 0x10FF), (0x2D00, 0x2D2F), (0x1C90, 0x1CBF)),
    "Ethiopic": ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
}
SHAPED = tuple(Face(f"NotoSans{script}-Regular", f"NotoSans{script}-Regular.ttf",
                    f"Noto Sans {script}", shaped=True, blocks=blocks)
               for script, blocks in _SCRIPT_BLOCKS.items())

# The shaped faces before the CJK ones: each claims only its own blocks.
CHAINS: dict[bool, tuple[Face, ...]] = {
    False: (LATIN, *SHAPED, HANGUL, HAN),
    True: (LATIN_BOLD, *SHAPED, HANGUL, HAN),
}
FACES = (LATIN, LATIN_BOLD, HANGUL, HAN, *SHAPED)
_BY_NAME = {face.name: face for face in FACES}


def face_named(name: str) -> Face:
    return _BY_NAME[name]


def _is_han_or_kana(code: int) -> bool:
    return (0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0x3400 <= code <= 0x4DBF
            or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0x20000 <= code <= 0x3FFFF)


# Characters that take the font of their neighbours instead of choosing one: spaces and
# combining marks must not split a run (a split would break kerning and mark placement).
_NEUTRAL_CATEGORIES = {"Zs", "Mn", "Me", "Cf"}


_PARSED: dict[str, SubsetCachingTTFont] = {}
_PARSING = threading.Lock()  # the web server renders in several threads


def _font(name: str) -> SubsetCachingTTFont:
    """Parse and register one bundled face, the first time it is needed.

    A face is parsed at most once per process, and only when a string needs it: the
    Han face (4 MB) is never read for letters without Han characters."""
    font = _PARSED.get(name)
    if font is not None:
        return font
    with _PARSING:
        if name in _PARSED:  # another thread was quicker
            return _PARSED[name]
        return _parse(name)


def _parse(name: str) -> SubsetCachingTTFont:
    face = next(face for face in FACES if face.name == name)
    # Binary subsets (asciiReadable=0): smaller, and set on the font itself, not through
    # ReportLab's global rl_config.ttfAsciiReadable.
    font = SubsetCachingTTFont(face.name, str(fonts_dir() / face.file), asciiReadable=0)
    # Copied before anything can add glyph codes to it (the web server's threads shape
    # and draw at once).
    _NOMINAL[name] = font.character_map()
    pdfmetrics.registerFont(font)
    if face in (LATIN, LATIN_BOLD):
        # One family for ReportLab's font lookups (e.g. a drawing's default, see render).
        for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
            addMapping(LATIN.name, bold, italic, (LATIN_BOLD if bold else LATIN).name)
    _PARSED[name] = font  # last: other threads take it from here without the lock
    return font


_NOMINAL: dict[str, dict[int, int]] = {}  # each face's own cmap, taken when parsed


@cache
def _coverage(name: str) -> frozenset[int]:
    return frozenset(nominal_glyphs(name))


def nominal_glyphs(name: str) -> dict[int, int]:
    """The face's own character -> glyph map (its cmap), without the codes
    _reportlab.glyph_code adds to ReportLab's copy for shaped glyphs."""
    _font(name)
    return _NOMINAL[name]


def plain_width(text: str, name: str) -> float:
    """Width of ``text`` in one face, drawn as a plain string, in ems."""
    return pdfmetrics.stringWidth(text, _font(name).fontName, 1.0)


def register_fonts() -> None:
    """The Latin faces, which every letter uses; the others come when needed."""
    _font(LATIN.name)
    _font(LATIN_BOLD.name)


def registered_faces() -> tuple[str, ...]:
    """The faces parsed so far in this process, in a fixed order."""
    return tuple(face.name for face in FACES if face.name in _PARSED)


def _chain(bold: bool) -> tuple[Face, ...]:
    return CHAINS[bold]


def describe_char(char: str) -> str:
    """``'😀'`` -> ``'U+1F600 (GRINNING FACE)'``."""
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} ({name})"


def face_for(char: str, bold: bool = False) -> Face | None:
    """The face ``char`` is drawn in, or None if no bundled face has it."""
    name = _face_for(char, bold)
    return None if name is None else _BY_NAME[name]


@cache
def _face_for(char: str, bold: bool) -> str | None:
    """The first face that has ``char``; Han and kana prefer the one CJK design.

    Cached per character: campaign text repeats in every letter of a pack."""
    code = ord(char)
    chain = _chain(bold)
    if _is_han_or_kana(code):
        chain = (HAN, *chain)
    return next((face.name for face in chain
                 if (not face.blocks or any(low <= code <= high for low, high in face.blocks))
                 and code in _coverage(face.name)), None)


def unsupported_chars(text: str, bold: bool = False) -> list[str]:
    """The distinct characters of ``text`` that cannot be printed."""
    seen: list[str] = []
    for char in text:
        if char in seen or char in "\n":
            continue
        if _face_for(char, bold) is None:
            seen.append(char)
    return seen


def check_printable(text: str, field: str, bold: bool = False) -> None:
    """Raise MissingGlyphError naming the first character no bundled font has."""
    missing = unsupported_chars(text, bold)
    if missing:
        char = missing[0]
        tried = ", ".join(face.label for face in _chain(bold))
        raise MissingGlyphError.of(
            field, W_("%(char)s cannot be printed: no bundled font has it (tried %(fonts)s); "
                      "remove or replace it"), char=describe_char(char), fonts=tried)


@lru_cache(maxsize=2048)
def runs(text: str, bold: bool = False) -> tuple[tuple[str, str], ...]:
    """Split ``text`` into ``(font name, text)`` runs along the fallback chain.

    Cached: campaign text repeats in every letter of a pack.

    >>> runs("Mayor 강인규")
    (('NotoSans-Regular', 'Mayor '), ('CampaignGothic-Regular', '강인규'))
    """
    out: list[tuple[str, str]] = []
    current: str | None = None
    buffer = ""
    for char in text:
        if unicodedata.category(char) in _NEUTRAL_CATEGORIES and current is not None \
                and ord(char) in _coverage(current):
            buffer += char
            continue
        font = _face_for(char, bold)
        if font is None:
            check_printable(char, "", bold)
        if font != current and buffer:
            # font != current: at least one of them is a face's name.
            out.append((cast(str, current or font), buffer))
            buffer = ""
        current = font
        buffer += char
    if buffer:
        out.append((current or _chain(bold)[0].name, buffer))
    return tuple(out)
