"""Reading PDFs back in the tests: where each piece of text was drawn."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from campaign_letters.text import faces as fonts


@dataclass(frozen=True)
class Fragment:
    """One piece of text as drawn: baseline start (x, y from the bottom), size, face."""

    text: str
    x: float
    y: float
    size: float
    font: str

    @property
    def width(self) -> float:
        return pdfmetrics.stringWidth(self.text, self.font, self.size)

    @property
    def box(self) -> tuple[float, float, float, float]:
        """left, bottom, right, top, from the page's bottom-left: descender to ascender."""
        return self.x, self.y - 0.3 * self.size, self.x + self.width, self.y + self.size


def page_fragments(page) -> list[Fragment]:
    """Every text fragment of a pypdf page with its position, from pypdf's visitor."""
    fonts.register_fonts()  # the widths come from the same font files
    found: list[Fragment] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text.strip():
            return
        # ReportLab positions text with Tm (and Td/T* inside BT) and paragraphs with cm.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        base = str(font_dict["/BaseFont"]) if font_dict else "/NotoSans-Regular"
        found.append(Fragment(text.strip(), x, y, font_size,
                              base.lstrip("/").split("+")[-1]))

    page.extract_text(visitor_text=visit)
    return found


def squash(text: str) -> str:
    return "".join(text.split())


def tool(name: str) -> str:
    """The path of a PDF tool, or skip (CI installs them; conftest fails CI without)."""
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (apt-get install poppler-utils qpdf)")
    return path


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True,
                          check=False, timeout=120)
