"""The e-mail draft: RFC 5322 that parses back, the PDF attached, and honest about recipients."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from urllib.parse import unquote

import pytest

from campaign_letters.campaign.load import load_campaign
from campaign_letters.files import letters_filename
from campaign_letters.mail import draft as mailer
from campaign_letters.model import Link, LinkItem, Message
from campaign_letters.produce import produce_letters
from campaign_letters.volunteer.sender import make_sender
from tests.helpers import METTE, TODAY, sender


@pytest.fixture(scope="module")
def naju():
    return load_campaign("naju-haderslev", today=TODAY)


@pytest.fixture(scope="module")
def mette():
    return make_sender(**METTE, email="mette@example.org")


@pytest.fixture(scope="module")
def pack(naju, mette):
    return produce_letters(naju, mette, date=TODAY, note="Jeg har selv to hunde.")


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def test_draft_parses_back_with_pdf_attached(naju, mette, pack):
    data = mailer.make_draft(naju, mette, pack)
    assert b"\r\n" in data, "an .eml file has CRLF line ends"
    msg = parse(data)
    assert msg["Subject"] == pack.letters[0].subject
    assert msg["X-Unsent"] == "1"
    assert msg["From"].addresses[0].addr_spec == "mette@example.org"
    assert msg["From"].addresses[0].display_name == "Mette Hansen"
    (attachment,) = list(msg.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "letters-naju-haderslev-mette-hansen.pdf"
    assert attachment.get_content() == pack.pdf


def test_body_has_salutation_links_note_closing_and_sender(naju, mette, pack):
    body = parse(mailer.make_draft(naju, mette, pack)).get_body(("plain",)).get_content()
    danish = pack.letters[0].text
    assert danish.salutation == "Kære borgmester Mads Skau og medlemmer af Haderslev byråd"
    assert danish.salutation in body
    assert "{" not in body, "every reference filled in"
    assert "opfordre borgmesteren i Naju til at nedlægge" in " ".join(body.split())
    # The link as the reader can follow it: label, then the whole address.
    assert "– Friendship City Campaign – Naju, South Korea – Haderslev, Denmark\n" \
           "  https://koreandogs.org/friendship-city-naju-haderslev/" in body.replace("\r", "")
    assert "Jeg har selv to hunde." in body
    # The closing, then the sender's name and address, in that order.
    closing_at = body.index(danish.closing)
    assert body.index("Mette Hansen", closing_at) < body.index("Vestergade 12", closing_at) \
        < body.index("8000 Aarhus", closing_at) < body.index("mette@example.org", closing_at)


def test_no_campaign_emails_means_no_to_and_a_line_saying_so(naju, mette, pack):
    msg = parse(mailer.make_draft(naju, mette, pack))
    assert msg["To"] is None
    body = msg.get_body(("plain",)).get_content()
    assert body.startswith(mailer.draft_line("da"))  # the Danish letter's language
    assert mailer.draft_notes(naju) == [mailer.NO_EMAILS_NOTE]


def test_campaign_emails_address_the_draft(naju, mette, pack):
    primary, *copies = naju.recipients
    with_mail = dataclasses.replace(naju, recipients=(
        dataclasses.replace(primary, emails=("borgmester@haderslev.dk",)),
        dataclasses.replace(copies[0], emails=("mayor@naju.go.kr",)), *copies[1:]))
    msg = parse(mailer.make_draft(with_mail, mette, pack))
    assert msg["To"] == "borgmester@haderslev.dk"
    assert msg["Cc"] == "mayor@naju.go.kr"
    assert mailer.draft_line("da") not in msg.get_body(("plain",)).get_content()
    assert mailer.draft_notes(with_mail) == []
    # An explicit address wins.
    msg = parse(mailer.make_draft(with_mail, mette, pack, to=["me@example.org"]))
    assert msg["To"] == "me@example.org" and msg["Cc"] is None


def test_translation_follows_the_letter(naju, mette):
    pack = produce_letters(naju, mette, date=TODAY, language="da+en")
    body = mailer.email_body(pack, mette, has_recipients=True)
    assert body.index("Kære borgmester Mads Skau") < body.index("Translation (English)") \
        < body.index("Dear Mayor Mads Skau")


def test_links_print_label_and_url_and_a_lost_link_ends_its_sentence():
    body = (
        "Watch the video:",
        LinkItem(Link("v", "video", "https://example.org/v"), "The video"),
        "Sign the petition:",
        LinkItem(Link("p", "petition"), None),
    )
    assert mailer.body_paragraphs(body) == [
        "Watch the video:", "– The video\n  https://example.org/v", "Sign the petition."]


def test_non_ascii_subject_and_sender_survive(naju):
    volunteer = make_sender(**sender("Søren Ødegård", street=["Åboulevarden 1"]))
    pack = produce_letters(naju, volunteer, date=TODAY)
    data = mailer.make_draft(naju, volunteer, pack)
    assert data.isascii(), "headers and body are transfer-encoded"
    msg = parse(data)
    assert "byråd" in msg["Subject"]
    assert "Søren Ødegård" in msg.get_body(("plain",)).get_content()
    assert msg["From"] is None, "no e-mail given: the mail program fills in From"
    assert letters_filename(naju.id, volunteer.name, "eml") == \
        "letters-naju-haderslev-soren-odegard.eml"


def test_mailto_fits_and_says_when_cut():
    message = Message("en", "Subject & more", "Dear Mayor,", ("word " * 2000,), "Sincerely,")
    link = mailer.mailto_url(message.subject, mailer.message_text(message), ["a@example.org"])
    assert len(link) <= mailer.MAILTO_LIMIT
    assert link.startswith("mailto:a@example.org?subject=Subject%20%26%20more&body=")
    assert unquote(link).endswith(mailer.MAILTO_CUT_NOTE)
    short = mailer.mailto_url("Hi", "Short.")
    assert unquote(short) == "mailto:?subject=Hi&body=Short."
