"""Campaign paragraphs laid out once and their drawings replayed: the shortcut that makes
a pack's thousandth letter cheap (see _reportlab.py, part 4, for the contract).

In: a paragraph's markup and style. Out: a ReportLab ``Paragraph`` that keeps its line
breaks per width (ReportLab's private ``blPara`` and ``_wrapWidths``) and, in a document
numbered with a seed, its PDF operators, replayed where they mean the same. Plain
(shortcuts.py): ReportLab's own paragraph, every time.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from campaign_letters.pdf._reportlab import (
    characters_encoded,
    drawing_key,
    numbering_state,
    only_seeded,
    operators,
    operators_since,
    replay,
    seed_of,
    truetype_fonts,
)
from campaign_letters.pdf.shortcuts import plain


def _line_texts(bl_para: Any) -> list[str]:
    if bl_para.kind == 0:  # (extra space, words) per line
        return [" ".join(words) for _, words in bl_para.lines]
    return ["".join(frag.text for frag in line.words) for line in bl_para.lines]


def breaks_at_spaces(original: str, lines: list[str]) -> list[bool]:
    """For each line of ``original`` as broken into ``lines``, whether it ends where a
    space (or a line break) was: not inside a word a long address was split in, nor at a
    soft hyphen ("Zusammen-"). Lines are matched word by word; where they cannot be, every
    line counts as ending at a space.

    >>> breaks_at_spaces("ab cd efgh", ["ab cd ef", "gh"])
    [False, True]
    >>> breaks_at_spaces("Zusammen\xadarbeit geht", ["Zusammen-", "arbeit geht"])
    [False, True]
    """
    words = original.replace("\xad", "").split()
    index, pending, ends = 0, "", []
    for line in lines:
        for token in line.replace("\xad", "").split():
            want = pending or (words[index] if index < len(words) else "")
            if token == want:
                index, pending = index + 1, ""
            elif want.startswith(token) and token:
                pending = want[len(token):]
            elif token.endswith("-") and want.startswith(token[:-1]) and len(token) > 1:
                pending = want[len(token) - 1:]  # a soft hyphen drawn as "-"
            else:
                return [True] * len(lines)
        ends.append(not pending)
    return ends


def _spaced(bl_para: Any, original: str) -> Any:
    """``bl_para`` (a paragraph's lines as broken) with a space at the end of each line but
    the last that broke at a space: invisible (past the line's end), and what makes the
    structure's text read "12 8000" rather than "128000" (poppler and others join a
    paragraph's lines as drawn). A copy: the lines as broken stay as they are for
    ``split`` and the next wrap."""
    lines = bl_para.lines
    ends = breaks_at_spaces(original, _line_texts(bl_para))
    if bl_para.kind == 0:
        spaced = [(extra, [*words, ""]) if end and words else (extra, words)
                  for (extra, words), end in zip(lines[:-1], ends, strict=False)]
    else:
        spaced = []
        for line, end in zip(lines[:-1], ends, strict=False):
            if end and line.words and not line.words[-1].text.endswith(" "):
                last = line.words[-1]
                line = line.clone(words=[*line.words[:-1], last.clone(text=last.text + " ")])
            spaced.append(line)
    return bl_para.clone(lines=[*spaced, *lines[-1:]])


def _frag_text(frag: Any) -> str:
    """A parsed fragment's text; a line break is a space."""
    if getattr(frag, "lineBreak", False):
        return " "
    text = getattr(frag, "text", None)
    return text if isinstance(text, str) else ""


class SpacedParagraph(Paragraph):
    """ReportLab's paragraph, each line that broke at a space drawn ending in it."""

    blPara: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The text as given: breaking lines replaces the fragments with words.
        self._given_text = "".join(map(_frag_text, self.frags))

    def draw(self) -> None:
        as_broken = self.blPara
        self.blPara = _spaced(as_broken, self._given_text)
        try:
            super().draw()
        finally:
            self.blPara = as_broken


class ReusableParagraph(SpacedParagraph):
    """A paragraph of campaign text, parsed and broken into lines once per width, and
    drawn once per seed.

    The same subject, salutation and body appear in every letter of a campaign and
    language: parsing their markup, breaking their lines and turning them into PDF text
    operators is most of a letter's time, so each is done once and reused (see
    ``campaign_paragraph``). The operators are replayed only into a PDF whose fonts
    number the characters alike (the same seed, see ``document_seed``) and from the same
    text state, and only if drawing them numbered nothing new."""

    # Set by Paragraph.wrap (ReportLab's, untyped); declared for the cache below.
    blPara: Any
    _wrapWidths: Any
    width: float
    height: float

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # width -> (size, blPara, _wrapWidths, width, height)
        self._by_width: dict[float, tuple[tuple[float, float], Any, Any, float, float]] = {}
        self._drawn: dict[tuple[object, ...], list[str]] = {}

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cached = self._by_width.get(availWidth)
        if cached is None:
            size = super().wrap(availWidth, availHeight)
            self._by_width[availWidth] = (size, self.blPara, self._wrapWidths, self.width,
                                          self.height)
            return size
        size, self.blPara, self._wrapWidths, self.width, self.height = cached
        return size

    def draw(self) -> None:
        canvas = self.canv
        seed = seed_of(canvas)
        if seed is None:
            super().draw()
            return
        key = (seed, self.width, *drawing_key(canvas))
        ops = self._drawn.get(key)
        if ops is not None:
            replay(canvas, ops)
            return
        face_names = truetype_fonts()
        start = operators(canvas)
        before = numbering_state(canvas, face_names)
        with characters_encoded() as used:
            super().draw()
        after = numbering_state(canvas, face_names)
        # Kept only if the seed alone numbered every character drawn.
        if after == before and len(self._drawn) < 16 and only_seeded(seed, used):
            self._drawn[key] = operators_since(canvas, start)


class DrawnEachTime(ReusableParagraph):
    """Parsed and broken once, drawn anew each time: a paragraph with a link, whose
    annotation is made as it is drawn (a replayed drawing would leave it out)."""

    def draw(self) -> None:
        SpacedParagraph.draw(self)


# Per thread: the web page renders in several threads, and a paragraph is not thread-safe.
_reusable = threading.local()
_MAX_REUSABLE = 512  # least recently used go first: campaign text stays, volunteers pass


# Runs of one line: (font name, text) pairs, as text.faces.runs gives them.
Lines = tuple[tuple[tuple[str, str], ...], ...]
_PLACEHOLDER = "\ue000"  # private use: never in a text (fields refuse it)


@lru_cache(maxsize=256)  # per style (finite) and shape of fonts and lines
def _fragment_shape(fonts: tuple[tuple[str, ...], ...], style: ParagraphStyle
                    ) -> tuple[Any, ...] | None:
    """The fragments ReportLab's parser makes of lines of these fonts, each run's text a
    placeholder; None when they do not map one to one onto the runs."""
    markup = "<br/>".join("".join(f'<font face="{font}">{_PLACEHOLDER}</font>'
                                  for font in line) for line in fonts)
    frags = Paragraph(markup, style).frags
    if sum(frag.text == _PLACEHOLDER for frag in frags) != sum(map(len, fonts)):
        return None
    return tuple(frags)


def _clean(text: str) -> bool:
    """Text the parser keeps as it is: no space doubled, leading or trailing, no line
    break (its cleaner folds them)."""
    return " ".join(text.split()) == text


def _from_fragments(lines: Lines, style: ParagraphStyle, bullet: str | None
                    ) -> ReusableParagraph | None:
    """The paragraph of plain text in ``lines`` without parsing markup: the parser's own
    fragments for the same fonts (``_fragment_shape``, parsed once), each given its run's
    text. None where that would not be the parser's result (then parse)."""
    if bullet is not None or not all(_clean("".join(text for _, text in line))
                                     for line in lines):
        return None
    shape = _fragment_shape(tuple(tuple(font for font, _ in line) for line in lines), style)
    if shape is None:
        return None
    texts = iter(text for line in lines for _, text in line)
    frags = [frag.clone(text=next(texts)) if frag.text == _PLACEHOLDER else frag.clone()
             for frag in shape]
    return ReusableParagraph("", style, frags=frags)


def reusable_paragraph(markup: str, style: ParagraphStyle, bullet: str | None = None,
                       lines: Lines | None = None, replayed: bool = True) -> Paragraph:
    """The laid-out paragraph for ``markup`` in ``style``, made once and reused: campaign
    text in every letter, a volunteer's name and address in each of their letters.
    ``lines``: the same text as runs of plain text, which spares parsing the markup of a
    text seen first (a new volunteer's name). Not ``replayed``: drawn anew each time (a
    link). Plain (shortcuts.py): ReportLab's own paragraph, parsed, every time."""
    if plain():
        return SpacedParagraph(markup, style, bulletText=bullet)
    cache: OrderedDict[tuple[str, int, str | None, bool], Paragraph] | None = getattr(
        _reusable, "paragraphs", None)
    if cache is None:
        cache = _reusable.paragraphs = OrderedDict()
    # Styles are made once (_styles, _sender_styles): their ids are theirs for good.
    key = (markup, id(style), bullet, replayed)
    template = cache.get(key)
    if template is None:
        template = cache[key] = (
            (lines is not None and replayed and _from_fragments(lines, style, bullet))
            or (ReusableParagraph if replayed else DrawnEachTime)(markup, style,
                                                                  bulletText=bullet))
        if len(cache) > _MAX_REUSABLE:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    # A copy per use: platypus marks the flowables it places (_postponed, ...), and one
    # paragraph can stand in several letters of a story. The copy shares the parsed text
    # and the line breaks, which are only read.
    return copy.copy(template)


