"""`mail` says, row by row, why a volunteer got no message (no address in the email column,
letters that failed at pack), in its output and in the manifest's mail_status; and a
roster with no e-mail column at all stops it before anything is sent, saying how to fix
that. Rosters are headed as organizers head them (Danish here): `mail` reads the headings
through the same table as `pack`."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.helpers import TODAY, run_cli
from tests.helpers.servers import HOST, RecordingSmtp, smtp_server

HEADER = ["Navn", "Vej", "Postnr.", "By", "Land", "E-mail"]
ROWS = [["Bo Berg", "Vestergade 12", "8000", "Aarhus", "DK", "bo@example.org"],  # row 2
        ["Anne Hansen", "Hovedgaden 1", "2630", "Høje Taastrup", "DK", ""],  # 3: no address
        ["Carl Holm", "Nørregade 3", "8000", "", "DK", "carl@example.org"],  # 4: no city
        ["Dora Lund", "Søndergade 4", "8000", "Aarhus", "DK", "dora@example.org"]]  # 5
NO_ADDRESS = "skipped: no e-mail address in the roster's email column (column 6 'E-mail')"
NOT_MADE = "skipped: the letters failed at pack (the manifest's problem column says why); " \
    "fix the row and run pack again"
NO_COLUMN = "row 1: no column holds e-mail addresses (headed email, E-mail, Courriel, 이메일, " \
    "Email address, E-mail address, ...): there is no one to write to, and nothing was sent; "



def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def make_pack(folder: Path, header: list[str]) -> tuple[Path, Path]:
    roster = write(folder / "roster.csv", header, [row[:len(header)] for row in ROWS])
    out = folder / "pack"
    result = run_cli("pack", "naju-haderslev", "--roster", str(roster), "-o", str(out),
                     "--date", TODAY.isoformat(), "--jobs", "1")
    assert result.exit_code == 1, result.output  # row 4 has no city
    assert f"{roster}: row 4, city: is required" in result.stderr
    return roster, out


@pytest.fixture(scope="module")
def packs(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """Made once: a pack whose roster has an email column, and one whose has none."""
    made = {}
    for kind, header in (("email", HEADER), ("none", HEADER[:5])):
        folder = tmp_path_factory.mktemp(kind)
        made[kind] = make_pack(folder, header)
    return made


@pytest.fixture
def pack(packs, tmp_path, request) -> tuple[Path, Path]:
    """A fresh copy of one of the packs (its roster where pack.json says it is)."""
    roster, out = packs[request.param]
    target = tmp_path / "pack"
    shutil.copytree(out, target)
    return roster, target


def mail(out: Path, *extra: str, port: int = 1):
    return run_cli("mail", str(out), "--from", "Kampagnen <kampagne@example.org>", "--smtp",
                   f"{HOST}:{port}", "--tls", "none", "--rate", "100000", *extra)


def manifest(out: Path) -> dict[int, dict[str, str]]:
    with (out / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        return {int(row["row"]): row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("pack", ["email"], indirect=True)
def test_a_dry_run_names_each_row_skipped_and_why(pack):
    _, out = pack
    result = mail(out, "--dry-run")
    assert result.exit_code == 0, result.output  # a skipped row is no failure
    summary = f"{out}: written to mail/; 2 dry run, 2 skipped"
    assert result.stdout.splitlines() == [summary]
    assert result.stderr.splitlines()[-2:] == [f"{out}: row 3: {NO_ADDRESS}",
                                               f"{out}: row 4: {NOT_MADE}"]
    assert result.output.index(summary) < result.output.index("row 3: skipped")
    assert sorted(p.name for p in (out / "mail").glob("*.eml")) == \
        ["0002-bo-berg.eml", "0005-dora-lund.eml"]


@pytest.mark.parametrize("pack", ["none"], indirect=True)
def test_a_roster_without_an_email_column_stops_mail_before_anything(pack):
    roster, out = pack
    result = mail(out, "--dry-run")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {roster}: {NO_COLUMN}head the column of addresses " \
        "email (or add one) and run mail again, or give the roster that holds them with " \
        "--roster\n"
    assert not (out / "mail").exists() and not (out / ".mail-journal").exists()


@pytest.mark.parametrize("pack", ["none"], indirect=True)
def test_a_column_of_addresses_under_another_heading_is_named(pack, tmp_path):
    _, out = pack
    contact = write(tmp_path / "contact.csv", [*HEADER[:5], "Contact"], ROWS)
    result = mail(out, "--dry-run", "--roster", str(contact))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {contact}: {NO_COLUMN}column 6 'Contact' holds " \
        "e-mail addresses: head it email and run mail again\n"
    # Done as the message says, without packing again: the addresses are found.
    headed = write(tmp_path / "headed.csv", [*HEADER[:5], "email"], ROWS)
    again = mail(out, "--dry-run", "--roster", str(headed))
    assert again.exit_code == 0, again.output
    assert len(list((out / "mail").glob("*.eml"))) == 2


@pytest.mark.slow  # a real SMTP server
@pytest.mark.parametrize("pack", ["email"], indirect=True)
def test_each_row_not_sent_says_why_in_the_manifest(pack):
    _, out = pack
    recorder = RecordingSmtp()
    with smtp_server(recorder) as controller:
        result = mail(out, port=controller.port)
    assert result.exit_code == 0, result.output
    assert recorder.recipients == ["bo@example.org", "dora@example.org"]
    assert result.stdout.splitlines() == [f"{out}: 2 sent now; 2 sent, 2 skipped; see "
                                          "manifest.csv (mail_status)"]
    assert result.stderr.splitlines()[-2:] == [f"{out}: row 3: {NO_ADDRESS}",
                                               f"{out}: row 4: {NOT_MADE}"]
    rows = manifest(out)
    assert {number: row["mail_status"] for number, row in rows.items()} == {
        2: "sent", 3: NO_ADDRESS, 4: NOT_MADE, 5: "sent"}
    assert rows[4]["problem"].startswith("city: is required")


@pytest.mark.slow  # a real SMTP server
@pytest.mark.parametrize("pack", ["none"], indirect=True)
def test_no_email_column_sends_nothing_and_the_fix_it_gives_works(pack, tmp_path):
    roster, out = pack
    recorder = RecordingSmtp()
    with smtp_server(recorder) as controller:
        result = mail(out, port=controller.port)
        assert result.exit_code == 1
        assert f"Error: {roster}: {NO_COLUMN}" in result.stderr
        assert recorder.recipients == []
        assert "mail_status" not in (out / "manifest.csv").read_text(encoding="utf-8")
        # "give the roster that holds them with --roster": one headed in French.
        courriel = write(tmp_path / "courriel.csv", [*HEADER[:5], "Courriel"], ROWS)
        again = mail(out, "--roster", str(courriel), port=controller.port)
    assert again.exit_code == 0, again.output
    assert recorder.recipients == ["bo@example.org", "dora@example.org"]
    assert manifest(out)[3]["mail_status"] == "skipped: no e-mail address in the roster's " \
        "email column (column 6 'Courriel')"
