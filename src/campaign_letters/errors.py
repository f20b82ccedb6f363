"""Every exception campaign_letters raises on purpose.

Each carries a message written for the person at the keyboard: where the problem is,
what is wrong and how to fix it. The CLI prints them as ``Error: ...`` without a
traceback; anything else escaping is a bug.
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
