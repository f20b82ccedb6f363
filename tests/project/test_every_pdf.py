"""Runs after the other tests, whatever their order (conftest sees to it): every PDF they
made (conftest.MADE_PDFS) passes ``qpdf --check`` and reads alike in poppler and pdfium:
same pages and page sizes (A4 or Letter), the same words, every font embedded, and the
words of each window's address field in the same place. Run alone, it checks the bundled
campaigns' letters."""

from __future__ import annotations

import datetime as dt
import io
import os
from concurrent.futures import ProcessPoolExecutor

import pytest
from reportlab.pdfgen.canvas import Canvas

from campaign_letters import LetterOptions, bundled_ids, compose_letters, load_campaign, make_sender
from campaign_letters.layout.render import render_letters
from tests import conftest
from tests.two_readers import problems

SENDERS = [dict(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000",
                city="Aarhus", country="DK"),
           dict(name="Chris Lee", street=["1200 Pinetree Way"], postal_code="V3B 7N2",
                city="Coquitlam", region="BC", country="CA")]


def _own_letters() -> dict[str, tuple[str, bytes]]:
    made = {}
    for campaign_id in bundled_ids():
        campaign = load_campaign(campaign_id, today=dt.date(2026, 11, 23))
        for sender, language in zip(SENDERS, campaign.languages[::-1], strict=False):
            letters = compose_letters(campaign, make_sender(**sender),
                                      LetterOptions(language, dt.date(2026, 11, 23)))
            made[f"{campaign_id}-{language}"] = (campaign_id, render_letters(letters, "t"))
    return made


def _check(item: tuple[str, bytes]) -> tuple[str, list[str]]:
    where, pdf = item
    return where, problems(pdf)


@pytest.mark.slow
def test_every_pdf_the_tests_made_reads_alike_in_two_readers():
    made = dict(conftest.MADE_PDFS) or _own_letters()
    with ProcessPoolExecutor(max(2, os.cpu_count() or 2)) as pool:
        results = list(pool.map(_check, made.values(), chunksize=4))
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
    assert problems(render_letters(compose_letters(
        load_campaign("naju-haderslev", today=dt.date(2026, 11, 23)),
        make_sender(**SENDERS[0]), LetterOptions("da", dt.date(2026, 11, 23))), "t")) == []
