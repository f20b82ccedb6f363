"""Local typography: a campaign text's quotation marks, apostrophes and, in French, the
spaces at its punctuation, as its language sets them.

Campaign texts are typed with ASCII habits (``"Centres de santé"``, ``d'Icheon``,
``les élus: Prenez``). ``typeset`` gives them their language's marks and spaces and
changes nothing else: no letter, dash or ellipsis, nothing inside a ``{reference}`` slot
or a URL. It works on plain text, before it is escaped into paragraph markup.

>>> typeset('les élus: Prenez "Centres de santé" d\\'Icheon', "fr")
'les élus\\xa0: Prenez «\\xa0Centres de santé\\xa0» d’Icheon'
>>> typeset('Mener I "helsecentre"?', "da")
'Mener I “helsecentre”?'
>>> typeset('il "Chilseong Market" a Daegu', "it")
'il «Chilseong Market» a Daegu'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError

NBSP = "\u00a0"  # NO-BREAK SPACE: a word space that never breaks
# NARROW NO-BREAK SPACE: the typesetter's "fine". ReportLab's Paragraph (5.1) counts it
# among the spaces a line breaks at (platypus/paragraph.py, _wsc), unlike U+00A0: drawn
# through it unchanged, it would print as a plain, breaking word space.
NNBSP = "\u202f"

# CLDR's <delimiters>: quotationStart, quotationEnd, alternateQuotationStart,
# alternateQuotationEnd. Babel (2.19, CLDR 49) does not import them, so Locale has no
# quotes to give; these are copied from CLDR 44-45 (cldr-json, cldr-misc-full/main/
# <locale>/delimiters.json). A language not here is left as typed. Dutch (‘…’) and Swedish (”…”)
# are left out on purpose: their primary marks are the apostrophe or both ends at once,
# which the pairing below cannot tell apart.
_DELIMITERS = {
    "da": "“”‘’", "de": "„“‚‘", "en": "“”‘’", "es": "“”‘’", "fr": "«»«»",
    "fr_CA": "«»”“", "fr_CH": "«»‹›", "it": "«»“”", "ko": "“”‘’", "pl": "„”«»",
}


class Conventions(NamedTuple):
    quotes: tuple[str, str]  # CLDR's primary quotation marks
    alternate: tuple[str, str]  # for a quotation inside another
    french_spacing: bool  # no-break spaces at : ; ! ? and inside « »


@lru_cache(maxsize=64)
def conventions(language: str) -> Conventions | None:
    """The conventions of ``language`` (``fr``, ``fr_CA``, ``fr-CA``), None if unknown.

    >>> conventions("da").quotes
    ('“', '”')
    >>> conventions("en-GB").alternate, conventions("xx")
    (('‘', '’'), None)
    """
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None
    marks = (_DELIMITERS.get(f"{locale.language}_{locale.territory}")
             or _DELIMITERS.get(locale.language))
    if marks is None:
        return None
    # Every French locale, Canada's included: the Office québécois de la langue française
    # drops the space before ; ! ? only for lack of a fine space ("si l'on dispose de
    # l'espace fine, il est conseillé de l'utiliser"), and the bundled fonts have one.
    return Conventions((marks[0], marks[1]), (marks[2], marks[3]), locale.language == "fr")


# Left exactly as typed: {reference} slots (filled in later) and URLs, whose trailing
# sentence punctuation stays outside so that it can be spaced.
_GUARDED = re.compile(r"\{[^{}]*\}|(?:[a-z][a-z0-9+.-]*://|mailto:|www\.)"
                      r"(?:\S*[^\s.,;:!?'\"»”’)\]])?", re.IGNORECASE)
_MAY_CHANGE = re.compile("[\"'“”‘’«»‹›:;!?]")
_SINGLE = "'‘’‚"  # single marks, which double as apostrophes: never paired as doubles
_CONVERTIBLE = "\"“”"  # the marks typed for any language, replaced by the language's
# After one of these (or a space, or nothing) a quotation mark opens a quotation.
_OPENERS = "([{<«‹“„‘‚-‐‑–—/"
# No space goes between an opening bracket and what follows: (?) stays as typed.
_BRACKETS = "([{«‹"
_SPACES = "[ \u00a0\u202f\u2009]*"
_FRENCH = re.compile(rf"(?P<open>[«‹]){_SPACES}|{_SPACES}(?P<close>[»›]|[:;!?]+)")


def typeset(text: str, language: str) -> str:
    """``text`` with the quotation marks, apostrophes and French spaces of ``language``;
    ``text`` itself (the same object) when nothing changes or the language is unknown.

    Its result is final: typesetting it again changes nothing. A text whose reading does
    not settle in one pass (a quotation mark that reads as opening, then as closing) is
    ambiguous, and is left as typed.
    """
    changed = _typeset(text, language)
    return text if changed is None else changed


# Every paragraph of every letter: a campaign has a few dozen texts, a pack thousands of
# letters. None for "unchanged", so that the caller gets its own string back, not an
# equal one cached from another campaign.
@lru_cache(maxsize=4096)
def _typeset(text: str, language: str) -> str | None:
    found = conventions(language)
    if found is None or not _MAY_CHANGE.search(text):
        return None
    once = _typeset_once(text, found)
    # The rules settle in one pass on any text a campaign holds; the second pass makes it
    # a guarantee (marks run together, like German "“, can read otherwise once changed).
    if once == text or _typeset_once(once, found) != once:
        return None
    return once


def _typeset_once(text: str, conv: Conventions) -> str:
    guarded = bytearray(len(text))
    for match in _GUARDED.finditer(text):
        guarded[match.start():match.end()] = b"\1" * (match.end() - match.start())
    # Quotes and apostrophes change one character for one, so ``guarded`` still holds
    # for the French spaces, which change the text's length.
    chars = list(text)
    _apostrophes(chars, guarded)
    _quotes(chars, guarded, conv)
    done = "".join(chars)
    return _french_spaces(done, guarded) if conv.french_spacing else done


def _wordlike(chars: list[str], i: int, guarded: bytearray) -> bool:
    """A letter, digit or mark at ``i``; or a slot's brace, as the slot is a name."""
    if not 0 <= i < len(chars):
        return False
    char = chars[i]
    return (char.isalnum() or unicodedata.category(char).startswith("M")
            or (char in "{}" and bool(guarded[i])))


def _apostrophes(chars: list[str], guarded: bytearray) -> None:
    """d'Icheon -> d’Icheon, don't -> don’t, 1990's -> 1990’s: a straight ' between a
    word's letters is an apostrophe. Elsewhere (po', 'tis, dogs') it may be a quotation
    mark too, and is left."""
    for i, char in enumerate(chars):
        if (char == "'" and not guarded[i] and _wordlike(chars, i - 1, guarded)
                and _wordlike(chars, i + 1, guarded) and not chars[i + 1].isdigit()):
            chars[i] = "’"


def _opens(chars: list[str], i: int) -> bool:
    """A mark at ``i`` opens if nothing, a space or an opening bracket, dash or quotation
    mark comes before it. Only what comes before counts: French spacing puts spaces only
    before : ; ! ? » › and after « ‹, none of them a mark whose reading depends on it."""
    return i == 0 or chars[i - 1].isspace() or chars[i - 1] in _OPENERS


def _quotes(chars: list[str], guarded: bytearray, conv: Conventions) -> None:
    """Pairs of double quotation marks (", “…”) become the language's; a pair inside a
    pair takes the alternate marks, and so does a pair of single ones inside a quotation
    (see ``_inner_singles``). The language's own marks are paired too, so that what is
    inside them counts as inside, but never changed. A mark without its partner is left
    as typed."""
    start, end = conv.quotes
    opening = {'"', "“", *(m for m in (start, conv.alternate[0]) if m not in _SINGLE)}
    closing = {'"', "”", *(m for m in (end, conv.alternate[1]) if m not in _SINGLE)}
    marks: list[int] = []
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, char in enumerate(chars):
        if guarded[i] or (char not in opening and char not in closing):
            continue
        marks.append(i)
        # A mark that can do both (", or German “) opens where a quotation can start.
        if char in opening and (char not in closing or _opens(chars, i)):
            stack.append(i)
        elif stack:
            pairs.append((stack.pop(), i))
    around: list[int] = []  # where the pairs around the current one close
    for first, last in sorted(pairs):
        while around and around[-1] < first:
            around.pop()
        inside = len(around) % 2  # 0: a quotation, 1: one inside it, 2: primary again
        new_start, new_end = conv.alternate if inside else conv.quotes
        if chars[first] in _CONVERTIBLE:
            chars[first] = new_start
        if chars[last] in _CONVERTIBLE:
            chars[last] = new_end
        if not around and not any(first < i < last for i in marks):
            _inner_singles(chars, guarded, first, last, conv.alternate)
        around.append(last)


def _inner_singles(chars: list[str], guarded: bytearray, first: int, last: int,
                   alternate: tuple[str, str]) -> None:
    """'…' inside a quotation -> the alternate marks, only if the quotation holds no other
    quotation marks and exactly one single mark that opens, then one that closes: any
    other single mark may be an apostrophe (dogs', 'tis), and then none is touched."""
    found: list[tuple[int, bool]] = []  # (where, opens)
    for i in range(first + 1, last):
        char = chars[i]
        if guarded[i] or char not in "'‘’":
            continue
        after = chars[i + 1]
        if char in "'‘" and _opens(chars, i) and after.isalnum():
            found.append((i, True))
        elif char in "'’" and not _opens(chars, i) and not after.isalnum():
            found.append((i, False))
    if [opens for _, opens in found] == [True, False]:
        chars[found[0][0]], chars[found[1][0]] = alternate


def _french_spaces(text: str, guarded: bytearray) -> str:
    """A no-break space before : and » and after «, a narrow one before ; ! ? (the
    Imprimerie nationale's spaces: a word space before :, a fine before ; ! ?, a word
    space inside guillemets). A space typed there is replaced; none is added at a line's
    start or end, after an opening bracket or guillemet, in 10:30, or after the mark."""

    def space(match: re.Match[str]) -> str:
        mark = match["open"] or match["close"]
        where = match.start("open") if match["open"] else match.start("close")
        if guarded[where]:
            return match[0]
        if match["open"]:
            after = text[match.end():match.end() + 1]
            return match[0] if after in ("", "\n") else mark + NBSP
        before = text[match.start() - 1] if match.start() else ""
        if not before or before.isspace() or before in _BRACKETS:
            return match[0]
        if (mark == ":" and where == match.start() and before.isdigit()
                and text[match.end():match.end() + 1].isdigit()):
            return match[0]  # a time or a ratio
        return (NBSP if mark[0] in ":»›" else NNBSP) + mark

    return _FRENCH.sub(space, text)
