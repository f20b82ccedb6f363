"""Campaign + sender + options -> the letters to print, every word decided, nothing drawn.

One letter per recipient with a postal address: the primary first, then the copies in the
campaign's order, each naming the others in its copy line.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import address, paper
from .dates import place_and_date
from .errors import InputError
from .labels import COPY_TO, TRANSLATION, language_name, translate
from .model import BodyItem, Campaign, LetterOptions, Message, Recipient, Sender


@dataclass(frozen=True)
class LetterText:
    """The words of a letter in one language, from subject to closing."""

    language: str
    subject: str
    salutation: str
    body: tuple[BodyItem, ...]
    closing: str
    note: str | None = None  # the volunteer's own paragraph, before the closing
    heading: str | None = None  # "Translation (English)" on a translation


@dataclass(frozen=True)
class Letter:
    campaign_id: str
    recipient: Recipient
    geometry: paper.Geometry
    sender: Sender
    sender_lines: tuple[str, ...]
    return_parts: tuple[str, ...]
    recipient_lines: tuple[str, ...]
    place_date: str
    text: LetterText
    copy_line: str | None
    translation: LetterText | None = None

    @property
    def language(self) -> str:
        return self.text.language

    @property
    def subject(self) -> str:
        return self.text.subject


def parse_languages(campaign: Campaign, requested: str) -> tuple[str, str | None]:
    """``'da'`` or ``'da+en'`` -> (letter language, translation language or None)."""
    codes = [code.strip().lower() for code in requested.split("+")]
    if len(codes) > 2 or not all(codes):
        raise InputError("language", f"{requested!r}: give one language, or two joined "
                                     "by '+', e.g. da+en")
    for code in codes:
        if code not in campaign.messages:
            raise InputError("language", f"{code!r} is not a language of campaign "
                                         f"{campaign.id}; choose one of "
                                         f"{', '.join(campaign.languages)} (or a pair such "
                                         f"as {'+'.join(campaign.languages[::-1][:2])})")
    if len(codes) == 2 and codes[0] == codes[1]:
        raise InputError("language", f"{requested!r} names the same language twice")
    return codes[0], codes[1] if len(codes) == 2 else None


def choose_language(campaign: Campaign, sender: Sender, requested: str | None) -> str:
    """``--language`` as given, or the local message for senders in the partner city's
    country, else English."""
    if requested and requested.strip():
        parse_languages(campaign, requested)
        return requested.strip().lower()
    if sender.country == campaign.partner_city.country:
        local = [code for code in campaign.languages if code != "en"]
        if local:
            return local[0]
    return "en"


def _text(message: Message, by_office: bool, note: str | None = None,
          heading: str | None = None) -> LetterText:
    subject = (message.subject_by_office if by_office else None) or message.subject
    salutation = (message.salutation_by_office if by_office else None) or message.salutation
    return LetterText(language=message.language, subject=subject, salutation=salutation,
                      body=message.body, closing=message.closing, note=note, heading=heading)


def compose_letters(campaign: Campaign, sender: Sender, options: LetterOptions
                    ) -> list[Letter]:
    try:
        geometry = paper.resolve(options.paper, options.envelope, sender.country)
    except ValueError as exc:
        raise InputError("envelope", str(exc)) from None
    language, second = parse_languages(campaign, options.language)
    by_office = options.address_by == "office"
    text = _text(campaign.messages[language], by_office, options.note)
    translation = None
    if second:
        heading = translate(second, TRANSLATION, language=language_name(second, second))
        translation = _text(campaign.messages[second], by_office, heading=heading)
    recipients = list(campaign.postal_recipients)
    if options.to == "primary":
        recipients = recipients[:1]
    everyone = list(campaign.postal_recipients)
    sender_lines = tuple(address.sender_lines(sender, language))
    dated = place_and_date(sender.city, options.date, language, sender.country)
    letters = []
    for recipient in recipients:
        others = [address.recipient_display_name(r, options.address_by)
                  for r in everyone if r.id != recipient.id]
        copy_line = f"{translate(language, COPY_TO)} {'; '.join(others)}" if others else None
        country = recipient.address.country if recipient.address else "KR"
        letters.append(Letter(
            campaign_id=campaign.id,
            recipient=recipient,
            geometry=geometry,
            sender=sender,
            sender_lines=sender_lines,
            return_parts=tuple(address.return_address_parts(sender, country)),
            recipient_lines=tuple(address.recipient_lines(recipient, sender.country,
                                                          options.address_by)),
            place_date=dated,
            text=text,
            copy_line=copy_line,
            translation=translation,
        ))
    return letters
