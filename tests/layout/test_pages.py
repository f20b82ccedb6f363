"""What is drawn at fixed places on a letter's first page: the return line (shortened,
never an error), the sender block (each line in its own direction). The recipient's
address in the window: test_window_address.py."""

from __future__ import annotations

from campaign_letters.layout.pages import return_line_text
from campaign_letters.text import shaping
from campaign_letters.text.strings import string_width


def test_return_line_never_fails():
    width = 80 * 72 / 25.4
    short, size = return_line_text(["Mette Hansen", "Vestergade 12", "8000 Aarhus"], width)
    assert short == "Mette Hansen · Vestergade 12 · 8000 Aarhus" and size == 7
    parts = ["Maximiliane Alexandra Konstantina Bartholomäus-Wittgenstein von Hohenzollern",
             "Very Long Street Name With Many Words 123", "Apartment 7", "8000 Aarhus",
             "DENMARK"]
    text, size = return_line_text(parts, width)
    assert string_width(text, size) <= width
    # Extra street lines go first, then given names become initials; the city stays.
    assert text.startswith("M. A. K. B. v. Hohenzollern · Very Long Street")
    assert text.endswith("… · 8000 Aarhus · DENMARK")
    text, size = return_line_text(["Maximiliane" * 12, "Street 1", "8000 Aarhus"], width)
    assert string_width(text, size) <= width
    assert text.endswith("… · Street 1 · 8000 Aarhus")


def test_each_line_of_the_sender_block_takes_its_own_direction():
    """Found in review: a Hebrew street turned "8000 Aarhus" into "Aarhus 8000"."""
    from campaign_letters.layout.paragraphs import lines_paragraph, paragraph_styles

    paragraph = lines_paragraph(["רחוב הרצל 12", "8000 Aarhus", "Danmark"],
                                paragraph_styles()["body"])
    paragraph.wrap(200, 100)
    assert [rtl for _, rtl in paragraph._lines] == [True, False, False]
    line = shaping.shape_line("8000 Aarhus", rtl=False)
    assert [run.text for run in line.runs] == ["8000 Aarhus"]
