"""Shared fixtures: a fixed date, sample senders and a helper to run the CLI in-process."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from campaign_letters.cli import main

TODAY = dt.date(2026, 11, 23)

DK_SENDER = ["--name", "Mette Hansen", "--street", "Vestergade 12", "--postal-code", "8000",
             "--city", "Aarhus", "--country", "DK"]
CA_SENDER = ["--name", "Chris Lee", "--street", "1200 Pinetree Way", "--postal-code",
             "V3B 7N2", "--city", "Coquitlam", "--region", "BC", "--country", "CA"]


@pytest.fixture
def run_cli():
    """Run ``campaign-letters ARGS`` in-process; return the click Result."""
    def run(*args: str):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)
    return run


# mutool (mupdf) and hb-view (HarfBuzz) for the right-to-left and complex scripts.
PDF_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "qpdf", "mutool", "hb-view")


def pytest_sessionstart(session):
    """In CI a missing PDF tool is a failure: a run that skips the PDF checks proves nothing."""
    import os
    import shutil

    missing = [tool for tool in PDF_TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs {', '.join(missing)}: apt-get install "
                                "poppler-utils qpdf mupdf-tools libharfbuzz-bin (see .ci/run)")


# -- every PDF the tests make is read by two readers at the end (test_every_pdf.py) ---------

# sha256 -> (the test that made it first, the PDF)
MADE_PDFS: dict[str, tuple[str, bytes]] = {}
_NOT_COLLECTED = ("test_every_pdf.py",)  # its own examples of bad PDFs
# The property tests make PDFs by the thousand and compare both readers' text on each
# themselves: one in SAMPLE of theirs is checked in full.
_SAMPLED, SAMPLE = ("test_properties.py",), 25
_current_test = ["(collection)"]
_seen = [0]


def _keep(pdf: bytes, where: str) -> None:
    import hashlib

    if not pdf.startswith(b"%PDF-") or where.startswith(_NOT_COLLECTED):
        return
    if where.startswith(_SAMPLED):
        _seen[0] += 1
        if _seen[0] % SAMPLE:
            return
    MADE_PDFS.setdefault(hashlib.sha256(pdf).hexdigest(), (where, pdf))


def pytest_configure(config):
    """Keep every PDF ReportLab makes in this process (letters, labels), as made."""
    from reportlab.pdfbase import pdfdoc

    make = pdfdoc.PDFDocument.GetPDFData

    def get_pdf_data(self, canvas):
        data = make(self, canvas)
        _keep(data, _current_test[0])
        return data

    pdfdoc.PDFDocument.GetPDFData = get_pdf_data


@pytest.fixture(autouse=True)
def _keep_pdfs_written(request):
    """...and every PDF a test leaves in its temporary folder (CLI runs, packs)."""
    import pathlib

    where = request.node.nodeid.split("/")[-1]
    _current_test[0] = where
    yield
    _current_test[0] = "(between tests)"
    tmp = request.node.funcargs.get("tmp_path")
    if isinstance(tmp, pathlib.Path) and tmp.exists():
        for path in tmp.rglob("*.pdf"):
            if path.is_file():
                _keep(path.read_bytes(), where)


def pytest_collection_modifyitems(session, config, items):
    """The every-PDF check runs after every other test, whatever their order (file names,
    -k, plugins that shuffle): it checks what they made."""
    last = [item for item in items if item.nodeid.startswith("tests/test_every_pdf.py")]
    items[:] = [item for item in items if item not in last] + last
