"""The language a text's script says, for tagging: a volunteer's name in Hangul in a
Danish letter is read by a Korean voice when its PDF element says /Lang ko.

Only what the script tells for sure: Hangul is Korean, kana Japanese, Hebrew, Greek, Thai,
Georgian and Armenian their languages. A script that several languages write (Arabic,
Cyrillic, Devanagari, Han) gives an undetermined language in that script (BCP 47
``und-Arab``), which still tells a reader which voice can say it. Latin tells nothing.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from campaign_letters.text.faces import runs

# Unicode character-name prefixes -> language tag; kana before Han (Japanese uses both).
_BY_SCRIPT = (
    ("HANGUL", "ko"), ("HIRAGANA", "ja"), ("KATAKANA", "ja"), ("HEBREW", "he"),
    ("GREEK", "el"), ("THAI", "th"), ("GEORGIAN", "ka"), ("ARMENIAN", "hy"),
    ("ARABIC", "und-Arab"), ("CYRILLIC", "und-Cyrl"), ("DEVANAGARI", "und-Deva"),
    ("CJK", "und-Hani"),
)


@lru_cache(maxsize=1024)
def script_language(text: str) -> str | None:
    """The language tag ``text``'s first non-Latin script says, or None.

    >>> script_language("김민지"), script_language("Mette Hansen"), script_language("金田 さくら")
    ('ko', None, 'ja')
    >>> script_language("Фёдор")
    'und-Cyrl'
    """
    found: list[str] = []
    for char in text:
        if ord(char) < 0x370:  # Latin, digits, punctuation
            continue
        name = unicodedata.name(char, "")
        for prefix, tag in _BY_SCRIPT:
            if name.startswith(prefix):
                found.append(tag)
                break
    if not found:
        return None
    if "ja" in found:  # kana anywhere: Japanese, Han included
        return "ja"
    return found[0]


def language_runs(text: str, bold: bool = False) -> list[tuple[str, str | None]]:
    """``text`` cut where its script's language changes, along its font runs (so each
    piece draws where the whole would): "사본 · Copy of ..." -> ("사본 · ", "ko"),
    ("Copy of ...", None)."""
    pieces: list[tuple[str, str | None]] = []
    for _, part in runs(text, bold):
        lang = script_language(part)
        if pieces and pieces[-1][1] == lang:
            pieces[-1] = (pieces[-1][0] + part, lang)
        else:
            pieces.append((part, lang))
    return pieces
