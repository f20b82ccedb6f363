"""Every exception campaign_letters raises on purpose, in one tree:

    CampaignLettersError            a problem the user can fix (input, files, settings)
    ├── CampaignError               a campaign's data
    │   ├── CampaignValidationError a campaign file's problems, all of them (.problems)
    │   │   └── YamlFileError       not YAML the project reads (syntax, tags, size)
    │   └── UnknownCampaignError    neither a bundled id nor a file
    ├── InputError                  one field or option a person typed (.field)
    │   └── MissingGlyphError       a character no bundled font has
    ├── InputErrors                 several of them, found in one run (.errors)
    ├── LayoutError                 something that cannot be placed on the page
    ├── OutputError                 an output file that cannot be written
    ├── RosterError                 a roster that cannot be read as a whole
    └── MailError                   a mail run that cannot go on (no pack, no server)

Each carries a message written for the person at the keyboard: where the problem is,
what is wrong and how to fix it. The command line prints them as ``Error: ...`` without a
traceback, the page in the volunteer's language; anything else escaping is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaign_letters.wording import web_text


class CampaignLettersError(Exception):
    """Base class of every error campaign-letters raises on purpose: a problem the user can
    fix by changing their input, their files or their settings."""


class CampaignError(CampaignLettersError):
    """A problem with a campaign's data (its file, its recipients, its letters)."""


class OutputError(CampaignLettersError):
    """An output file cannot be written (a full disk, a read-only folder, ...)."""


@dataclass(frozen=True)
class Problem:
    """One finding of ``check``: a place, the field, what is wrong and a hint."""

    path: str
    line: int | None
    field: str
    message: str
    is_warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "warning: " if self.is_warning else ""
        field = f"{self.field}: " if self.field else ""
        return f"{where}: {kind}{field}{self.message}"


class CampaignValidationError(CampaignError):
    """A campaign file has errors; ``.problems`` lists all of them (warnings too)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if not p.is_warning]
        super().__init__("\n".join(str(p) for p in errors))


class YamlFileError(CampaignValidationError):
    """A campaign file that is not YAML the project reads: a syntax error, an unsafe tag,
    too large or too deep."""


class UnknownCampaignError(CampaignError):
    """A campaign id that is neither bundled nor a file."""


class InputError(CampaignLettersError):
    """A sender field or option the user gave is unusable.

    ``field`` is the internal field name (``postal_code``), so the CLI can name its
    option (``--postal-code``) and the web form its label. ``message`` is in English;
    made with ``InputError.of``, the error also knows its catalog message and values, so
    that the web page can say it in the volunteer's language (``localized``).
    """

    def __init__(self, field: str, message: str, template: str | None = None,
                 values: dict[str, Any] | None = None):
        self.field = field
        self.message = message
        self.template = template
        self.values = values or {}
        super().__init__(message)

    @classmethod
    def of(cls, field: str, template: str, **values: Any) -> InputError:
        """An error worded by a ``W_`` catalog message; values that know their own
        language (a country) give their English form here."""
        return cls(field, template % _in_language(values, "en"), template, values)

    def localized(self, language: str) -> str:
        if self.template is None:
            return self.message
        return web_text(language, self.template, **_in_language(self.values, language))


def _in_language(values: dict[str, Any], language: str) -> dict[str, Any]:
    return {key: value.in_language(language) if hasattr(value, "in_language") else value
            for key, value in values.items()}


class InputErrors(CampaignLettersError):
    """Several fields or options are unusable: all of them, found in one run."""

    def __init__(self, errors: list[InputError]):
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))


class MissingGlyphError(InputError):
    """A character that none of the bundled fonts can draw."""


class LayoutError(CampaignLettersError):
    """Something that cannot be placed on the page, e.g. an address too long for the window."""


class RosterError(CampaignLettersError):
    """The roster as a whole cannot be read (no row is produced)."""


class MailError(CampaignLettersError):
    """The mail run cannot go on (no pack, no server): nothing more is sent."""
