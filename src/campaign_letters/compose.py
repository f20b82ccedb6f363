"""Campaign + sender + options -> the letters to print, every word decided, nothing drawn.

One letter per recipient with a postal address: the primary first, then the copies in the
campaign's order, each naming the others in its copy line.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import address, paper
from .dates import place_and_date
from .errors import InputError
from .labels import label
from .model import BodyItem, Campaign, LetterOptions, Recipient, Sender


@dataclass(frozen=True)
class Letter:
    campaign_id: str
    recipient: Recipient
    language: str
    geometry: paper.Geometry
    sender: Sender
    sender_lines: tuple[str, ...]
    return_parts: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    place_date: str
    subject: str
    salutation: str
    body: tuple[BodyItem, ...]
    closing: str
    copy_line: str | None


def choose_language(campaign: Campaign, sender: Sender, requested: str | None) -> str:
    """``--language``, or the local message for senders in the partner city's country."""
    if requested:
        code = requested.strip().lower()
        if code not in campaign.messages:
            raise InputError("language", f"{requested!r} is not a language of campaign "
                                         f"{campaign.id}; choose one of "
                                         f"{', '.join(campaign.languages)}")
        return code
    if sender.country == campaign.partner_city.country:
        local = [code for code in campaign.languages if code != "en"]
        if local:
            return local[0]
    return "en"


def compose_letters(campaign: Campaign, sender: Sender, options: LetterOptions
                    ) -> list[Letter]:
    try:
        geometry = paper.resolve(options.paper, options.envelope, sender.country)
    except ValueError as exc:
        raise InputError("envelope", str(exc)) from None
    message = campaign.messages[options.language]
    by_office = options.address_by == "office"
    subject = (message.subject_by_office if by_office else None) or message.subject
    salutation = (message.salutation_by_office if by_office else None) or message.salutation
    recipients = list(campaign.postal_recipients)
    if options.to == "primary":
        recipients = recipients[:1]
    everyone = list(campaign.postal_recipients)
    sender_lines = tuple(address.sender_lines(sender, options.language))
    dated = place_and_date(sender.city, options.date, options.language, sender.country)
    letters = []
    for recipient in recipients:
        others = [address.recipient_display_name(r, options.address_by)
                  for r in everyone if r.id != recipient.id]
        copy_line = f"{label(options.language, 'copy_to')} {'; '.join(others)}" \
            if others else None
        country = recipient.address.country if recipient.address else "KR"
        letters.append(Letter(
            campaign_id=campaign.id,
            recipient=recipient,
            language=options.language,
            geometry=geometry,
            sender=sender,
            sender_lines=sender_lines,
            return_parts=tuple(address.return_address_parts(sender, country)),
            recipient_lines=tuple(address.recipient_lines(recipient, sender.country,
                                                          options.address_by)),
            place_date=dated,
            subject=subject,
            salutation=salutation,
            body=message.body,
            closing=message.closing,
            copy_line=copy_line,
        ))
    return letters
