"""``campaign-letters mail PACK_DIR``: each volunteer of a pack e-mailed their own letters.

In: a pack folder (``pack.json`` says where its campaign and roster are; ``manifest.csv``
which letters were made), the roster's e-mail addresses and languages, an SMTP server.
Out: one message per volunteer with an address, to them alone (never to an official), in
their letters' language, their PDF attached, saying what to do with it; a journal of
every outcome in the pack folder; a ``mail_status`` column in the manifest.

Never twice: each outcome is journalled (and flushed to disk) as the server answers, so a
re-run after a crash or Ctrl-C sends only what the server has not accepted. Never lost:
temporary refusals (4xx) and dropped connections are retried with growing pauses on a
new connection; permanent ones (5xx) are recorded with the server's reply and the row.

Messages come from templates: ``<lang>.txt`` in ``templates/`` (en, da, it, fr, de, ko),
overridden per campaign and language by ``<campaign id>.mail.<lang>.txt`` beside the
campaign file or in ``--templates DIR``. The first line is ``Subject: ...``; ``$name``,
``$cities``, ``$recipients``, ``$letters`` and ``$campaign`` are filled in
(``string.Template``: a template is text, never code). Every word of a message is in the
letters' language: the campaign's title is English only, so the bundled templates name
the cities the letters go to instead ("Dine breve til Haderslev og Naju").
"""

from __future__ import annotations

import contextlib
import hashlib
import smtplib
import socket
import ssl
import string
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.errors import MessageError
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from babel.lists import format_list

from campaign_letters.campaign.load import load_campaign
from campaign_letters.errors import InputError, MailError
from campaign_letters.files import letters_filename, write_atomically
from campaign_letters.mail.draft import mail_address, message_policy
from campaign_letters.model import Campaign, City
from campaign_letters.pack.folder import (
    MAIL_DIR,
    Journal,
    ManifestRow,
    PackInfo,
    open_mail_journal,
    read_mail_journal,
    read_manifest,
    read_pack_journal,
    write_mail_statuses,
)
from campaign_letters.volunteer.roster import Roster, read_roster
from campaign_letters.volunteer.sender import check_email

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_PORTS = {"ssl": 465, "starttls": 25, "none": 25}


@dataclass(frozen=True)
class MailOptions:
    host: str = "localhost"
    port: int | None = None
    tls: str = "starttls"  # or "ssl", "none"
    user: str | None = None
    password: str | None = None
    sender: str = ""  # --from
    reply_to: str | None = None
    rate: float = 60.0  # messages a minute
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 3
    retry_after: float = 5.0  # seconds before the first retry, doubled each time
    dry_run: bool = False
    templates: Path | None = None
    roster: Path | None = None  # when the pack's own roster path no longer holds it
    sheet: str | None = None


@dataclass
class Outcome:
    row: int
    status: str  # sent, failed: <why>, skipped: <why>; the manifest's mail_status
    sent_now: bool = False


@dataclass(frozen=True)
class Volunteer:
    row: int
    name: str
    email: str
    language: str  # the letters', as pack decided
    pdf: Path
    sha256: str
    addressed: tuple[str, ...]  # each letter's recipient, as pack's letters name them


def recipients_text(addressed: tuple[str, ...]) -> str:
    """The list of whom the letters go to, for a template's ``$recipients``."""
    return "\n".join(f"- {name[:1].upper()}{name[1:]}" for name in addressed)


def cities_text(campaign: Campaign, language: str, to: str = "all") -> str:
    """The cities the letters go to, in letter order, joined as ``language`` joins a list,
    for a template's ``$cities``: "Haderslev og Naju", "Milano e Daegu".

    The partner city goes by its name in its own post's address where the letters are in
    the campaign's local language (Milano, not Milan); the Korean city by its Korean name
    in Korean; otherwise by the campaign's name for it.
    """
    recipients = campaign.postal_recipients if to == "all" else (campaign.primary,)
    local = [code for code in campaign.languages if code != "en"]
    names: list[str] = []
    for recipient in recipients:
        city: City = campaign.korean_city if recipient.country == "KR" \
            else campaign.partner_city
        name = city.name
        if city is campaign.korean_city and language == "ko" and city.name_ko:
            name = city.name_ko
        elif city is campaign.partner_city and language in local[:1] and \
                recipient.address is not None and \
                recipient.address.country == city.country:
            name = recipient.address.city
        if name not in names:
            names.append(name)
    try:
        return format_list(names, locale=language)
    except ValueError:  # not a language CLDR knows
        return format_list(names, locale="en")


# -- what is sent -------------------------------------------------------------------------

def template_for(campaign: Campaign, language: str, folder: Path | None) -> tuple[str, str]:
    """(subject, body) of the template for ``campaign`` in ``language``."""
    candidates = []
    if folder is not None:
        candidates += [folder / f"{campaign.id}.{language}.txt", folder / f"{language}.txt"]
    if campaign.path:
        candidates.append(Path(campaign.path).with_name(f"{campaign.id}.mail.{language}.txt"))
    candidates += [TEMPLATES / f"{language}.txt", TEMPLATES / "en.txt"]
    path = next(p for p in candidates if p.is_file())
    text = path.read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.lower().startswith("subject:"):
        raise MailError(f"{path}:1: a mail template starts with 'Subject: ...', then a blank "
                        "line, then the text")
    return first.split(":", 1)[1].strip(), body.lstrip("\n")


def build_message(volunteer: Volunteer, campaign: Campaign, options: MailOptions,
                  subject: str, body: str, recipients: str, pdf: bytes,
                  cities: str = "") -> EmailMessage:
    """The message to one volunteer. Header values come through email.headerregistry,
    which refuses line breaks: no roster cell can add a header."""
    values = {"name": volunteer.name, "campaign": campaign.title, "recipients": recipients,
              "letters": str(recipients.count("\n") + 1),
              "cities": cities or cities_text(campaign, volunteer.language)}
    display, address = parseaddr(options.sender)
    message = EmailMessage(policy=message_policy(address, volunteer.email))
    message["Subject"] = string.Template(subject).safe_substitute(values)
    message["From"] = mail_address(display, address)
    message["To"] = mail_address(volunteer.name, volunteer.email)
    if options.reply_to:
        message["Reply-To"] = options.reply_to
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    message.set_content(string.Template(body).safe_substitute(values))
    message.add_attachment(pdf, maintype="application", subtype="pdf",
                           filename=letters_filename(campaign.id, volunteer.name, "pdf"))
    return message


# -- the pack's volunteers -------------------------------------------------------------------

def read_mail_roster(info: PackInfo, options: MailOptions) -> Roster:
    """The pack's roster (or --roster), read and checked before anything is sent: one
    with no e-mail column at all stops the run, saying how to give it one."""
    roster_path = options.roster or Path(info.roster)
    if not roster_path.is_file():
        raise MailError(f"the pack's roster {roster_path} is not there any more: give it "
                        "with --roster")
    roster = read_roster(roster_path, options.sheet or info.sheet)
    if roster.column("email") is None:
        fix = f"{roster.email_hint()} and run mail again" if roster.email_like else \
            "head the column of addresses email (or add one) and run mail again, or give " \
            "the roster that holds them with --roster"
        raise MailError(f"{roster.shown}: {roster.missing_emails()}: there is no one to "
                        f"write to, and nothing was sent; {fix}")
    return roster


def volunteers(pack_dir: Path, roster: Roster, manifest: list[ManifestRow]
               ) -> Iterator[Volunteer | Outcome]:
    """Each manifest row as a volunteer to write to, or as its outcome already, saying
    why for a row skipped. The letters' language and whom they address are what ``pack``
    recorded (pack/folder.py); the e-mail address is the roster's, checked by the rule
    every surface uses."""
    rows = {row.row: row for row in roster.rows()}
    email_column = roster.column("email")
    _, made = read_pack_journal(pack_dir)
    for entry in manifest:
        number = entry.row
        if not entry.is_made:
            yield Outcome(number, "skipped: the letters failed at pack (the manifest's "
                                  "problem column says why); fix the row and run pack again")
            continue
        roster_row = rows.get(number)
        if roster_row is None or roster_row.name != entry.name.strip():
            now = f"holds {roster_row.name!r}" if roster_row else "is gone"
            yield Outcome(number, f"failed: the roster's row {number} {now}, not "
                                  f"{entry.name!r}: the roster changed since the pack; "
                                  "run pack again")
            continue
        address = (roster_row.values.get("email") or "").strip()
        if not address:
            yield Outcome(number, "skipped: no e-mail address in the roster's email column "
                                  f"({email_column})")
            continue
        try:
            check_email("email", address)
        except InputError as exc:
            yield Outcome(number, f"failed: {exc.message}")
            continue
        decided = made.get(number, {})
        if not decided.get("language") or decided.get("sha256") != entry.sha256:
            yield Outcome(number, "failed: the pack does not record this volunteer's "
                                  "letters as made; run pack again")
            continue
        yield Volunteer(number, entry.name, address, decided["language"],
                        pack_dir / entry.file, entry.sha256,
                        tuple(decided.get("addressed") or ()))


# -- SMTP ----------------------------------------------------------------------------------

class Connection:
    """One SMTP connection, reused for every message, opened again after a drop."""

    def __init__(self, options: MailOptions):
        self.options = options
        self.smtp: smtplib.SMTP | None = None

    def open(self) -> smtplib.SMTP:
        if self.smtp is not None:
            return self.smtp
        o = self.options
        port = o.port or DEFAULT_PORTS[o.tls]
        context = ssl.create_default_context()
        try:
            if o.tls == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(o.host, port, timeout=60,
                                                      context=context)
            else:
                smtp = smtplib.SMTP(o.host, port, timeout=60)
                if o.tls == "starttls":
                    smtp.starttls(context=context)
            if o.user:
                smtp.login(o.user, o.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise MailError(f"the server refused the login of {o.user!r}: "
                            f"{_reply(exc.smtp_code, exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise MailError(f"{o.host}:{port} does not offer STARTTLS; use --tls ssl, or "
                            "--tls none for a server on this machine") from None
        except ssl.SSLError as exc:  # a certificate or TLS failure: trying again won't help
            raise MailError(f"TLS with {o.host}:{port} failed: {exc.reason or exc}") from None
        self.smtp = smtp
        return smtp

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
        self.smtp = None

    def send(self, message: EmailMessage) -> None:
        self.open().send_message(message)


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


def _is_temporary(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError,
                            ConnectionError, socket.timeout, OSError))


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(exc.recipients.values()))
        return _reply(code, text)
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    return f"{type(exc).__name__}: {exc}".strip(": ")


# -- the run -------------------------------------------------------------------------------

@dataclass
class MailResult:
    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status.startswith("failed")]

    @property
    def not_sent(self) -> list[Outcome]:
        """The rows skipped or failed, in roster order: each says why."""
        return [o for o in self.outcomes if o.status.startswith(("skipped", "failed"))]

    @property
    def sent_now(self) -> int:
        return sum(o.sent_now for o in self.outcomes)


def mail_pack(pack_dir: Path, options: MailOptions,
              on_progress: Callable[[int, int], None] | None = None,
              sleep: Callable[[float], None] = time.sleep) -> MailResult:
    info = PackInfo.read(pack_dir)
    campaign = load_campaign(Path(info.campaign))
    manifest = read_manifest(pack_dir)
    roster = read_mail_roster(info, options)  # before the journal: a refusal leaves none
    journal_before = read_mail_journal(pack_dir)
    outcomes: list[Outcome] = []
    connection = Connection(options)
    journal = None if options.dry_run else open_mail_journal(pack_dir)
    if options.dry_run:
        (pack_dir / MAIL_DIR).mkdir(exist_ok=True)
    gap = 60.0 / options.rate if options.rate > 0 else 0.0
    last_sent = -1e9
    total = len(manifest)
    try:
        for done, item in enumerate(volunteers(pack_dir, roster, manifest), start=1):
            if isinstance(item, Outcome):
                outcomes.append(item)
            else:
                earlier = journal_before.get(item.row)
                if earlier and earlier.get("status") == "sent" and \
                        earlier.get("sha256") == item.sha256 and not options.dry_run:
                    outcomes.append(Outcome(item.row, "sent"))
                else:
                    wait = last_sent + gap - time.monotonic()
                    if wait > 0 and not options.dry_run:
                        sleep(wait)
                    outcome = _deliver(item, campaign, options, connection, journal,
                                       pack_dir, sleep, info.to)
                    last_sent = time.monotonic()
                    outcomes.append(outcome)
            if on_progress is not None:
                on_progress(done, total)
    finally:
        connection.drop()
        if journal is not None:
            journal.close()
    if not options.dry_run:
        write_mail_statuses(pack_dir, manifest, {o.row: o.status for o in outcomes})
    return MailResult(outcomes)


def _deliver(volunteer: Volunteer, campaign: Campaign, options: MailOptions,
             connection: Connection, journal: Journal | None, pack_dir: Path,
             sleep: Callable[[float], None], to: str = "all") -> Outcome:
    try:
        pdf = volunteer.pdf.read_bytes()
    except OSError as exc:
        return _record(journal, Outcome(volunteer.row, f"failed: cannot read "
                                        f"{volunteer.pdf.name}: {exc.strerror or exc}"))
    if hashlib.sha256(pdf).hexdigest() != volunteer.sha256:
        return _record(journal, Outcome(volunteer.row, f"failed: {volunteer.pdf.name} is not "
                                        "the file the pack made (its SHA-256 differs); run "
                                        "pack again"))
    if len(pdf) > options.max_bytes:
        return _record(journal, Outcome(volunteer.row, f"failed: the PDF has {len(pdf):,} "
                                        f"bytes, more than the {options.max_bytes:,} allowed"))
    subject, body = template_for(campaign, volunteer.language, options.templates)
    recipients = recipients_text(volunteer.addressed)
    try:
        message = build_message(volunteer, campaign, options, subject, body, recipients, pdf,
                                cities_text(campaign, volunteer.language, to))
    except (ValueError, TypeError, MessageError) as exc:  # a name no header may hold
        return _record(journal, Outcome(volunteer.row, f"failed: {exc}"))
    if options.dry_run:
        name = f"{volunteer.row:04d}-{volunteer.pdf.stem.split('-', 1)[-1]}.eml"
        write_atomically(pack_dir / MAIL_DIR / name, message.as_bytes(policy=message.policy))
        return Outcome(volunteer.row, "dry run: written to mail/")
    delay = options.retry_after
    for attempt in range(options.retries + 1):
        try:
            connection.send(message)
        except (smtplib.SMTPException, OSError) as exc:
            connection.drop()
            if not _is_temporary(exc) or attempt == options.retries:
                reason = _describe(exc)
                if _is_temporary(exc) and isinstance(exc, (OSError,
                                                           smtplib.SMTPServerDisconnected)):
                    raise MailError(f"the mail server stopped answering ({reason}); run the "
                                    "same command again to send the rest") from None
                return _record(journal, Outcome(volunteer.row, f"failed: {reason}"))
            sleep(delay)
            delay *= 2
        else:
            return _record(journal, Outcome(volunteer.row, "sent", sent_now=True),
                           volunteer.sha256, str(message["Message-ID"]))
    raise AssertionError("unreachable")  # pragma: no cover


def _record(journal: Journal | None, outcome: Outcome, sha256: str = "",
            message_id: str = "") -> Outcome:
    if journal is not None:  # synced before the next message: never sent twice
        journal.record({"row": outcome.row, "status": outcome.status, "sha256": sha256,
                        "message_id": message_id})
    return outcome
