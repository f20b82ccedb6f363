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


PDF_TOOLS = ("pdftotext", "pdftoppm", "pdffonts", "qpdf")


def pytest_sessionstart(session):
    """In CI a missing PDF tool is a failure: a run that skips the PDF checks proves nothing."""
    import os
    import shutil

    missing = [tool for tool in PDF_TOOLS if shutil.which(tool) is None]
    if missing and os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs {', '.join(missing)}: apt-get install "
                                "poppler-utils qpdf (see .ci/run)")
