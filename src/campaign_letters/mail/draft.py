"""One volunteer's letters as an e-mail draft: the message as plain text, the PDF attached.

Nothing here sends mail. The draft is an RFC 5322 message (``.eml``) marked
``X-Unsent: 1``, so mail programs (Thunderbird, Outlook, Apple Mail) open it as a draft to
review, address and send. It is addressed to the campaign's e-mail recipients where the
campaign has them; the bundled campaigns have none (their sources lost the addresses), so
the draft says so in a line at the top of its body, for the volunteer to fill in the
recipients and delete the line. That line is in the draft's language (the letter's), as
is the note that ends a ``mailto:`` link's text cut to fit: both come from the web
catalog (``W_``), which has Danish, Italian, French and Korean; other languages get
English.

Also here: ``mailto:`` links for the message alone.
"""

from __future__ import annotations

import email.policy
from email.headerregistry import Address
from email.message import EmailMessage
from urllib.parse import quote

from campaign_letters.compose import address
from campaign_letters.compose.letters import LetterText, LinkList, body_blocks
from campaign_letters.files import letters_filename
from campaign_letters.model import BodyItem, Campaign, Message, Sender
from campaign_letters.produce import VolunteerLetters
from campaign_letters.wording import W_, web_text

# Said in the draft's first line and on the web page when the campaign knows no e-mail.
NO_EMAILS_NOTE = W_("The campaign has no e-mail address for its recipients (the campaign "
                    "sources lost them): add the recipients' addresses yourself before "
                    "sending.")
# The draft's first line, around NO_EMAILS_NOTE, in the draft's language (draft_line).
BEFORE_SENDING = W_("[Before sending: %(note)s Then delete this line.]")
DRAFT_LINE = BEFORE_SENDING % {"note": NO_EMAILS_NOTE}  # in English

# Browsers and mail programs cut mailto: links somewhere past 2,000 characters.
MAILTO_LIMIT = 1800
MAILTO_CUT_NOTE = W_("[…] (The message is cut here to fit in a link; the full text is in "
                     "the PDF.)")


def draft_line(language: str) -> str:
    """The draft's first line when it has no recipient, in ``language``.

    >>> draft_line("da").startswith("[Før du sender: Kampagnen har ingen e-mailadresser")
    True
    """
    return web_text(language, BEFORE_SENDING, note=web_text(language, NO_EMAILS_NOTE))

# -- the text -----------------------------------------------------------------------------

def body_paragraphs(body: tuple[BodyItem, ...]) -> list[str]:
    """The message body as plain-text paragraphs (compose.body_blocks): a list of links
    prints each label and, where known, its web address, as the PDF does."""
    paragraphs: list[str] = []
    for block in body_blocks(body):
        if isinstance(block, LinkList):
            entries = []
            for item in block.links:
                lines = [line for line in (item.label, item.link.url) if line]
                entries.append("\n".join([f"– {lines[0]}", *(f"  {x}" for x in lines[1:])]))
            paragraphs.append("\n".join(entries))
        else:
            paragraphs.append(block)
    return paragraphs


def message_text(message: Message | LetterText, note: str | None = None,
                 signature: list[str] | None = None) -> str:
    """Salutation, body, note, closing and signature lines, as plain text."""
    parts = [message.salutation, *body_paragraphs(message.body)]
    parts += [p.strip() for p in (note or "").split("\n\n") if p.strip()]
    parts.append("\n".join([message.closing, *(signature or [])]))
    return "\n\n".join(parts)


def sender_signature(sender: Sender, language: str) -> list[str]:
    """The sender's name, postal address (country in ``language``) and e-mail."""
    lines = [sender.name, *address.sender_lines(sender, language)]
    if sender.email:
        lines.append(sender.email)
    return lines


def email_body(pack: VolunteerLetters, sender: Sender, *, has_recipients: bool) -> str:
    """The plain-text body: the letter's words, then the translation where the pack has one."""
    letter = pack.letters[0]
    signature = sender_signature(sender, letter.language)
    parts = [] if has_recipients else [draft_line(letter.language)]
    parts.append(message_text(letter.text, letter.text.note, signature))
    if letter.translation is not None:
        translation = letter.translation
        heading = translation.heading or ""
        parts.append(f"{'—' * 20}\n{heading}\n\n{translation.subject}".strip())
        parts.append(message_text(translation, None, [sender.name]))
    return "\n\n".join(parts) + "\n"


# -- the draft ----------------------------------------------------------------------------

def recipient_emails(campaign: Campaign) -> tuple[list[str], list[str]]:
    """(To, Cc): the primary recipients' e-mail addresses, then everyone else's."""
    to: list[str] = []
    cc: list[str] = []
    for recipient in campaign.recipients:
        for mail in recipient.emails:
            target = to if recipient.role == "primary" else cc
            if mail not in to and mail not in cc:
                target.append(mail)
    if not to:
        to, cc = cc, []
    return to, cc


def build_email(pack: VolunteerLetters, campaign: Campaign, sender: Sender,
                to: list[str] | tuple[str, ...] | None = None) -> EmailMessage:
    """The draft: subject and message filled in, the letters' PDF attached.

    Args:
        pack: the volunteer's letters, from ``produce.produce_letters``.
        campaign: the campaign they belong to (for its e-mail recipients and file names).
        sender: the volunteer; ``From`` is set where they gave an e-mail address.
        to: addresses to use instead of the campaign's own.

    Returns:
        An ``EmailMessage`` with ``X-Unsent: 1``; without any recipient address it has
        no ``To`` and its body's first line says so.
    """
    to_list: list[str]
    cc_list: list[str]
    if to:
        to_list, cc_list = list(to), []
    else:
        to_list, cc_list = recipient_emails(campaign)
    # An address with letters beyond ASCII before the "@" (RFC 6532: "søren@", "فاطمة@")
    # can only be written as UTF-8; every other draft keeps plain SMTP headers.
    msg = EmailMessage(policy=message_policy(sender.email or ""))
    msg["Subject"] = pack.letters[0].subject
    if sender.email:
        msg["From"] = mail_address(sender.name, sender.email)
    if to_list:
        msg["To"] = ", ".join(to_list)
    if cc_list:
        msg["Cc"] = ", ".join(cc_list)
    msg["X-Unsent"] = "1"
    msg.set_content(email_body(pack, sender, has_recipients=bool(to_list)))
    msg.add_attachment(pack.pdf, maintype="application", subtype="pdf",
                       filename=letters_filename(campaign.id, sender.name, "pdf"))
    return msg


def message_policy(*addresses: str) -> email.policy.EmailPolicy[EmailMessage]:
    """SMTP's rules for a message, or, where an address has letters beyond ASCII before
    the "@" (RFC 6532: "søren@", "فاطمة@"), the same written as UTF-8, the only way such
    an address can be written."""
    international = any(not address.isascii() for address in addresses)
    return email.policy.SMTPUTF8 if international else email.policy.SMTP


def mail_address(display_name: str, address: str) -> Address:
    """A header's address from one that ``volunteer.sender.check_email`` accepted: username
    and domain apart, as ``Address(addr_spec=...)`` refuses a username beyond ASCII. Its
    parts refuse line breaks: no name or address can add a header."""
    username, _, domain = address.rpartition("@")
    return Address(display_name=display_name, username=username, domain=domain)


def draft_bytes(msg: EmailMessage) -> bytes:
    """The message as an ``.eml`` file: CRLF line ends, non-ASCII headers encoded (or,
    for an internationalized address, written as UTF-8)."""
    return msg.as_bytes(policy=msg.policy)


def make_draft(campaign: Campaign, sender: Sender, pack: VolunteerLetters,
               to: list[str] | tuple[str, ...] | None = None) -> bytes:
    """The ``.eml`` bytes for ``campaign-letters email`` and the web page, in one call."""
    return draft_bytes(build_email(pack, campaign, sender, to))


def draft_notes(campaign: Campaign, language: str = "en") -> list[str]:
    """What a front end should tell the volunteer about the draft (empty when addressed),
    in ``language``."""
    to, _ = recipient_emails(campaign)
    return [] if to else [web_text(language, NO_EMAILS_NOTE)]


# -- mailto: ------------------------------------------------------------------------------

def mailto_url(subject: str, body: str, to: list[str] | tuple[str, ...] = (),
               limit: int = MAILTO_LIMIT, language: str = "en") -> str:
    """A ``mailto:`` link for the text alone, at most ``limit`` characters long.

    A body too long for a link is cut at a word and ends with a note saying so, in
    ``language`` (the message's).

    >>> mailto_url("Hi there", "Dear Mayor, yes.")
    'mailto:?subject=Hi%20there&body=Dear%20Mayor%2C%20yes.'
    >>> len(mailto_url("S", "word " * 1000, limit=300)) <= 300
    True
    """
    head = "mailto:" + ",".join(quote(a, safe="@") for a in to) + \
        f"?subject={quote(subject, safe='')}&body="

    def link(text: str) -> str:
        return head + quote(text, safe="")

    if len(link(body)) <= limit:
        return link(body)
    note = web_text(language, MAILTO_CUT_NOTE)
    # The longest cut that fits, found by halving (quoting makes lengths uneven).
    low, high = 0, len(body)
    while low < high:
        middle = (low + high + 1) // 2
        if len(link(_cut(body, middle, note))) <= limit:
            low = middle
        else:
            high = middle - 1
    return link(_cut(body, low, note))


def _cut(body: str, length: int, note: str) -> str:
    kept = body[:length]
    if length < len(body) and " " in kept:
        kept = kept[: kept.rstrip().rfind(" ")] if not body[length].isspace() else kept
    return f"{kept.rstrip()}\n\n{note}"
