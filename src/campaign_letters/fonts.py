"""Bundled fonts: registration with ReportLab, and the fallback chain across scripts.

ReportLab draws every string in one font and prints nothing for a glyph that font lacks.
So each string is split into runs, each run getting the first font of the chain that has
all its glyphs; a character no bundled font has is an error, never an empty box.

Fonts are parsed once per process (``_registered``) and only from ``fonts/``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .errors import MissingGlyphError
from .resources import fonts_dir


@dataclass(frozen=True)
class Face:
    name: str  # the name ReportLab knows it by, also its /BaseFont (plus a subset tag)
    file: str
    label: str  # for messages


LATIN = Face("NotoSans-Regular", "NotoSans-Regular.ttf", "Noto Sans")
LATIN_BOLD = Face("NotoSans-Bold", "NotoSans-Bold.ttf", "Noto Sans Bold")
# NanumGothic covers Hangul, kana, and Latin/Greek/Cyrillic too; no bold Hangul face is
# bundled (it would double the font payload for a subject line in Korean, which no
# campaign has), so bold runs in Hangul fall back to the regular weight.
HANGUL = Face("NanumGothic", "NanumGothic.ttf", "NanumGothic")

CHAINS: dict[bool, tuple[Face, ...]] = {
    False: (LATIN, HANGUL),
    True: (LATIN_BOLD, HANGUL),
}

# Characters that take the font of their neighbours instead of choosing one: spaces and
# combining marks must not split a run (a split would break kerning and mark placement).
_NEUTRAL_CATEGORIES = {"Zs", "Mn", "Me", "Cf"}


@cache
def _registered() -> dict[str, frozenset[int]]:
    """Parse and register every bundled face once; return each face's character set."""
    coverage: dict[str, frozenset[int]] = {}
    for face in {*CHAINS[False], *CHAINS[True]}:
        font = TTFont(face.name, str(fonts_dir() / face.file))
        pdfmetrics.registerFont(font)
        coverage[face.name] = frozenset(font.face.charToGlyph)
    return coverage


def register_fonts() -> None:
    _registered()


def _chain(bold: bool) -> tuple[Face, ...]:
    return CHAINS[bold]


def describe_char(char: str) -> str:
    """``'😀'`` -> ``'U+1F600 (GRINNING FACE)'``."""
    name = unicodedata.name(char, "unnamed character")
    return f"U+{ord(char):04X} ({name})"


def unsupported_chars(text: str, bold: bool = False) -> list[str]:
    """The distinct characters of ``text`` that no face of the chain can draw."""
    coverage = _registered()
    seen: list[str] = []
    for char in text:
        if char in seen or char in "\n":
            continue
        if not any(ord(char) in coverage[face.name] for face in _chain(bold)):
            seen.append(char)
    return seen


def check_printable(text: str, field: str, bold: bool = False) -> None:
    """Raise MissingGlyphError naming the first character no bundled font has."""
    missing = unsupported_chars(text, bold)
    if missing:
        char = missing[0]
        tried = ", ".join(face.label for face in _chain(bold))
        raise MissingGlyphError(
            field,
            f"{describe_char(char)} cannot be printed: no bundled font has it (tried "
            f"{tried}); remove or replace it",
        )


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split ``text`` into ``(font name, text)`` runs along the fallback chain.

    >>> runs("Mayor 강인규")
    [('NotoSans-Regular', 'Mayor '), ('NanumGothic', '강인규')]
    """
    coverage = _registered()
    chain = _chain(bold)
    out: list[tuple[str, str]] = []
    current: str | None = None
    buffer = ""
    for char in text:
        if unicodedata.category(char) in _NEUTRAL_CATEGORIES and current is not None:
            buffer += char
            continue
        font = next((f.name for f in chain if ord(char) in coverage[f.name]), None)
        if font is None:
            check_printable(char, "", bold)
        if font != current and buffer:
            out.append((current or font, buffer))  # type: ignore[arg-type]
            buffer = ""
        current = font
        buffer += char
    if buffer:
        out.append((current or chain[0].name, buffer))
    return out


def string_width(text: str, size: float, bold: bool = False) -> float:
    return sum(pdfmetrics.stringWidth(part, font, size) for font, part in runs(text, bold))


def to_markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for plain ``text``: escaped, with a font tag per run.

    User and campaign text is data, never markup: everything passes through ``escape``.

    >>> to_markup("<b>Zoë</b> 강")
    '<font face="NotoSans-Regular">&lt;b&gt;Zoë&lt;/b&gt; </font><font face="NanumGothic">강</font>'
    """
    return "".join(f'<font face="{font}">{escape(part)}</font>' for font, part in runs(text, bold))
