"""`pack` with rosters headed as organizers head them, in each language of the volunteers'
page: every field lands where it belongs (the letters' language, the note, the region a
Korean or Italian address needs, the e-mail address `mail` writes to); and a roster that
gives `mail` no one to write to is said at pack time."""

from __future__ import annotations

import email
import email.policy

import pytest

from campaign_letters.mail.send import MailOptions, mail_pack
from campaign_letters.pack.folder import read_pack_journal
from tests.helpers import TODAY, run_cli
from tests.helpers.packs import read_manifest, write_roster
from tests.helpers.pdf_text import pdftotext, squash

# language: (campaign, headings as people write them, one volunteer's row). The language
# asked for is never the one chosen without it, so the column is seen to be read.
ROSTERS = {
    "en": ("naju-haderslev",
           ["Full name", "Street address", "ZIP code", "Town", "State", "Country code",
            "E-mail address", "Language", "Message"],
           ["Chris Lee", "1200 Pinetree Way", "V3B 7N2", "Coquitlam", "BC", "CA",
            "chris@example.org", "da", "Note-en-4711"]),
    "da": ("naju-haderslev",
           ["Navn", "Vej", "Postnr.", "By", "Region", "Land", "E-mail", "Sprog", "Besked"],
           ["Søren Ødegård", "Nytorv 2", "1450", "København", "", "DK", "soren@example.dk",
            "en", "Note-da-4711"]),
    "it": ("daegu-milan",
           ["Nome e cognome", "Indirizzo", "CAP", "Città", "Provincia", "Paese", "Email",
            "Lingua", "Messaggio"],
           ["Giulia Rossi", "Via Roma 1", "20121", "Milano", "MI", "IT",
            "giulia@example.it", "en", "Note-it-4711"]),
    "fr": ("icheon-limoges",
           ["Nom complet", "Adresse", "Code postal", "Ville", "Région", "Pays", "Courriel",
            "Langue", "Message"],
           ["Élodie Martin", "1 rue de l’Exemple", "87000", "Limoges", "", "FR",
            "elodie@example.fr", "en", "Note-fr-4711"]),
    "ko": ("naju-haderslev",
           ["성명", "도로명주소", "우편번호", "시/군/구", "시도", "국가", "이메일", "언어", "메모"],
           ["김민준", "세종대로 110", "04524", "중구", "서울특별시", "KR", "minjun@example.kr",
            "da", "Note-ko-4711"]),
}


@pytest.mark.parametrize("language", list(ROSTERS))
def test_a_roster_headed_in_each_language_packs(tmp_path, language):
    campaign, header, row = ROSTERS[language]
    roster = write_roster(tmp_path / "roster.csv", [row], header=header)
    out = tmp_path / "pack"
    result = run_cli("pack", campaign, "--roster", str(roster), "-o", str(out), "--date",
                     TODAY.isoformat(), "--jobs", "1")
    assert result.exit_code == 0, result.output
    # No column unknown, none missing. (The Canadian's letter to Haderslev has five
    # address lines, one more than a #10 window shows: that warning is test_paper_sizes's.)
    warnings = [line for line in result.output.splitlines()
                if "warning" in line and "the window shows" not in line]
    assert not warnings, result.output
    (made,) = read_manifest(out)
    assert (made["name"], made["status"]) == (row[0], "ok")
    assert read_pack_journal(out)[1][2]["language"] == row[7]
    assert row[8] in squash(pdftotext(out / made["file"]))  # the note, in the letters
    # `mail` reads the same headings: the message goes to the address in that column.
    mail_pack(out, MailOptions(sender="Campaign <c@example.org>", dry_run=True))
    (written,) = (out / "mail").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == row[6]


def test_a_pack_without_an_email_column_says_so_and_makes_the_letters(tmp_path):
    rows = [["Bo Berg", "Vestergade 12", "8000", "Aarhus", "DK", "bo@example.org"],
            ["Anne Hansen", "Hovedgaden 1", "2630", "Høje Taastrup", "DK", ""]]
    roster = write_roster(tmp_path / "roster.csv", rows,
                          header=["navn", "vej", "postnr", "by", "land", "Contact"])
    result = run_cli("pack", "naju-haderslev", "--roster", str(roster), "-o",
                     str(tmp_path / "pack"), "--date", TODAY.isoformat(), "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"warning: {roster}: row 1: no column holds e-mail addresses (headed email, " \
           "E-mail, Courriel, 이메일, Email address, E-mail address, ...): `mail` will have " \
           "no one to write to; letters are made anyway; column 6 'Contact' holds e-mail " \
           "addresses: head it email" in result.stderr
    assert [m["status"] for m in read_manifest(tmp_path / "pack")] == ["ok", "ok"]
