"""For every test under tests/: the PDF tools CI must have, the ``run_cli`` fixture, the
Hypothesis profile, and the every-PDF check's bookkeeping (tests/helpers/every_pdf.py):
every PDF the tests make is read by two readers after all of them, whichever ran.

What tests share (sample senders, the fixed dates, render-and-read, servers...) is in
tests/helpers/; tests import that, never one another."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.helpers import every_pdf
from tests.helpers.commands import run_cli as _run_cli

# mutool (mupdf) and hb-view (HarfBuzz) for the right-to-left and complex scripts.
PDF_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "qpdf", "mutool", "hb-view")


@pytest.fixture
def run_cli():
    """Run ``campaign-letters ARGS`` in-process; return the click Result."""
    return _run_cli


def pytest_sessionstart(session):
    """In CI a missing PDF tool is a failure: a run that skips the PDF checks proves nothing."""
    missing = [tool for tool in PDF_TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs {', '.join(missing)}: apt-get install "
                                "poppler-utils qpdf mupdf-tools libharfbuzz-bin (see .ci/run)")


def pytest_configure(config):
    from tests.helpers.strategies import load_profile

    load_profile()
    every_pdf.keep_made_pdfs()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items):
    """Before -k, -m and --deselect choose among them: the every-PDF check is added if
    missing and put last."""
    every_pdf.put_last(session, items)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    every_pdf.running(item)
    try:
        return (yield)
    finally:
        every_pdf.running(None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's own teardown, before its tmp_path is let go: the PDFs it left."""
    try:
        return (yield)
    finally:
        every_pdf.keep_files(item)
