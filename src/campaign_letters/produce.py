"""One volunteer's letters for one campaign, start to finish: the step the command line
and the web page share, so both make the same letters and say the same things."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from campaign_letters.compose import officials
from campaign_letters.compose.letters import Letter, compose_letters
from campaign_letters.errors import CampaignError
from campaign_letters.layout.pages import window_warnings
from campaign_letters.layout.render import render_document
from campaign_letters.model import AddressBy, Campaign, LetterOptions, Sender, SendTo


@dataclass(frozen=True)
class VolunteerLetters:
    pdf: bytes
    letters: tuple[Letter, ...]
    pages: tuple[int, ...]  # pages of each letter
    warnings: tuple[str, ...]  # for the volunteer: too many sheets for the envelope, ...
    notes: tuple[str, ...] = ()  # for the volunteer: offices addressed, recipients missing
    # Each letter's recipient as the letters name them ("Mads Skau, Mayor of Haderslev" or
    # "Mayor of Naju"), in the main letter's language: what an e-mail about them says.
    addressed: tuple[str, ...] = ()

    @property
    def language(self) -> str:
        return self.letters[0].language


def recipient_notes(campaign: Campaign, date: dt.date, language: str,
                    address_by: AddressBy = "auto", to: SendTo = "all",
                    decisions: dict[str, officials.Addressing] | None = None) -> list[str]:
    """What the volunteer is told, in ``language``, about who the letters go to: one
    sentence per office addressed instead of a person, and per recipient with no letter.
    ``decisions``: the letters' own, when they are already made."""
    if decisions is None:
        decisions = officials.decide_all(campaign, date, address_by)
    recipients = campaign.recipients if to == "all" else (campaign.primary,)
    return officials.volunteer_notes(campaign, decisions, language, recipients)


def produce_letters(campaign: Campaign, sender: Sender, *, date: dt.date,
                    language: str | None = None, to: SendTo = "all", paper: str = "auto",
                    envelope: str = "auto", address_by: AddressBy = "auto",
                    note: str | None = None, plain: bool | None = None,
                    pdf_standard: str = "ua-1") -> VolunteerLetters:
    """Compose and render; raise InputError/LayoutError/CampaignError for bad input.
    ``pdf_standard``: "ua-1" (tagged, always) or "a-2b" (PDF/A-2b as well)."""
    options = LetterOptions(language=language, date=date, to=to,
                            paper=paper, envelope=envelope,
                            address_by=address_by, note=note)
    letters = compose_letters(campaign, sender, options)
    if not letters:
        raise CampaignError(f"campaign {campaign.id} has no recipient with a postal address")
    rendered = render_document(letters, f"{campaign.title} – letters from {sender.name}",
                               plain, pdf_standard)
    warnings = []
    geometry = letters[0].geometry
    for letter, pages in zip(letters, rendered.pages, strict=True):
        if pages > geometry.envelope_sheets:
            warnings.append(
                f"the letter to {letter.recipient.office} has {pages} pages; a "
                f"{geometry.envelope_name} holds about {geometry.envelope_sheets} folded "
                "sheets: print double-sided or use a larger envelope")
    warnings.extend(window_warnings(letters))  # an address taller than its window
    main = letters[0].language
    decisions = officials.decide_all(campaign, date, address_by)
    notes = recipient_notes(campaign, date, main, address_by, to, decisions)
    addressed = tuple(officials.display_name(decisions[letter.recipient.id], main)
                      for letter in letters)
    return VolunteerLetters(rendered.pdf, tuple(letters), rendered.pages, tuple(warnings),
                            tuple(notes), addressed)
