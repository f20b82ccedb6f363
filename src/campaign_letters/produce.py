"""One volunteer's letters for one campaign, start to finish: the step the command line
and the web page share, so both make the same letters and say the same things."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .compose import Letter, choose_language, compose_letters
from .errors import CampaignError
from .model import Campaign, LetterOptions, Sender
from .render import render_document


@dataclass(frozen=True)
class LetterPack:
    pdf: bytes
    letters: tuple[Letter, ...]
    pages: tuple[int, ...]  # pages of each letter
    warnings: tuple[str, ...]  # for the volunteer: too many sheets for the envelope, ...

    @property
    def language(self) -> str:
        return self.letters[0].language


def missing_recipient_notes(campaign: Campaign) -> list[str]:
    return [f"no letter for {r.office}: {r.missing}" for r in campaign.missing_recipients]


def produce_letters(campaign: Campaign, sender: Sender, *, date: dt.date,
                    language: str | None = None, to: str = "all", paper: str = "auto",
                    envelope: str = "auto", address_by: str = "name",
                    note: str | None = None) -> LetterPack:
    """Compose and render; raise InputError/LayoutError/CampaignError for bad input."""
    options = LetterOptions(language=choose_language(campaign, sender, language), date=date,
                            to=to, paper=paper, envelope=envelope,  # type: ignore[arg-type]
                            address_by=address_by, note=note)  # type: ignore[arg-type]
    letters = compose_letters(campaign, sender, options)
    if not letters:
        raise CampaignError(f"campaign {campaign.id} has no recipient with a postal address")
    rendered = render_document(letters, f"{campaign.title} – letters from {sender.name}")
    warnings = []
    geometry = letters[0].geometry
    for letter, pages in zip(letters, rendered.pages, strict=True):
        if pages > geometry.envelope_sheets:
            warnings.append(
                f"the letter to {letter.recipient.office} has {pages} pages; a "
                f"{geometry.envelope_name} holds about {geometry.envelope_sheets} folded "
                "sheets: print double-sided or use a larger envelope")
    return LetterPack(rendered.pdf, tuple(letters), rendered.pages, tuple(warnings))
