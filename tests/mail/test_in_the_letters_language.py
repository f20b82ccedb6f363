"""Every word a volunteer reads in an e-mail is in the letters' language (issue 22): the
draft's first line (`campaign-letters email` and the page), the note ending a mailto:
text cut to fit, and the subject and body of each message `mail` sends, whose subject
names the cities the letters go to rather than the campaign's English title."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from campaign_letters.campaign.load import load_campaign
from campaign_letters.mail import draft
from campaign_letters.mail.send import (
    TEMPLATES,
    MailOptions,
    Volunteer,
    build_message,
    cities_text,
    template_for,
)
from campaign_letters.wording import web_text
from tests.helpers import TODAY, cli_args, run_cli, sender

DRAFT_FIRST_LINES = {
    "da": "[Før du sender: Kampagnen har ingen e-mailadresser til modtagerne",
    "it": "[Prima di inviare: La campagna non ha gli indirizzi e-mail dei destinatari",
    "fr": "[Avant d’envoyer : La campagne n’a pas d’adresse e-mail pour ses destinataires",
    "en": "[Before sending: The campaign has no e-mail address for its recipients",
}


def parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=email.policy.default)


def text_of(message: email.message.EmailMessage) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


@pytest.mark.parametrize(("campaign", "country", "language"), [
    ("naju-haderslev", "DK", "da"), ("daegu-milan", "IT", "it"),
    ("icheon-limoges", "FR", "fr"), ("paju-coquitlam", "CA", "en")])
def test_the_drafts_first_line_is_in_the_letters_language(tmp_path, campaign, country,
                                                          language):
    target = tmp_path / "draft.eml"
    result = run_cli("email", campaign, *cli_args(sender("Kim Berg", country)),
                     "--date", TODAY.isoformat(), "-o", str(target))
    assert result.exit_code == 0, result.output
    body = text_of(parse(target.read_bytes()))
    first, _, _ = body.partition("\n")
    assert first.startswith(DRAFT_FIRST_LINES[language]), first
    assert first == draft.draft_line(language)
    if language != "en":
        assert "Before sending" not in body and "delete this line" not in body


def test_a_danish_volunteers_english_letter_gets_an_english_draft(tmp_path):
    target = tmp_path / "draft.eml"
    result = run_cli("email", "naju-haderslev", *cli_args(sender("Kim Berg", "DK")),
                     "--language", "en", "--date", TODAY.isoformat(), "-o", str(target))
    assert result.exit_code == 0, result.output
    assert text_of(parse(target.read_bytes())).startswith(DRAFT_FIRST_LINES["en"])


@pytest.mark.parametrize("language", ["da", "it", "fr", "ko"])
def test_a_mailto_text_cut_to_fit_says_so_in_its_language(language):
    link = draft.mailto_url("Emne", "ord " * 2000, limit=400, language=language)
    assert len(link) <= 400
    note = web_text(language, draft.MAILTO_CUT_NOTE)
    assert note != draft.MAILTO_CUT_NOTE
    assert unquote(link).endswith("\n\n" + note)


# -- what `mail` sends ----------------------------------------------------------------------

@pytest.mark.parametrize(("campaign", "language", "subject"), [
    ("naju-haderslev", "da", "Dine breve til Haderslev og Naju"),
    ("naju-haderslev", "en", "Your letters to Haderslev and Naju"),
    ("daegu-milan", "it", "Le tue lettere per Milano e Daegu"),
    ("icheon-limoges", "fr", "Vos lettres pour Limoges et Icheon"),
    ("naju-haderslev", "de", "Ihre Briefe nach Haderslev und Naju"),
    ("naju-haderslev", "ko", "Haderslev 및 나주시에 보내는 편지")])
def test_the_subject_names_the_cities_in_the_letters_language(campaign, language, subject):
    loaded = load_campaign(campaign, today=TODAY)
    volunteer = Volunteer(2, "Kim Berg", "kim@example.org", language, Path("x.pdf"), "",
                          ("borgmester i Haderslev",))
    template_subject, body = template_for(loaded, language, None)
    message = build_message(volunteer, loaded, MailOptions(sender="c@example.org"),
                            template_subject, body, "- Borgmester i Haderslev", b"%PDF-",
                            cities_text(loaded, language))
    assert message["Subject"] == subject
    text = text_of(message)
    assert "$" not in text and "Kim Berg" in text
    assert loaded.title not in text and loaded.title not in message["Subject"]


def test_letters_to_the_partner_city_alone_name_it_alone():
    naju = load_campaign("naju-haderslev", today=TODAY)
    assert cities_text(naju, "da", to="primary") == "Haderslev"


def test_every_bundled_template_has_a_subject_of_cities_and_no_english_title():
    """The campaign's title is English only: no bundled template uses it."""
    languages = sorted(path.stem for path in TEMPLATES.glob("*.txt"))
    assert languages == ["da", "de", "en", "fr", "it", "ko"]
    for path in TEMPLATES.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert re.match(r"Subject: .*\$cities", text), path.name
        assert "$campaign" not in text and "$recipients" in text and "$name" in text


def test_mail_sends_each_volunteer_subject_and_body_in_their_letters_language(tmp_path):
    """A pack of three (Danish letters, English letters for a Danish volunteer who asked,
    English letters for a volunteer in Canada), its messages written by --dry-run."""
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,street,postal_code,city,region,country,language,email\n"
        "Bo Berg,Vestergade 12,8000,Aarhus,,DK,,bo@example.org\n"
        "Ea Holm,Nørregade 3,8000,Aarhus,,DK,en,ea@example.org\n"
        "Chris Lee,1200 Pinetree Way,V3B 7N2,Coquitlam,BC,CA,,chris@example.org\n",
        encoding="utf-8")
    pack = tmp_path / "pack"
    made = run_cli("pack", "naju-haderslev", "--roster", str(roster), "-o", str(pack),
                   "--date", TODAY.isoformat(), "--jobs", "1")
    assert made.exit_code == 0, made.output
    mailed = run_cli("mail", str(pack), "--from", "Kampagnen <kampagne@example.org>",
                     "--dry-run")
    assert mailed.exit_code == 0, mailed.output
    messages = {parse(path.read_bytes())["To"].addresses[0].addr_spec: parse(path.read_bytes())
                for path in (pack / "mail").glob("*.eml")}
    danish = messages["bo@example.org"]
    assert danish["Subject"] == "Dine breve til Haderslev og Naju"
    body = text_of(danish)
    assert body.startswith("Kære Bo Berg")
    assert "- Mads Skau, borgmester i Haderslev\n- Borgmester i Naju\n- Byrådet i Naju" \
        in body
    assert not set(re.findall(r"[A-Za-z]+", body)) & {"the", "campaign", "Campaign",
                                                       "Mayor", "letters", "your"}
    for address in ("ea@example.org", "chris@example.org"):
        english = messages[address]
        assert english["Subject"] == "Your letters to Haderslev and Naju"
        assert "Mayor of Naju" in text_of(english)
