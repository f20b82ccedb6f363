"""Runs after the other tests, whatever their order and whichever of them were chosen
(conftest.py and tests/helpers/every_pdf.py see to it): every PDF they made passes
``qpdf --check`` and reads alike in poppler and pdfium (tests/helpers/two_readers.py):
same pages and page sizes (A4 or Letter), the same words, every font embedded, and the
words of each window's address field in the same place. When no test made a PDF (this
file run alone), it checks the bundled campaigns' letters."""

from __future__ import annotations

import io
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
from reportlab.pdfgen.canvas import Canvas

from campaign_letters import bundled_ids, load_campaign
from tests.helpers import CHRIS, METTE, TODAY
from tests.helpers.every_pdf import MADE_PDFS
from tests.helpers.letters import letters_pdf
from tests.helpers.two_readers import check, problems


def _own_letters() -> dict[str, tuple[str, bytes]]:
    made = {}
    for campaign_id in bundled_ids():
        campaign = load_campaign(campaign_id, today=TODAY)
        for sender, language in zip([METTE, CHRIS], campaign.languages[::-1], strict=False):
            made[f"{campaign_id}-{language}"] = (campaign_id, letters_pdf(
                campaign, sender, language=language, title="t"))
    return made


@pytest.mark.slow
def test_every_pdf_the_tests_made_reads_alike_in_two_readers():
    made = dict(MADE_PDFS) or _own_letters()
    with ProcessPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(check, made.values(), chunksize=4))
    failures = [f"{where}: {problem}" for where, found in results for problem in found]
    print(f"{len(made)} distinct PDFs checked, {sum(not f for _, f in results)} clean")
    assert not failures, f"{len(failures)} problems:\n" + "\n".join(failures[:40])


def test_the_check_finds_what_it_should():
    """A PDF with an unembedded standard font on a page neither A4 nor Letter."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(500, 700))
    canvas.setFont("Helvetica", 12)
    canvas.drawString(72, 600, "Not embedded")
    canvas.showPage()
    canvas.save()
    found = problems(buffer.getvalue())
    assert any("neither A4 nor Letter" in p for p in found), found
    assert any("pdfium: font Helvetica not embedded" in p for p in found), found
    assert any("poppler: font Helvetica not embedded" in p for p in found), found
    assert problems(letters_pdf(language="da", title="t")) == []
