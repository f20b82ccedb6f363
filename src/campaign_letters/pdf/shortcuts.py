"""The switch that turns every speed shortcut off: ``CAMPAIGN_LETTERS_PLAIN=1`` in the
environment, or ``plain=True`` to ``render_document`` and ``produce_letters``.

The shortcuts (reuse.py, _reportlab.py, join.py, and layout's shared drawings) lean on
ReportLab's and pypdf's internals: paragraphs drawn once and their operators replayed,
glyph codes seeded from the campaign text, font subsets built once per process, a
volunteer's letters sharing one drawing, PDFs joined by copying bytes, shaped glyphs
written as operators. Plain, each letter is drawn by ReportLab's own public path, as if
every one were the first. A test renders the same letters both ways and requires the same
text at the same positions and the same page images; a ReportLab release that broke a
shortcut would show there, and the switch keeps letters right meanwhile.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextvars import ContextVar

_plain: ContextVar[bool | None] = ContextVar("campaign_letters_plain", default=None)


def plain() -> bool:
    """Whether the shortcuts are off for what this thread draws now."""
    chosen = _plain.get()
    if chosen is not None:
        return chosen
    return _from_environment()


def _from_environment() -> bool:
    return os.environ.get("CAMPAIGN_LETTERS_PLAIN", "") not in ("", "0")


@contextlib.contextmanager
def plain_mode(on: bool | None) -> Iterator[None]:
    """Shortcuts off (True) or on (False) within; None: as the environment says now
    (read once, not at every shortcut)."""
    token = _plain.set(_from_environment() if on is None else on)
    try:
        yield
    finally:
        _plain.reset(token)
