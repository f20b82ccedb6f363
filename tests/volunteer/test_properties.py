"""Property-based: whatever a volunteer types as their name, street, postcode, city,
region, country, e-mail, note or language, they get letters that print exactly what they
typed, or one clear line saying what to fix; never a traceback, never markup.

(Strategies, the example counts and the comparisons: tests/helpers/strategies.py.)
"""

from __future__ import annotations

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from campaign_letters import load_campaign, produce_letters
from campaign_letters.errors import CampaignLettersError, InputError, LayoutError
from campaign_letters.text.shaping import needs_shaping
from campaign_letters.volunteer.sender import clean_note, make_sender
from tests.helpers import TODAY
from tests.helpers.pdf_text import letters, pdfium_text, pdftotext
from tests.helpers.strategies import (
    ANY_PLACE,
    EMAIL,
    LANGUAGES,
    MARKUP,
    NOTE,
    PLACES,
    TEXT,
    comparable,
)

pytestmark = pytest.mark.slow  # thousands of cases

CAMPAIGN = load_campaign("naju-haderslev")


@given(name=st.one_of(TEXT, st.builds(lambda a, m, b: a + m + b, TEXT, MARKUP, TEXT)),
       street=TEXT, city=TEXT)
def test_any_sender_prints_exactly_or_is_refused_in_one_line(name, street, city):
    try:
        sender = make_sender(name=name, street=[street], postal_code="8000", city=city,
                             country="DK")
        pack = produce_letters(CAMPAIGN, sender, date=TODAY, to="primary")
    except (InputError, CampaignLettersError) as exc:
        # Refused in one sentence that names what to fix: one of the fields given, or
        # (a LayoutError) the address that does not fit its window.
        message = exc.message if isinstance(exc, InputError) else str(exc)
        assert message and "\n" not in message
        if isinstance(exc, InputError):
            assert exc.field in ("name", "street", "city"), exc.field
        else:
            assert isinstance(exc, LayoutError) and "does not fit" in message, message
        event("refused")
        return
    event("printed")
    # Poppler and pdfium both give back the name as it was checked in (trimmed,
    # NFC-normalised), once in the signature at least. Shaped text: poppler exactly
    # (ActualText), pdfium every letter (it reads glyphs, in visual order).
    poppler, pdfium = pdftotext(pack.pdf), pdfium_text(pack.pdf)
    for field in (sender.name, sender.street[0]):
        assert comparable(field) in comparable(poppler)
        if needs_shaping(field):
            assert not letters(field) - letters(pdfium)
        else:
            assert comparable(field) in comparable(pdfium)


@given(place=st.one_of(PLACES, PLACES, PLACES, ANY_PLACE),
       email=st.one_of(st.none(), EMAIL), note=st.one_of(st.none(), NOTE),
       language=st.one_of(LANGUAGES, LANGUAGES, LANGUAGES, TEXT))
def test_any_other_sender_field_prints_exactly_or_is_refused_in_one_line(
        place, email, note, language):
    country, postal_code, city, region = place
    try:
        sender = make_sender(name="Mette Hansen", street=["Vestergade 12"],
                             postal_code=postal_code, city=city, region=region,
                             country=country, email=email)
        pack = produce_letters(CAMPAIGN, sender, date=TODAY, to="primary",
                               language=language, note=clean_note(note))
    except (InputError, CampaignLettersError) as exc:
        message = exc.message if isinstance(exc, InputError) else str(exc)
        assert message and "\n" not in message
        if isinstance(exc, InputError):
            assert exc.field in ("postal_code", "city", "region", "country", "email",
                                 "language", "note"), exc.field
        else:
            assert isinstance(exc, LayoutError) and "does not fit" in message, message
        event("refused: " + (exc.field if isinstance(exc, InputError) else "campaign"))
        return
    event("printed")
    letter = pack.letters[0]
    for text in (pdftotext(pack.pdf), pdfium_text(pack.pdf)):
        for line in letter.sender_lines:
            assert comparable(line) in comparable(text)
        if sender.email:
            assert comparable(sender.email) in comparable(text)
        for paragraph in (letter.text.note or "").split("\n\n"):
            assert comparable(paragraph) in comparable(text)
