"""What the PDF's bytes hold, beyond what the pages show: the text each drawn glyph
stands for (ToUnicode, even when glyph codes run out), so that poppler and pdfium read the
same words; and a size small enough to e-mail."""

from __future__ import annotations

import pytest

from campaign_letters import load_campaign, make_sender, produce_letters
from campaign_letters.layout.render import render_document
from campaign_letters.text import faces
from tests.helpers import TODAY, sender
from tests.helpers.letters import make_letters
from tests.helpers.pdf_text import pdfium_text, pdftotext
from tests.helpers.strategies import words
from tests.helpers.structure import structure_tree


def test_when_glyph_codes_run_out_a_glyph_keeps_its_first_text(monkeypatch):
    from campaign_letters.pdf import _reportlab

    faces.register_fonts()
    faces.nominal_glyphs("NotoSansArabic-Regular")  # parsed and registered
    _reportlab.glyph_code("NotoSansArabic-Regular", 46, "ا")
    first = chr(_reportlab._first_code[("NotoSansArabic-Regular", 46)])
    monkeypatch.setattr(_reportlab, "_next_glyph_code", lambda: None)
    assert _reportlab.glyph_code("NotoSansArabic-Regular", 46, "ا\x00") == first  # new text
    # A glyph with no code yet is drawn as the character it is the glyph of.
    monkeypatch.setattr(_reportlab, "_first_code", {})
    beh = faces.nominal_glyphs("NotoSansArabic-Regular")[ord("ب")]
    assert _reportlab.glyph_code("NotoSansArabic-Regular", beh, "ب\x00") == "ب"


@pytest.mark.slow  # it ran among the (slow) property tests
@pytest.mark.parametrize("language", ["da", "en", "da+en"])
def test_poppler_and_pdfium_read_the_same_words(language):
    volunteer = make_sender(**sender("Søren Ødegård 김민준"))
    pdf = produce_letters(load_campaign("naju-haderslev"), volunteer, date=TODAY,
                          language=language).pdf
    assert words(pdftotext(pdf)) == words(pdfium_text(pdf))


def test_one_page_naju_letter_is_small_enough_to_e_mail():
    """The size budget (bench/pdf_size.py prints the breakdown): tagged, with the
    campaign page's link and QR code, at most 10% over the untagged letter of
    2026-12-06 before them (18,983 bytes: issue #23's budget), and tagged."""
    letters = make_letters(language="da")
    rendered = render_document([letters[1]], "title")
    assert rendered.pages == (1,)
    assert len(rendered.pdf) <= 18_983 * 1.10, len(rendered.pdf)
    tree = structure_tree(rendered.pdf)
    assert tree.marked and tree.root.kids
