"""The volunteer's form: its fields, reading them, checking them all at once."""

from __future__ import annotations

from urllib.parse import quote

from starlette.datastructures import FormData
from starlette.requests import Request

from campaign_letters.files import letters_filename
from campaign_letters.model import Campaign
from campaign_letters.volunteer.check import FIELDS, VolunteerInput, check_volunteer
from campaign_letters.volunteer.sender import MAX_LENGTH, MAX_NOTE_CHARS, MAX_STREET_LINES
from campaign_letters.web.middleware import MAX_BODY_BYTES
from campaign_letters.wording import W_

# The form's fields (volunteer.check.FIELDS) are named like the CLI's options
# (--postal-code -> postal_code).

# Labels of the fields that do not depend on the country (address_form words the others).
LABELS = {"name": W_("Name"), "street": W_("Street address"),
          "postal_code": W_("Postal code"), "city": W_("City"), "region": W_("Region"),
          "country": W_("Country"), "email": W_("E-mail"), "language": W_("Language"),
          "note": W_("Personal paragraph"), "paper": W_("Paper")}

ACTIONS = ("pdf", "preview", "eml")

# What the browser lets a person type; the server checks the real limits (volunteer/sender.py).
MAXLENGTH = {**MAX_LENGTH, "street": MAX_STREET_LINES * (MAX_LENGTH["street"] + 1),
             "note": MAX_NOTE_CHARS}

PAPER_CHOICES = {"auto": W_("Automatic: the usual size where you live"),
                 "a4": W_("A4, for a DL window envelope"),
                 "letter": W_("US Letter, for a #10 window envelope")}

PAPER_HINT = W_("Automatic gives US Letter in the US, Canada, Mexico, Central America, "
                "Colombia, Venezuela, Chile and the Philippines, and A4 everywhere else.")


# The page languages that are one country's own: a volunteer reading the page in one of
# them most likely lives there. English, French and Italian are several countries' own
# languages, so their pages start with the campaign's partner country.
HOME_COUNTRY = {"da": "DK", "ko": "KR"}


def default_country(campaign: Campaign, page_language: str = "en") -> str:
    """The country the form starts with: the page language's own country where it has
    one, else the campaign's partner country.

    >>> from types import SimpleNamespace as Namespace
    >>> milan = Namespace(partner_city=Namespace(country="IT"))
    >>> [default_country(milan, language) for language in ("ko", "da", "fr", "en")]
    ['KR', 'DK', 'IT', 'IT']
    """
    return HOME_COUNTRY.get(page_language, campaign.partner_city.country)


def default_values(campaign: Campaign, page_language: str = "en") -> dict[str, str]:
    values = dict.fromkeys(FIELDS, "")
    values.update(country=default_country(campaign, page_language), language="auto",
                  paper="auto")
    return values


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


async def read_fields(request: Request) -> dict[str, str]:
    """The form's text fields (missing ones empty) and its button's ``action``; files and
    other fields are ignored."""
    values = dict.fromkeys(FIELDS, "")
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded",
                                    "multipart/form-data")):
        return values
    form: FormData
    async with request.form(max_files=0, max_fields=4 * len(FIELDS),
                            max_part_size=MAX_BODY_BYTES) as form:
        for field in FIELDS:
            value = form.get(field)
            values[field] = value if isinstance(value, str) else ""
        action = form.get("action")
        if isinstance(action, str) and action in ACTIONS:
            values["action"] = action
    return values


def check_fields(campaign: Campaign, values: dict[str, str], language: str = "en"
                 ) -> tuple[VolunteerInput | None, dict[str | None, str]]:
    """What the volunteer asked for, or every problem of the form at once, by field, in
    the page's language: ``volunteer.check.check_volunteer``, the check every surface
    makes, its words translated."""
    asked, problems = check_volunteer(campaign, values)
    return asked, {problem.field: problem.localized(language) for problem in problems}


def content_disposition(kind: str, campaign_id: str, sender_name: str, extension: str) -> str:
    """``attachment; filename="letters-….pdf"``, plus ``filename*`` (RFC 5987) for a name
    that ASCII cannot spell."""
    plain = letters_filename(campaign_id, sender_name, extension)
    full = letters_filename(campaign_id, sender_name, extension, ascii_only=False)
    value = f'{kind}; filename="{plain}"'
    if full != plain:
        value += f"; filename*=UTF-8''{quote(full, safe='')}"
    return value
