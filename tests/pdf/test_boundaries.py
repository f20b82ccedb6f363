"""The pdf/ boundary, enforced: no module outside ``campaign_letters/pdf/`` uses a private
name of ReportLab or pypdf, not even as a name of its own (import-linter's contracts in
pyproject.toml keep those libraries' low-level modules out of the other packages; this
keeps their objects' insides out)."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, StreamObject
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

import campaign_letters
from campaign_letters.resources import fonts_dir

PACKAGE = Path(campaign_letters.__file__).parent
# Internals the project's shortcuts rely on that do not start with an underscore
# (pdf/_reportlab.py's contract names each).
NAMED_INTERNALS = {"blPara", "addObjects", "addSubsetObjects", "charToGlyph", "charWidths",
                   "fontMapping", "idToObject", "nextCode", "subsets", "hmetrics",
                   "getSubsetInternalName", "splitString", "makeSubset",
                   "unitsPerEm"}


def _private(names: set[str]) -> set[str]:
    return {n for n in names if n.startswith("_") and not n.startswith("__")}


def library_private_names() -> set[str]:
    """Every private attribute of the ReportLab and pypdf objects the project meets: the
    classes' own and what their instances hold once used."""
    names: set[str] = set()
    for cls in (Canvas, Paragraph, Flowable, Frame, PageTemplate, BaseDocTemplate, TTFont,
                TTFontFace, pdfdoc.PDFDocument, pdfdoc.PDFStream, pdfdoc.PDFDictionary,
                PdfReader, PdfWriter, StreamObject, DictionaryObject, ParagraphStyle):
        names |= _private(set(dir(cls)))
    canvas = Canvas(io.BytesIO())
    paragraph = Paragraph("<b>x</b> y", ParagraphStyle("s"))
    paragraph.wrap(100, 100)
    font = TTFont("BoundaryProbe", str(fonts_dir() / "NotoSans-Regular.ttf"))
    for instance in (canvas, canvas._doc, paragraph, font, font.face, StreamObject()):
        names |= _private(set(vars(instance)))
    return names


def modules_outside_pdf() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "pdf" not in p.relative_to(PACKAGE).parts)


def names_used(tree: ast.AST) -> set[str]:
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            used.add(node.name)
        elif isinstance(node, ast.arg):
            used.add(node.arg)
        elif isinstance(node, ast.alias):
            used.add(node.asname or node.name.split(".")[-1])
        elif isinstance(node, ast.keyword) and node.arg:
            used.add(node.arg)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.isidentifier():
            used.add(node.value)  # getattr(canvas, "_code")
    return used


FORBIDDEN = library_private_names() | NAMED_INTERNALS


def test_the_probe_finds_the_names_it_must():
    """The list is not empty by accident: it holds the internals the shortcuts use."""
    assert {"_code", "_doc", "_wrapWidths", "_data", "_fontname", "blPara",
            "addObjects"} <= FORBIDDEN


def test_the_scan_catches_a_private_name():
    tree = ast.parse("def f(canvas):\n    return len(canvas._code)\n")
    assert "_code" in names_used(tree) & FORBIDDEN


@pytest.mark.parametrize("path", modules_outside_pdf(),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_reportlab_or_pypdf_name_outside_pdf(path):
    found = names_used(ast.parse(path.read_text(encoding="utf-8"))) & FORBIDDEN
    assert not found, (f"{path.relative_to(PACKAGE)} uses {sorted(found)}: ReportLab's and "
                       "pypdf's internals belong in campaign_letters/pdf/")
