"""Text folded for finding a word however it was written: the one rule that both the
campaign checks (a holder's name written out in a message) and the volunteer's form
(a region typed without its accent) use."""

from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Case, accents, hyphens and runs of spaces folded, ends trimmed.

    >>> fold("Émile-Roger  LOMBERTIE") == fold("Emile Roger Lombertie")
    True
    >>> fold(" Lombardía ")
    'lombardia'
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text)
                    if not unicodedata.combining(c))
    return re.sub(r"[\s\-‐‑–]+", " ", plain).casefold().strip()
