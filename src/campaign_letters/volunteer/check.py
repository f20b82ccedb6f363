"""The one check of what a volunteer asks for: their sender details, their own paragraph,
the letters' language and the paper. The command line, the page (HTML and JSON), each
row of a pack's roster and ``mail`` all call ``check_volunteer``, so all of them report
the same problems, all at once, each tied to its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from campaign_letters.compose.letters import parse_languages
from campaign_letters.compose.paper import PAPERS
from campaign_letters.errors import InputError
from campaign_letters.model import Campaign, Sender
from campaign_letters.volunteer.sender import SENDER_FIELDS, check_sender, clean_note
from campaign_letters.wording import W_

# What a volunteer fills in, in form order (the command line's options, the page's fields,
# a roster's columns).
FIELDS = (*SENDER_FIELDS, "language", "note", "paper")


@dataclass(frozen=True)
class VolunteerInput:
    """What a volunteer asked for, checked."""

    sender: Sender
    note: str | None
    language: str | None  # 'da', 'da+en'; None: automatic
    paper: str  # auto, a4 or letter


def check_volunteer(campaign: Campaign, values: Mapping[str, object]
                    ) -> tuple[VolunteerInput | None, list[InputError]]:
    """What the volunteer asked for, or every problem with it, in form order.

    ``values`` holds the fields of ``FIELDS`` (missing ones are empty); ``street`` may be
    one text of several lines or a list of lines. A language of "" or "auto" means the
    automatic choice, a paper of "" means "auto".
    """
    sender, found = check_sender(values)
    errors: dict[str, InputError] = dict(found)
    note: str | None = None
    try:
        note = clean_note(_text(values.get("note")))
    except InputError as exc:
        errors["note"] = exc
    language: str | None = _text(values.get("language")).strip()
    if language in ("", "auto"):
        language = None
    else:
        assert language is not None  # a str here; mypy keeps the declared "| None"
        try:
            parse_languages(campaign, language)
        except InputError as exc:
            errors["language"] = exc
    paper = _text(values.get("paper")).strip() or "auto"
    if paper not in PAPERS:
        errors["paper"] = InputError.of("paper", W_("%(value)r is not one of %(choices)s"),
                                        value=paper, choices=", ".join(PAPERS))
    if sender is None or errors:
        return None, [errors[field] for field in FIELDS if field in errors]
    return VolunteerInput(sender, note, language, paper), []


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
