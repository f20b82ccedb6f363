"""Where campaign-letters reaches into ReportLab's settings: in one place, and only while
it draws.

Contract. ReportLab reads two module-level settings (``reportlab.rl_config``) while it
builds a PDF: ``useA85`` (ASCII85-wrap compressed streams: a quarter larger) and
``defaultGraphicsFontName`` (the font a drawing selects before drawing anything; the
default, Helvetica, would be declared without being embedded). (Binary font subsets are
asked of each font itself: fonts.py passes ``asciiReadable=0``.) The project wants
unwrapped streams and its own embedded font, but must leave ReportLab as it found it for
any other code in the process. So ``project_settings()`` sets the two values when the
first of our renders (in any thread) starts and puts ReportLab's own values back when the
last one ends. Every PDF the project makes is drawn inside it (render.py,
address_labels.py); nothing is assigned at import.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

from reportlab import rl_config

from . import fonts

_lock = threading.Lock()
_depth = 0  # renders of ours under way, in every thread
_saved: dict[str, object] = {}


def _ours() -> dict[str, object]:
    return {"useA85": 0, "defaultGraphicsFontName": fonts.LATIN.name}


@contextlib.contextmanager
def project_settings() -> Iterator[None]:
    """ReportLab set for the project's PDFs while any of them is drawn."""
    global _depth
    with _lock:
        if _depth == 0:
            ours = _ours()
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
