"""Campaign + sender + options -> the letters to print, every word decided, nothing drawn.

One letter per recipient with a postal address: the primary first, then the copies in the
campaign's order, each headed as a copy and naming the others in its copy line. Officials
are named or addressed by office as ``officials`` decides for the letter's date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from campaign_letters.compose import address, officials, paper
from campaign_letters.compose.dates import place_and_date
from campaign_letters.compose.officials import Addressing
from campaign_letters.errors import InputError
from campaign_letters.model import (
    BodyItem,
    Campaign,
    LetterOptions,
    Link,  # noqa: F401 - in the doctest
    LinkItem,
    Message,
    Recipient,
    Sender,
)
from campaign_letters.text.typography import typeset
from campaign_letters.wording import (
    COPY_MARK,
    COPY_OF,
    COPY_TO,
    TRANSLATION,
    language_name,
    translate,
)


@dataclass(frozen=True)
class LinkList:
    """Links that follow one another in a message: one list in the letter, on the page
    and in the e-mail."""

    links: tuple[LinkItem, ...]


def body_blocks(body: Sequence[BodyItem]) -> list[str | LinkList]:
    """A message body as it reads: paragraphs, and lists of the links that follow one
    another. A link whose title and address are both lost shows nothing, and the paragraph
    that announced it ends its sentence instead of pointing at nothing.

    >>> lost, video = Link("p", "petition"), Link("v", "video")
    >>> body_blocks(("Watch:", LinkItem(video, "A film"), "Sign it:", LinkItem(lost, None)))
    ['Watch:', LinkList(links=(LinkItem(link=Link(id='v', kind='video', url=None), \
label='A film'),)), 'Sign it.']
    """
    blocks: list[str | LinkList] = []
    in_links = False
    for index, item in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else None
        if isinstance(item, LinkItem):
            if item.label or item.link.url:
                if in_links and blocks and isinstance(blocks[-1], LinkList):
                    blocks[-1] = LinkList((*blocks[-1].links, item))
                else:
                    blocks.append(LinkList((item,)))
            in_links = True
            continue
        in_links = False
        if isinstance(following, LinkItem) and not (following.label or following.link.url) \
                and item.rstrip().endswith(":"):
            item = item.rstrip()[:-1] + "."
        blocks.append(item)
    return blocks


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
    copy_of: str | None = None  # "Copy of the letter sent to: ..." above the salutation
    date: dt.date | None = None  # the date it carries (the PDF's creation date too)

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
    languages = campaign.languages
    choices = f"choose one of {', '.join(languages)} (or a pair such as " \
        f"{'+'.join(languages[::-1][:2])})" if len(languages) > 1 else \
        f"it has only {languages[0]}"
    for code in codes:
        if code not in campaign.messages:
            raise InputError("language", f"{code!r} is not a language of campaign "
                                         f"{campaign.id}; {choices}")
    if len(codes) == 2 and codes[0] == codes[1]:
        raise InputError("language", f"{requested!r} names the same language twice")
    return codes[0], codes[1] if len(codes) == 2 else None


def choose_language(campaign: Campaign, sender_country: str, requested: str | None) -> str:
    """The main letter's language: ``--language`` as given, or the local message for
    senders in the partner city's country, else English."""
    if requested and requested.strip():
        parse_languages(campaign, requested)
        return requested.strip().lower()
    if sender_country == campaign.partner_city.country:
        local = [code for code in campaign.languages if code != "en"]
        if local:
            return local[0]
    return "en"


def letter_language(campaign: Campaign, recipient: Recipient, main: str,
                    explicit: bool) -> str:
    """A letter's language: an explicit choice applies to every letter; otherwise copies
    abroad (to South Korea) go in English, which their city halls can read, and the
    others in the main letter's language."""
    if explicit or recipient.role == "primary" or \
            recipient.country == campaign.partner_city.country or main == "en":
        return main
    return "en" if "en" in campaign.messages else main


def _text(message: Message, decisions: dict[str, Addressing], note: str | None = None,
          heading: str | None = None) -> LetterText:
    def filled(text: str) -> str:
        # The language's quotation marks, apostrophes and spaces (French « … » and its
        # no-break spaces): campaign text only, never what a volunteer typed (the note).
        return typeset(officials.fill(text, message, decisions), message.language)

    def filled_item(item: BodyItem) -> BodyItem:
        if isinstance(item, str):
            return filled(item)
        return LinkItem(item.link, filled(item.label)) if item.label else item

    return LetterText(language=message.language, subject=filled(message.subject),
                      salutation=filled(message.salutation),
                      body=tuple(filled_item(item) for item in message.body),
                      closing=filled(message.closing), note=note, heading=heading)


def texts(campaign: Campaign, requested: str, decisions: dict[str, Addressing],
          note: str | None = None) -> tuple[LetterText, LetterText | None]:
    """The letter's words in ``requested`` ('da' or 'da+en'), and its translation."""
    language, second = parse_languages(campaign, requested)
    text = _text(campaign.messages[language], decisions, note)
    translation = None
    if second:
        heading = translate(second, TRANSLATION, language=language_name(second, second))
        translation = _text(campaign.messages[second], decisions, heading=heading)
    return text, translation


def copy_heading(campaign: Campaign, recipient: Recipient, language: str,
                 decisions: dict[str, Addressing]) -> str | None:
    """"Copy of the letter sent to: Mayor of Haderslev" on each letter to someone other
    than the main addressee; for South Korea also the Korean word, 사본."""
    if recipient.role == "primary":
        return None
    primary = campaign.primary
    heading = translate(language, COPY_OF,
                        recipient=officials.display_name(decisions[primary.id], language))
    if recipient.country == "KR" and language != "ko":
        heading = f"{translate('ko', COPY_MARK)} · {heading}"
    return heading


def compose_letters(campaign: Campaign, sender: Sender, options: LetterOptions
                    ) -> list[Letter]:
    campaign = campaign.on(options.date)  # the addresses valid on the letters' date
    try:
        geometry = paper.resolve(options.paper, options.envelope, sender.country)
    except ValueError as exc:
        raise InputError("envelope", str(exc)) from None
    explicit = bool(options.language and options.language.strip())
    main = choose_language(campaign, sender.country, options.language)
    decisions = officials.decide_all(campaign, options.date, options.address_by)
    recipients = list(campaign.postal_recipients)
    if options.to == "primary":
        recipients = recipients[:1]
    everyone = list(campaign.postal_recipients)
    by_language: dict[str, tuple[LetterText, LetterText | None]] = {}
    letters = []
    for recipient in recipients:
        requested = letter_language(campaign, recipient, main, explicit)
        if requested not in by_language:
            by_language[requested] = texts(campaign, requested, decisions, options.note)
        text, translation = by_language[requested]
        language = text.language
        others = [officials.display_name(decisions[r.id], language)
                  for r in everyone if r.id != recipient.id]
        copy_line = f"{translate(language, COPY_TO)} {'; '.join(others)}" if others else None
        letters.append(Letter(
            campaign_id=campaign.id,
            recipient=recipient,
            geometry=geometry,
            sender=sender,
            sender_lines=tuple(address.sender_lines(sender, language)),
            return_parts=tuple(address.return_address_parts(sender, recipient.country)),
            recipient_lines=tuple(address.recipient_lines(recipient, sender.country,
                                                          decisions[recipient.id])),
            place_date=place_and_date(address.date_place(sender), options.date, language,
                                      sender.country),
            text=text,
            copy_line=copy_line,
            translation=translation,
            copy_of=copy_heading(campaign, recipient, language, decisions),
            date=options.date,
        ))
    return letters
