"""Organizers' packs: bad rows, resuming, the print pack, labels, the same bytes twice.
(Reading the rosters themselves: tests/volunteer/test_roster.py.)"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import subprocess
import time

import pytest
from pypdf import PdfReader

from campaign_letters.volunteer.roster import RosterError, read_roster
from tests.helpers import campaign_file, cli_command, cli_process, long_campaign
from tests.helpers.packs import read_manifest, run_pack, volunteers, write_roster


@pytest.mark.slow  # kept out of the quick run (over a second)
def test_pack_with_bad_rows(tmp_path):
    rows = volunteers(20)
    rows[3][2] = "80000"  # row 5
    rows[8][3] = ""  # row 10
    rows[11][0] = "Rex 🐕"  # row 13
    roster = write_roster(tmp_path / "roster.csv", rows)
    out = tmp_path / "pack"
    result = run_pack(tmp_path, roster, out, "--date", "2026-11-23")
    assert result.returncode == 1, result.stderr
    assert f"{roster}: row 5, postal_code: '80000' is not a valid postcode for Denmark" \
        in result.stderr
    assert f"{roster}: row 10, city: is required" in result.stderr
    assert f"{roster}: row 13, name: U+1F415 (DOG) cannot be printed" in result.stderr
    assert "17 volunteers (51 letters, dated 2026-11-23" in result.stdout
    assert "3 failed" in result.stdout
    assert len(list((out / "letters").glob("*.pdf"))) == 17
    manifest = read_manifest(out)
    assert [m["row"] for m in manifest if m["status"] == "failed"] == ["5", "10", "13"]
    assert manifest[0]["file"] == "letters/0002-volunteer-0.pdf"
    print_pack = PdfReader(out / "print-pack.pdf")
    assert len(print_pack.pages) == sum(int(m["pages"]) for m in manifest)
    outline = print_pack.outline
    volunteers_marks = [item for item in outline if not isinstance(item, list)]
    assert len(volunteers_marks) == 17 and volunteers_marks[0]["/Title"] == "0002 Volunteer 0"
    assert [c["/Title"] for c in outline[1]] == ["Mayor of Haderslev", "Mayor of Naju",
                                                 "Naju City Council"]
    labels = PdfReader(out / "labels.pdf")
    assert len(labels.pages) == 3  # 51 labels on 21-label A4 sheets (L7160)
    assert labels.pages[0].mediabox.height == pytest.approx(841.89, abs=1)
    label_text = labels.pages[0].extract_text()
    assert "Borgmester Mads Skau" in label_text and "나주시의회" in label_text
    assert "나주시장님" in label_text and "윤병태" not in label_text, "as the letters name them"
    # The organizer is told which offices the letters address, once, without file:line.
    assert result.stderr.count("Nobody has confirmed who is Mayor of Naju since the "
                               "election of June 3, 2026") == 1
    assert ".yaml" not in result.stderr
    # Re-running finishes nothing new and keeps every file as it was.
    before = {p.name: p.read_bytes() for p in (out / "letters").glob("*.pdf")}
    again = run_pack(tmp_path, roster, out)
    assert "17 unchanged from the last run" in again.stdout
    assert "dated 2026-11-23" in again.stdout
    assert before == {p.name: p.read_bytes() for p in (out / "letters").glob("*.pdf")}


@pytest.mark.slow  # kept out of the quick run (over a second)
def test_duplex_and_sort_by_recipient(tmp_path):
    roster = write_roster(tmp_path / "roster.csv", volunteers(3))
    out = tmp_path / "pack"
    result = run_pack(tmp_path, roster, out, "--duplex", "--sort", "recipient")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(out / "print-pack.pdf")
    # 9 one-page letters, each followed by a blank back.
    assert len(reader.pages) == 18
    assert reader.pages[1].extract_text().strip() == ""
    titles = [item["/Title"] for item in reader.outline if not isinstance(item, list)]
    assert titles == ["Mayor of Haderslev", "Mayor of Naju", "Naju City Council"]
    assert [c["/Title"] for c in reader.outline[1]] == ["0002 Volunteer 0", "0003 Volunteer 1",
                                                        "0004 Volunteer 2"]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.slow
def test_killed_pack_resumes_complete(tmp_path, seed):
    """kill -9 at a random moment (letters half done, or the print pack being written),
    then the same command: a complete pack, consistent with its manifest."""
    import random

    roster = write_roster(tmp_path / "roster.csv", volunteers(120))
    out = tmp_path / "pack"
    process = subprocess.Popen([*cli_command(), "pack", "naju-haderslev", "--roster",
                                str(roster), "-o", str(out), "--jobs", "1",
                                "--date", "2026-11-23"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    # At least 20 volunteers (a tenth of a second or more) still to make when it is killed.
    wanted = random.Random(seed).randint(1, 100)
    deadline = time.monotonic() + 60
    while len(list((out / "letters").glob("*.pdf"))) < wanted and time.monotonic() < deadline \
            and process.poll() is None:
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    # The kill landed before the pack was done: killed, not exited; no manifest yet.
    assert process.returncode == -signal.SIGKILL, "the pack finished before the kill"
    assert not (out / "manifest.csv").exists()
    assert len(list((out / "letters").glob("*.pdf"))) < 120
    result = run_pack(tmp_path, roster, out)
    assert result.returncode == 0, result.stderr
    manifest = read_manifest(out)
    assert [(m["row"], m["name"], m["status"]) for m in manifest] == \
        [(str(i + 2), f"Volunteer {i}", "ok") for i in range(120)]
    for entry in manifest:
        data = (out / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert PdfReader(io.BytesIO(data)).pages  # none half-written
    assert not list(out.rglob("*.tmp"))
    # The same, file for file, as a pack that was never interrupted.
    whole = tmp_path / "uninterrupted"
    assert run_pack(tmp_path, roster, whole, "--date", "2026-11-23").returncode == 0
    made = sorted(p.relative_to(whole) for p in whole.rglob("*")
                  if p.is_file() and p.name != ".pack-journal")
    assert len(made) == 124  # 120 volunteers, print pack, labels, manifest, pack.json
    assert made == sorted(p.relative_to(out) for p in out.rglob("*")
                          if p.is_file() and p.name != ".pack-journal")
    for relative in made:
        assert (out / relative).read_bytes() == (whole / relative).read_bytes(), relative


@pytest.mark.slow  # two pack runs in processes of their own
def test_same_roster_same_bytes(tmp_path):
    """Two runs, in other folders and processes: every file identical."""
    roster = write_roster(tmp_path / "roster.csv", volunteers(6))
    for name in ("a", "b"):
        result = run_pack(tmp_path, roster, tmp_path / name, "--date", "2026-11-23")
        assert result.returncode == 0, result.stderr
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file() and p.name != ".pack-journal")
    assert len(files) == 10  # 6 volunteers, print pack, labels, manifest, pack.json
    for relative in files:
        assert (tmp_path / "a" / relative).read_bytes() == \
            (tmp_path / "b" / relative).read_bytes(), relative


@pytest.mark.slow  # kept out of the quick run (over a second)
def test_duplex_by_volunteer(tmp_path):
    roster = write_roster(tmp_path / "roster.csv", volunteers(2))
    out = tmp_path / "pack"
    assert run_pack(tmp_path, roster, out, "--duplex").returncode == 0
    reader = PdfReader(out / "print-pack.pdf")
    assert len(reader.pages) == 12  # 6 one-page letters, each with a blank back
    assert [bool(page.extract_text().strip()) for page in reader.pages] == [True, False] * 6
    assert [c["/Title"] for c in reader.outline[1]] == ["Mayor of Haderslev", "Mayor of Naju",
                                                        "Naju City Council"]
    assert reader.get_destination_page_number(reader.outline[1][1]) == 2


@pytest.mark.slow  # kept out of the quick run (over a second)
def test_letters_too_long_for_the_envelope_are_named(tmp_path):
    campaign = long_campaign(tmp_path, words=3500)  # the English message made long
    rows = volunteers(2)
    for row in rows:
        row[5] = "en"
    roster = write_roster(tmp_path / "roster.csv", rows)
    result = cli_process("pack", campaign, "--roster", roster, "-o", tmp_path / "pack",
                         "--to", "primary", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert f"warning: {roster}: row 2: the letter to Mayor of Haderslev has" in result.stderr
    assert "a DL window envelope holds about 5 folded sheets" in result.stderr


def test_labels_in_parts_equal_labels_in_one(tmp_path, monkeypatch):
    """A big roster's labels are rendered a few sheets at a time and joined: the same
    pages, text and order as one document, and a valid file."""
    import datetime as dt

    from campaign_letters.campaign.load import resolve_campaign_path
    from campaign_letters.pack import build as pack

    roster = read_roster(write_roster(tmp_path / "roster.csv", volunteers(17)))
    options = pack.PackOptions(date=dt.date(2026, 11, 23), jobs=1)
    campaign = resolve_campaign_path("naju-haderslev")
    pack.build_pack(campaign, roster, tmp_path / "whole", options)
    monkeypatch.setattr(pack, "LABEL_SHEETS_PER_PART", 1)
    pack.build_pack(campaign, roster, tmp_path / "parts", options)
    whole, parts = (PdfReader(tmp_path / name / "labels.pdf") for name in ("whole", "parts"))
    assert len(parts.pages) == len(whole.pages) == 3
    assert [p.extract_text() for p in parts.pages] == [p.extract_text() for p in whole.pages]
    assert parts.metadata.title == "Address labels"
    check = subprocess.run(["qpdf", "--check", str(tmp_path / "parts" / "labels.pdf")],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout + check.stderr


# -- found in review ---------------------------------------------------------------------------

def test_roster_changed_or_gone_after_it_was_read(tmp_path):
    import datetime as dt

    from campaign_letters.campaign.load import resolve_campaign_path
    from campaign_letters.pack.build import PackOptions, build_pack

    path = write_roster(tmp_path / "roster.csv", volunteers(3))
    roster = read_roster(path)
    write_roster(path, volunteers(4))
    options = PackOptions(date=dt.date(2026, 11, 23))
    with pytest.raises(RosterError, match="the roster changed while it was being used; "
                                          "run the command again"):
        build_pack(resolve_campaign_path("naju-haderslev"), roster, tmp_path / "a", options)
    roster = read_roster(path)
    path.unlink()
    with pytest.raises(RosterError, match="cannot read the roster any more"):
        build_pack(resolve_campaign_path("naju-haderslev"), roster, tmp_path / "b", options)
    assert not list((tmp_path / "b").glob("*.pdf"))


def test_a_label_that_cannot_fit_stops_the_pack_before_any_letter(tmp_path):
    """Found in review: it was found after every letter, and reported as a full disk."""
    import yaml

    data = yaml.safe_load(campaign_file().read_text(encoding="utf-8"))
    # One word too wide for a label at its smallest size: a long line would wrap.
    data["recipients"][0]["address"]["organization"] = "HaderslevKommune" * 4
    campaign = tmp_path / "long.yaml"
    campaign.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    roster = write_roster(tmp_path / "roster.csv", volunteers(3))
    result = cli_process("pack", campaign, "--roster", roster, "-o", tmp_path / "pack",
                         "--paper", "letter", "--envelope", "us-10")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Error: the address label ('Borgmesteren') does not fit an Avery 5160 " \
           "label" in result.stderr, result.stderr
    assert "shorten it in the campaign file" in result.stderr
    assert "make room" not in result.stderr and "Traceback" not in result.stderr
    assert not list((tmp_path / "pack").rglob("*.pdf"))


@pytest.mark.slow  # two pack runs in processes of their own
def test_resuming_a_journal_without_countries(tmp_path):
    """Found in review: entries journaled before countries were kept came back with none,
    and the labels gained a country line."""
    roster = write_roster(tmp_path / "roster.csv", volunteers(4))
    out, whole = tmp_path / "pack", tmp_path / "whole"
    for folder in (out, whole):
        assert run_pack(tmp_path, roster, folder, "--date", "2026-11-23").returncode == 0
    journal = out / ".pack-journal"
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    journal.write_text("".join(json.dumps({k: v for k, v in entry.items() if k != "country"})
                               + "\n" for entry in lines), encoding="utf-8")
    again = run_pack(tmp_path, roster, out)
    assert "4 unchanged from the last run" in again.stdout, again.stdout + again.stderr
    assert (out / "labels.pdf").read_bytes() == (whole / "labels.pdf").read_bytes()
