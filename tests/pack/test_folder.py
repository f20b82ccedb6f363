"""The pack folder's format has one owner (pack/folder.py): what `pack` decided for each
volunteer is recorded there and `mail` reuses it; both journals are synced to disk line
by line."""

from __future__ import annotations

import email
import email.policy
import json
import os
from pathlib import Path

from campaign_letters.mail.send import MailOptions, mail_pack
from campaign_letters.pack.build import PackOptions, build_pack
from campaign_letters.pack.folder import PACK_JOURNAL, read_pack_journal
from campaign_letters.resources import campaigns_dir
from campaign_letters.volunteer.roster import read_roster
from tests.helpers import TODAY
from tests.helpers.packs import write_roster
from tests.helpers.servers import mail_pack_to_a_real_server

HEADER = ["name", "street", "postal_code", "city", "country", "language", "email"]
ROWS = [["Mette Hansen", "Vestergade 12", "8000", "Aarhus", "DK", "en", "mette@example.org"],
        ["Søren Kierkegaard", "Nytorv 2", "1450", "København", "DK", "", "soren@example.org"]]


def make_pack(tmp_path: Path) -> tuple[Path, Path]:
    roster = write_roster(tmp_path / "roster.csv", ROWS, header=HEADER)
    out = tmp_path / "pack"
    build_pack(campaigns_dir() / "naju-haderslev.yaml", read_roster(roster), out,
               PackOptions(date=TODAY, address_by="office"))
    return roster, out


def dry_run(out: Path) -> dict[str, email.message.EmailMessage]:
    mail_pack(out, MailOptions(sender="Campaign <c@example.org>", dry_run=True))
    return {path.name: email.message_from_bytes(path.read_bytes(), policy=email.policy.SMTP)
            for path in sorted((out / "mail").glob("*.eml"))}


def test_the_pack_records_each_volunteers_language_and_addressees(tmp_path):
    _, out = make_pack(tmp_path)
    date, made = read_pack_journal(out)
    assert date == TODAY
    assert made[2]["language"] == "en" and made[3]["language"] == "da"
    assert made[2]["addressed"] == ["Mayor of Haderslev", "Mayor of Naju",
                                    "Naju City Council"]
    assert made[3]["addressed"][0] == "borgmester i Haderslev"


def test_mail_reads_what_the_pack_decided_instead_of_deciding_again(tmp_path):
    roster, out = make_pack(tmp_path)
    # The roster now asks for other languages: the letters were made in the pack's, and
    # the message about them must say what they are.
    roster.write_text(roster.read_text(encoding="utf-8").replace(",en,", ",da,")
                      .replace("DK,,soren", "DK,en,soren"), encoding="utf-8")
    messages = dry_run(out)
    mette, soren = messages["0002-mette-hansen.eml"], messages["0003-soren-kierkegaard.eml"]
    assert mette["Subject"].startswith("Your letters")
    assert "- Mayor of Haderslev\n" in body(mette)
    assert soren["Subject"].startswith("Dine breve")
    assert "- Borgmester i Haderslev\n" in body(soren)


def body(message: email.message.EmailMessage) -> str:
    return message.get_body().get_content().replace("\r\n", "\n")


def test_a_pack_without_the_decisions_is_made_again_not_guessed(tmp_path):
    roster, out = make_pack(tmp_path)
    journal = out / PACK_JOURNAL
    lines = journal.read_text(encoding="utf-8").splitlines()
    old = [lines[0], *(json.dumps({k: v for k, v in json.loads(line).items()
                                   if k not in ("language", "addressed")})
                       for line in lines[1:])]
    journal.write_text("\n".join(old) + "\n", encoding="utf-8")
    mail_pack(out, MailOptions(sender="c@example.org", dry_run=True))
    assert not list((out / "mail").glob("*.eml"))  # nothing sent on a guess
    build_pack(campaigns_dir() / "naju-haderslev.yaml", read_roster(roster), out,
               PackOptions(date=TODAY, address_by="office"))
    assert len(dry_run(out)) == 2


def test_the_mail_journal_is_synced_line_by_line_the_pack_journal_at_close(
        tmp_path, monkeypatch):
    """A line of the mail journal lost to a power cut is a letter sent twice: each is
    synced before the next message. The pack journal's lines are synced together (a lost
    one is a volunteer made again), the last of them when the pack closes."""
    events: list[tuple[str, str, int]] = []  # (what, file, its size then)
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        path = os.readlink(f"/proc/self/fd/{fd}")
        events.append(("sync", path, os.fstat(fd).st_size))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    _, out = make_pack(tmp_path)
    journal = str(out / PACK_JOURNAL)
    syncs = [size for what, path, size in events if path == journal]
    assert 1 <= len(syncs) < 3  # three lines (the date, each volunteer): fewer syncs
    assert syncs[-1] == (out / PACK_JOURNAL).stat().st_size  # all of it, at close
    events.clear()
    result = mail_pack_to_a_real_server(out)
    assert result.sent_now == 2
    assert [path for _, path, _ in events].count(str(out / ".mail-journal")) == 2


def test_the_pack_journal_syncs_again_once_its_interval_has_passed(tmp_path, monkeypatch):
    from campaign_letters.pack.folder import Journal

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    clock = [100.0]
    monkeypatch.setattr("campaign_letters.pack.folder.time.monotonic", lambda: clock[0])
    journal = Journal(tmp_path / "j", sync_every=0.5)
    journal.record({"row": 1})  # the first line: synced
    journal.record({"row": 2})  # 0 s later: held
    clock[0] += 0.6
    journal.record({"row": 3})  # 0.6 s later: synced, with row 2
    assert len(synced) == 2
    journal.close()
    assert len(synced) == 2  # nothing left to sync
    assert [json.loads(line)["row"] for line in
            (tmp_path / "j").read_text().splitlines()] == [1, 2, 3]
