"""Property-based: names, streets and notes in the scripts HarfBuzz shapes (right to left
and complex), mixed with Latin and digits, come back as typed; or a one-line refusal.

(Strategies, the example counts and the comparisons: tests/helpers/strategies.py.)
"""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from campaign_letters import load_campaign, produce_letters
from campaign_letters.errors import CampaignLettersError, InputError
from campaign_letters.volunteer.sender import clean_note, make_sender
from tests.helpers import TODAY
from tests.helpers.pdf_text import letters, pdfium_text, pdftotext
from tests.helpers.strategies import SHAPED_TEXT, TEXT, comparable, spaced

pytestmark = pytest.mark.slow  # thousands of cases

CAMPAIGN = load_campaign("naju-haderslev")


@given(name=st.one_of(SHAPED_TEXT, st.builds(lambda a, b: f"{a} {b}", TEXT, SHAPED_TEXT)),
       street=SHAPED_TEXT, note=st.lists(SHAPED_TEXT, min_size=1, max_size=30).map(" ".join))
def test_any_right_to_left_or_complex_text_comes_back_as_typed(name, street, note):
    """Names, streets and notes in the shaped scripts, mixed with Latin and digits:
    poppler gives each back exactly, pdfium every letter; or a one-line refusal."""
    try:
        sender = make_sender(name=name, street=[street], postal_code="8000", city="Aarhus",
                             country="DK")
        pack = produce_letters(CAMPAIGN, sender, date=TODAY, to="primary",
                               note=note)
    except (InputError, CampaignLettersError) as exc:
        message = exc.message if isinstance(exc, InputError) else str(exc)
        assert message and "\n" not in message
        event("refused")
        return
    event("printed")
    poppler, pdfium = pdftotext(pack.pdf), pdfium_text(pack.pdf)
    for field in (sender.name, sender.street[0]):
        assert comparable(field) in comparable(poppler), field
    assert not letters(sender.name + sender.street[0]) - letters(pdfium)
    # The note may break across lines: its words come back, each exactly (spaces kept:
    # without them, marks of two words would meet and NFKC reorder them).
    page = spaced(poppler)
    for word in (clean_note(note) or "").split():
        assert spaced(word) in page, word
