"""The one check of what a volunteer asks for: their sender details, their own paragraph,
the letters' language and the paper. The command line, the page (HTML and JSON), each
row of a pack's roster and ``mail`` all call ``check_volunteer``, so all of them report
the same problems, all at once, each tied to its field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from babel import Locale
from babel.languages import get_official_languages
from babel.lists import format_list

from campaign_letters.compose.letters import parse_languages
from campaign_letters.compose.paper import PAPERS
from campaign_letters.compose.postal import CountryName
from campaign_letters.errors import InputError
from campaign_letters.model import Campaign, Sender
from campaign_letters.volunteer.sender import SENDER_FIELDS, check_sender, clean_note
from campaign_letters.wording import (
    COPIES_IN_ENGLISH,
    LANGUAGE_NOT_IN_CAMPAIGN,
    LANGUAGE_NOT_IN_CAMPAIGN_ONE,
    W_,
    language_name,
    translate,
)

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
            check_language(campaign, language)
        except InputError as exc:
            errors["language"] = exc
    paper = _text(values.get("paper")).strip() or "auto"
    if paper not in PAPERS:
        errors["paper"] = InputError.of("paper", W_("%(value)r is not one of %(choices)s"),
                                        value=paper, choices=", ".join(PAPERS))
    if sender is None or errors:
        return None, [errors[field] for field in FIELDS if field in errors]
    return VolunteerInput(sender, note, language, paper), []


class LetterWordsError(InputError):
    """An InputError worded by the letters' catalog (``N_`` messages in ``wording``), one
    sentence per message, said in any language the catalog has (``localized``)."""

    def __init__(self, field: str, sentences: list[tuple[str, dict[str, Any]]]):
        self.sentences = sentences
        super().__init__(field, self.localized("en"))

    def localized(self, language: str) -> str:
        return " ".join(translate(language, message, **_in_language(values, language))
                        for message, values in self.sentences)


def _in_language(values: dict[str, Any], language: str) -> dict[str, Any]:
    return {key: value.in_language(language) if hasattr(value, "in_language") else value
            for key, value in values.items()}


@dataclass(frozen=True)
class LanguageNames:
    """Languages by name, as a list in the message's language: "English and Danish"."""

    codes: tuple[str, ...]

    def in_language(self, language: str) -> str:
        return format_list([language_name(code, language) for code in self.codes],
                           locale=Locale.parse(language))


def check_language(campaign: Campaign, requested: str) -> tuple[str, str | None]:
    """``'da'`` or ``'da+en'`` -> (letter language, translation language or None), as
    ``compose.letters.parse_languages``; a language the campaign has no message in is
    refused with why, in words the page gives in its own language: the campaign's
    languages, that the letters print its message as written, and, for the language of
    recipients abroad (Korean), what their copies are in by default (English)."""
    codes = [part.strip().lower() for part in requested.split("+")]
    for code in codes if len(codes) <= 2 and all(codes) else []:  # else: how to write one
        if code in campaign.messages:
            continue
        languages = tuple(campaign.languages)
        values: dict[str, Any] = {"value": repr(code), "campaign": campaign.id,
                                  "codes": ", ".join(languages),
                                  "languages": LanguageNames(languages)}
        if len(languages) > 1:
            values["pair"] = "+".join(languages[::-1][:2])
        sentences: list[tuple[str, dict[str, Any]]] = [(
            LANGUAGE_NOT_IN_CAMPAIGN if len(languages) > 1 else LANGUAGE_NOT_IN_CAMPAIGN_ONE,
            values)]
        abroad = [r.country for r in campaign.postal_recipients
                  if r.country != campaign.partner_city.country]
        spoken = next((country for country in dict.fromkeys(abroad)
                       if code in get_official_languages(country)), None)
        if spoken is not None and "en" in campaign.messages:
            sentences.append((COPIES_IN_ENGLISH, {"country": CountryName(spoken)}))
        raise LetterWordsError("language", sentences)
    return parse_languages(campaign, requested)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
