"""Who the letters name: each office's holder is a dated, sourced fact, and a letter names
a person only where that fact is still good on the letter's date.

In: a campaign's recipients (office, holder, the elections that can change the holder),
the letter's date and the ``--address-by`` choice. Out: for each recipient, whether the
letters name the holder or address the office, why, and the campaign texts with their
``{reference}`` slots filled in accordingly. Nothing here draws or prints.

The rule for ``auto`` (the default): a holder is named only when a source confirmed them
after the latest election for the office held on or before the letter's date, within two
years of that date, and not as an acting holder. Otherwise every text of every letter
addresses the office.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from campaign_letters.compose.dates import long_date
from campaign_letters.model import AddressBy, Campaign, Election, Holder, Message, Recipient
from campaign_letters.wording import (
    BY_OFFICE_ACTING,
    BY_OFFICE_NO_HOLDER,
    BY_OFFICE_NOT_YET,
    BY_OFFICE_STALE,
    BY_OFFICE_UNCONFIRMED,
    NO_ADDRESS,
    translate,
)

STALE_AFTER_YEARS = 2
# A slot in a campaign text: {naju-mayor}, or {name} inside a reference's own wording.
SLOT = re.compile(r"\{([a-z0-9]+(?:[-_][a-z0-9]+)*)\}")
HOLDER_FIELDS = frozenset({"name", "family_name", "name_ko"})

Reason = Literal["confirmed", "requested", "unconfirmed", "stale", "acting", "no-holder",
                 "not-yet"]


@dataclass(frozen=True)
class Addressing:
    """How the letters of one volunteer name one recipient."""

    recipient: Recipient
    by_name: bool
    reason: Reason  # why: "confirmed" or "requested" when by name
    election: Election | None = None  # the election since which nobody has confirmed

    @property
    def holder(self) -> Holder | None:
        return self.recipient.holder if self.by_name else None

    @property
    def needs_a_word(self) -> bool:
        """The volunteer is told why this office is addressed rather than a person."""
        return not self.by_name and self.reason != "requested" and names_a_person(
            self.recipient)


def two_years_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - STALE_AFTER_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year - STALE_AFTER_YEARS, day=28)


def holder_status(recipient: Recipient, on: dt.date) -> tuple[Reason, Election | None]:
    """Whether the recorded holder can be named on ``on``, and if not, why."""
    holder = recipient.holder
    if holder is None:
        return "no-holder", None
    if holder.since is not None and holder.since > on:
        return "not-yet", None
    election = recipient.latest_election(on)
    if election is not None and holder.confirmed <= election.date:
        return "unconfirmed", election
    if holder.acting:
        return "acting", None
    if holder.confirmed < two_years_before(on):
        return "stale", None
    return "confirmed", None


def decide(recipient: Recipient, on: dt.date, address_by: AddressBy = "auto") -> Addressing:
    """By name or by office, for the letters dated ``on``.

    ``name`` names every recorded holder but an acting one (an office with none falls
    back to the office); ``office`` names nobody; ``auto`` names only confirmed holders
    (see the module doc).
    """
    status, election = holder_status(recipient, on)
    if address_by == "office":
        return Addressing(recipient, False, "requested")
    holder = recipient.holder
    if address_by == "name" and holder is not None and not holder.acting and \
            status != "not-yet":
        return Addressing(recipient, True, "requested")
    return Addressing(recipient, status == "confirmed", status, election)


def decide_all(campaign: Campaign, on: dt.date, address_by: AddressBy = "auto"
               ) -> dict[str, Addressing]:
    return {r.id: decide(r, on, address_by) for r in campaign.recipients}


def names_a_person(recipient: Recipient) -> bool:
    """Whether any text could name this recipient's holder (an office held by one person,
    not a council)."""
    addressees = [a.addressee for a in (recipient.address, recipient.address_ko) if a]
    return recipient.holder is not None or any(SLOT.search(a) for a in addressees)


# -- filling in the texts --------------------------------------------------------------------

def fill_holder(template: str, holder: Holder | None) -> str:
    """A wording with ``{name}``, ``{family_name}`` or ``{name_ko}`` filled in.

    >>> fill_holder("Borgmester {name}", Holder("Mads Skau", dt.date(2025, 11, 19), "x"))
    'Borgmester Mads Skau'
    """
    if holder is None:
        raise ValueError(f"{template!r} needs a holder")
    values = holder.fields()
    return SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), template)


def fill(text: str, message: Message, decisions: dict[str, Addressing]) -> str:
    """``text`` of ``message`` with each ``{reference}`` worded by name or by office."""
    def replace(match: re.Match[str]) -> str:
        reference = message.references.get(match.group(1))
        if reference is None:  # check refuses these; a campaign that loads has none
            return match.group(0)
        decision = decisions[reference.recipient]
        if decision.by_name:
            return fill_holder(reference.by_name, decision.recipient.holder)
        return reference.by_office

    return SLOT.sub(replace, text) if "{" in text else text


def addressee(template: str, by_office: str | None, decision: Addressing | None) -> str:
    """An address's first line: by name where the letters name the holder."""
    if decision is not None and decision.by_name and decision.recipient.holder is not None:
        return fill_holder(template, decision.recipient.holder)
    if by_office is not None:
        return by_office
    return template


def display_name(decision: Addressing, language: str) -> str:
    """How a copy line or heading names a recipient: 'Mads Skau, Mayor of Haderslev' or
    'Mayor of Naju', in ``language``."""
    office = decision.recipient.office_in(language)
    holder = decision.holder
    return f"{holder.name}, {office}" if holder is not None else office


# -- what the volunteer is told --------------------------------------------------------------

def volunteer_notes(campaign: Campaign, decisions: dict[str, Addressing], language: str,
                    recipients: tuple[Recipient, ...] | None = None) -> list[str]:
    """One plain sentence for each office the letters address instead of a person, and
    for each recipient who gets no letter, in ``language``."""
    notes = []
    for recipient in recipients if recipients is not None else campaign.recipients:
        if not recipient.has_postal_address:
            notes.append(translate(language, NO_ADDRESS,
                                   office=recipient.office_in(language)))
            continue
        note = reason_sentence(decisions[recipient.id], language)
        if note:
            notes.append(note)
    return notes


def reason_sentence(decision: Addressing, language: str) -> str | None:
    """Why ``decision`` addresses the office, in a sentence; None when it needs no word."""
    if not decision.needs_a_word:
        return None
    office = decision.recipient.office_in(language)
    holder = decision.recipient.holder
    if decision.reason == "unconfirmed" and decision.election is not None:
        return translate(language, BY_OFFICE_UNCONFIRMED, office=office,
                         date=long_date(decision.election.date, language))
    if decision.reason == "stale" and holder is not None:
        return translate(language, BY_OFFICE_STALE, office=office,
                         date=long_date(holder.confirmed, language), years=STALE_AFTER_YEARS)
    if decision.reason == "acting":
        return translate(language, BY_OFFICE_ACTING, office=office)
    if decision.reason == "not-yet" and holder is not None and holder.since is not None:
        return translate(language, BY_OFFICE_NOT_YET, office=office,
                         date=long_date(holder.since, language))
    return translate(language, BY_OFFICE_NO_HOLDER, office=office)


# -- what the organizer is told --------------------------------------------------------------

@dataclass(frozen=True)
class OfficialRow:
    """One line of ``campaign-letters officials``."""

    campaign: str
    recipient: str  # its id, as `confirm` takes it
    office: str
    holder: str
    since: str
    confirmed: str
    source: str
    status: str


def status_text(recipient: Recipient, on: dt.date) -> str:
    """The holder's standing on ``on``, for organizers, in English."""
    if not recipient.has_postal_address:
        return "no postal address: no letter"
    status, election = holder_status(recipient, on)
    if status == "no-holder":
        if not names_a_person(recipient):
            return "by office (a body, not a person)"
        last = recipient.former[0] if recipient.former else None
        left = f"; {last.name} left on {last.until.isoformat()}" if last and last.until \
            else ""
        return f"by office (no holder recorded{left}): record one with `confirm`"
    if status == "unconfirmed" and election is not None:
        return (f"UNCONFIRMED since the {election.name} of {election.date.isoformat()}: "
                "letters address the office")
    if status == "stale":
        return (f"UNCONFIRMED for over {STALE_AFTER_YEARS} years: letters address the "
                "office")
    if status == "acting":
        return "acting holder: letters address the office"
    if status == "not-yet":
        return "holder not yet in office: letters address the office"
    return "confirmed: letters name the holder"


def official_rows(campaign: Campaign, on: dt.date) -> list[OfficialRow]:
    rows = []
    for recipient in campaign.recipients:
        holder = recipient.holder
        name = ""
        if holder is not None:
            name = holder.name + (f" ({holder.name_ko})" if holder.name_ko else "") + \
                (" (acting)" if holder.acting else "")
        rows.append(OfficialRow(
            campaign=campaign.id, recipient=recipient.id, office=recipient.office,
            holder=name or "-",
            since=holder.since.isoformat() if holder and holder.since else "-",
            confirmed=holder.confirmed.isoformat() if holder else "-",
            source=(holder.source + (f" <{holder.url}>" if holder.url else "")) if holder
            else "-",
            status=status_text(recipient, on)))
    return rows
