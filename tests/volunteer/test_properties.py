"""Property-based: whatever a volunteer types, they get letters that print exactly what
they typed, or one clear line saying what to fix; never a traceback, never markup."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import pypdfium2
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from campaign_letters import load_campaign, produce_letters
from campaign_letters.errors import (
    CampaignLettersError,
    CampaignValidationError,
    InputError,
    LayoutError,
)
from campaign_letters.text.shaping import needs_shaping
from campaign_letters.volunteer.sender import MAX_LENGTH, clean_note, make_sender

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

CAMPAIGN = load_campaign("naju-haderslev")

# Mostly the scripts the fonts cover (Latin with diacritics, Greek, Cyrillic, Hangul, kana,
# Han) with markup characters and spaces, so most cases reach a PDF; then any character of
# any script, so the refusals are exercised too.
PRINTABLE = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"),
                          exclude_characters="\u2028\u2029").filter(
    lambda c: c.isascii() or "\u00c0" <= c <= "\u04ff" or "\uac00" <= c <= "\ud7a3"
    or "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
TEXT = st.text(alphabet=st.one_of(PRINTABLE, st.sampled_from("<>&'\"/ ")),
               min_size=1, max_size=MAX_LENGTH["name"] + 5) | st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs"),
                           exclude_characters="\u2028\u2029"), max_size=30)
# The scripts HarfBuzz shapes (shaping.py), right to left and complex left to right, with
# Latin, digits and spaces between: the bidirectional algorithm and the shaper at work.
SHAPED_BLOCKS = ((0x0600, 0x06FF), (0x05D0, 0x05EA), (0x0900, 0x097F), (0x0980, 0x09FF),
                 (0x0B80, 0x0BFF), (0x0E00, 0x0E7F), (0x1780, 0x17FF), (0x0531, 0x058A),
                 (0x10A0, 0x10FF), (0x1200, 0x137F))
SHAPED_CHAR = st.one_of(*(st.characters(min_codepoint=low, max_codepoint=high,
                                        categories=("L", "M", "N", "P"))
                          for low, high in SHAPED_BLOCKS))
SHAPED_TEXT = st.text(alphabet=st.one_of(SHAPED_CHAR, SHAPED_CHAR, SHAPED_CHAR,
                                         st.sampled_from("Ab12 ,.()-"),
                                         # ZWNJ (Persian names), ZWJ, soft hyphen, marks,
                                         # embeddings and isolates: invisible, and typed.
                                         st.sampled_from("\u200c\u200d\u00ad\u200e\u200f"
                                                         "\u202a\u202b\u202c\u2066\u2067"
                                                         "\u2069\u2060\ufeff")),
                      min_size=1, max_size=40)
MARKUP = st.sampled_from(["<b>x</b>", "<img src='/etc/passwd'/>", "&amp;", "<br/>", "&lt;",
                          "<font face='Helvetica'>", "]]>", "%PDF", "\\(x\\)"])


def pdftotext(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()


def pdfium_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


# Invisible directional formatting: poppler wraps right-to-left text it gives back in
# U+202B ... U+202C, and the letters' ActualText adds U+200E where poppler would move a
# space (shaping.extraction_text).
BIDI_FORMATTING = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def squash(text: str) -> str:
    """Without white space and in compatibility form: extractors expand ligatures and
    full-width forms. Without hyphens: at a line's end, poppler takes one for a word
    broken in two (it joins the lines and drops it) and pdfium gives U+FFFE."""
    text = text.translate(BIDI_FORMATTING).replace("-", "").replace("\ufffe", "")
    return unicodedata.normalize("NFKC", "".join(text.split()))


def words(text: str) -> list[str]:
    """The words of a page in any order: the readers order header, footer and columns
    differently. Hyphens go: poppler joins "hunde-" at a line end with the next word and
    drops the hyphen, pdfium keeps it (as U+FFFE)."""
    return sorted(text.replace("\ufffe", "").replace("-", "").split())


# Examples per property test: 300 locally, each run new ones; 1,500 in CI, always the same
# (derandomize), so a red CI run means a change broke something; HYPOTHESIS_PROFILE=slow
# hunts longer (20,000 each, about 10 minutes a test).
settings.register_profile("default", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.register_profile("ci", settings.get_profile("default"), max_examples=1500,
                          derandomize=True)
settings.register_profile("slow", settings.get_profile("default"), max_examples=20000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") else "default"))


@given(name=st.one_of(TEXT, st.builds(lambda a, m, b: a + m + b, TEXT, MARKUP, TEXT)),
       street=TEXT, city=TEXT)
def test_any_sender_prints_exactly_or_is_refused_in_one_line(name, street, city):
    try:
        sender = make_sender(name=name, street=[street], postal_code="8000", city=city,
                             country="DK")
        pack = produce_letters(CAMPAIGN, sender, date=dt.date(2026, 11, 23), to="primary")
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
        assert squash(field) in squash(poppler)
        if needs_shaping(field):
            assert not letters(field) - letters(pdfium)
        else:
            assert squash(field) in squash(pdfium)


def letters(text: str) -> Counter[str]:
    """Letters, marks and digits, decomposed (HarfBuzz draws a character the face lacks
    from its compatibility parts: U+0675 as alef and high hamza), as a multiset."""
    return Counter(char for char in unicodedata.normalize("NFKD", text)
                   if unicodedata.category(char)[0] in "LMN")


@given(name=st.one_of(SHAPED_TEXT, st.builds(lambda a, b: f"{a} {b}", TEXT, SHAPED_TEXT)),
       street=SHAPED_TEXT, note=st.lists(SHAPED_TEXT, min_size=1, max_size=30).map(" ".join))
def test_any_right_to_left_or_complex_text_comes_back_as_typed(name, street, note):
    """Names, streets and notes in the shaped scripts, mixed with Latin and digits:
    poppler gives each back exactly, pdfium every letter; or a one-line refusal."""
    try:
        sender = make_sender(name=name, street=[street], postal_code="8000", city="Aarhus",
                             country="DK")
        pack = produce_letters(CAMPAIGN, sender, date=dt.date(2026, 11, 23), to="primary",
                               note=note)
    except (InputError, CampaignLettersError) as exc:
        message = exc.message if isinstance(exc, InputError) else str(exc)
        assert message and "\n" not in message
        event("refused")
        return
    event("printed")
    poppler, pdfium = pdftotext(pack.pdf), pdfium_text(pack.pdf)
    for field in (sender.name, sender.street[0]):
        assert squash(field) in squash(poppler), field
    assert not letters(sender.name + sender.street[0]) - letters(pdfium)
    # The note may break across lines: its words come back, each exactly (spaces kept:
    # without them, marks of two words would meet and NFKC reorder them).
    page = spaced(poppler)
    for word in (clean_note(note) or "").split():
        assert spaced(word) in page, word


def spaced(text: str) -> str:
    """Single-spaced, in compatibility form, without hyphens (poppler joins a line
    ending in one with the next)."""
    text = text.translate(BIDI_FORMATTING).replace("-", "")
    return unicodedata.normalize("NFKC", " ".join(text.split()))


@pytest.mark.parametrize("language", ["da", "en", "da+en"])
def test_poppler_and_pdfium_read_the_same_words(language):
    sender = make_sender(name="Søren Ødegård 김민준", street=["Vestergade 12"],
                         postal_code="8000", city="Aarhus", country="DK")
    pdf = produce_letters(CAMPAIGN, sender, date=dt.date(2026, 11, 23), language=language).pdf
    assert words(pdftotext(pdf)) == words(pdfium_text(pdf))


EMAIL = st.one_of(st.emails(), TEXT)
NOTE = st.lists(st.one_of(TEXT, st.builds(lambda a, m, b: a + m + b, TEXT, MARKUP, TEXT)),
                min_size=1, max_size=4).map("\n\n".join)


# Mostly addresses that exist (so most cases reach a PDF), then anything at all.
PLACES = st.sampled_from([("DK", "8000", "Aarhus", None), ("CA", "V3B 7N2", "Coquitlam", "BC"),
                          ("IT", "20121", "Milano", "MI"), ("US", "10001", "New York", "NY"),
                          ("KR", "03154", "종로구", "서울특별시"), ("dk", "8000", "aarhus", None)])
ANY_PLACE = st.tuples(st.sampled_from(["DK", "CA", "XX", ""]), TEXT, TEXT,
                      st.one_of(st.none(), TEXT))
LANGUAGES = st.sampled_from(["da", "en", "da+en", "en+da", "EN"])


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
        pack = produce_letters(CAMPAIGN, sender, date=dt.date(2026, 11, 23), to="primary",
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
            assert squash(line) in squash(text)
        if sender.email:
            assert squash(sender.email) in squash(text)
        for paragraph in (letter.text.note or "").split("\n\n"):
            assert squash(paragraph) in squash(text)


BASE_CAMPAIGN = (Path(__file__).parent.parent / "campaigns" / "naju-haderslev.yaml")
LONG_TEXT = st.lists(st.one_of(TEXT, MARKUP), min_size=1, max_size=12).map(" ".join)


@given(subject=st.one_of(TEXT, LONG_TEXT), salutation=TEXT, paragraph=LONG_TEXT,
       closing=st.one_of(TEXT, MARKUP))
def test_any_campaign_text_prints_exactly_or_is_refused_at_its_line(subject, salutation,
                                                                     paragraph, closing):
    data = yaml.safe_load(BASE_CAMPAIGN.read_text(encoding="utf-8"))
    data["messages"]["en"].update(subject=subject, salutation=salutation, body=[paragraph],
                                  closing=closing)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "campaign.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        try:
            campaign = load_campaign(path, today=dt.date(2026, 11, 23))
        except CampaignValidationError as exc:
            for problem in exc.problems:
                assert re.match(r".*campaign\.yaml:\d+: ", str(problem)), str(problem)
                assert "\n" not in str(problem) and "Traceback" not in str(problem)
            first = next(p for p in exc.problems if not p.is_warning)
            event("refused: " + str(first).split(": ", 2)[1])
            return
    sender = make_sender(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000",
                         city="Aarhus", country="DK")
    try:
        pack = produce_letters(campaign, sender, date=dt.date(2026, 11, 23), to="primary",
                               language="en")
    except CampaignLettersError as exc:  # e.g. an address that no longer fits: one line
        assert "\n" not in str(exc) and "Traceback" not in str(exc)
        event("refused when rendering")
        return
    event("printed")
    message = campaign.messages["en"]
    for text in (pdftotext(pack.pdf), pdfium_text(pack.pdf)):
        for part in (message.subject, message.salutation, message.body[0], message.closing):
            assert squash(part) in squash(text)
