"""Organizers keeping campaigns true: ``init`` (a folder of their own, read with
--campaigns or the environment), ``confirm`` (a holder recorded in one command, the file
otherwise as written), ``new`` (a template ``check`` walks through) and the README's worked
example, from template to letters."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from campaign_letters.campaign.load import bundled_ids, load_campaign
from campaign_letters.campaign.record import load_round_trip
from campaign_letters.resources import campaigns_dir
from tests.helpers import DK_ARGS, ROOT
from tests.helpers.pdf_text import pdftotext

TODAY = dt.date.today()
SOURCE = "Test Daily, 4 June 2026: \"the winner takes office on 1 July\""


@pytest.fixture
def folder(run_cli, tmp_path) -> Path:
    target = tmp_path / "campaigns"
    result = run_cli("init", str(target))
    assert result.exit_code == 0, result.output
    return target


def person_offices(campaign_id: str) -> list[str]:
    """The recipients whose office one person holds (a council has no holder)."""
    from campaign_letters.compose.officials import names_a_person

    campaign = load_campaign(campaign_id)
    return [r.id for r in campaign.recipients if names_a_person(r)]


# -- init ---------------------------------------------------------------------------------

def test_init_copies_the_campaigns_for_every_command(run_cli, folder, tmp_path, monkeypatch):
    assert sorted(p.stem for p in folder.glob("*.yaml")) == bundled_ids()
    for path in folder.glob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        # Editors find the schema of the installed program, wherever the copy lives.
        assert first.startswith("# yaml-language-server: $schema=file://")
        assert Path(first.split("file://")[1]).is_file(), first
        assert path.stat().st_mode & 0o444 == 0o444  # a hosted server's own user reads it
    # A second run keeps what is there: the organizer's edits are theirs.
    naju = folder / "naju-haderslev.yaml"
    naju.write_text(naju.read_text(encoding="utf-8").replace(
        'title: "Friendship City Campaign', 'title: "Our Friendship City Campaign'), "utf-8")
    again = run_cli("init", str(folder))
    assert again.exit_code == 0 and "already there, kept as it is" in again.output
    assert "Our Friendship City Campaign" in naju.read_text(encoding="utf-8")
    # check and officials read the folder and say which file they read.
    checked = run_cli("check", "--campaigns", str(folder))
    assert checked.exit_code == 0, checked.output
    assert f"checked {naju}: 0 errors" in checked.output
    officials = run_cli("officials", "naju-haderslev", "--campaigns", str(folder))
    assert f"naju-haderslev (as of {TODAY.isoformat()}): {naju}" in officials.output
    # The environment does the same for a whole session.
    monkeypatch.setenv("CAMPAIGN_LETTERS_CAMPAIGNS", str(folder))
    out = tmp_path / "letters.pdf"
    made = run_cli("letter", "naju-haderslev", *DK_ARGS, "-o", str(out))
    assert made.exit_code == 0, made.output
    assert "Our Friendship City Campaign" in PdfReader(out).metadata.title
    # An id the folder does not have is not looked up among the bundled ones.
    (folder / "daegu-milan.yaml").unlink()
    missing = run_cli("letter", "daegu-milan", *DK_ARGS, "-o", str(out))
    assert missing.exit_code == 1 and f"unknown campaign 'daegu-milan' in {folder}" in \
        missing.output


def test_a_missing_folder_says_how_to_make_it(run_cli, tmp_path):
    result = run_cli("officials", "naju-haderslev", "--campaigns", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert f"make it with `campaign-letters init {tmp_path / 'nope'}`" in result.output


# -- confirm ------------------------------------------------------------------------------

def test_every_bundled_file_round_trips_byte_for_byte():
    """The editor keeps comments, order, quotes and folded text: written back unchanged,
    each file is the same bytes."""
    import io

    for path in sorted(campaigns_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        yaml_rt, data = load_round_trip(text)
        out = io.StringIO()
        yaml_rt.dump(data, out)
        assert out.getvalue() == text, path.name


@pytest.mark.parametrize("campaign_id", [
    "naju-haderslev", *(pytest.param(c, marks=pytest.mark.slow)  # the quick run: one
                        for c in bundled_ids() if c != "naju-haderslev")])
def test_recording_a_winner_is_one_command_and_the_next_letter_names_them(
        run_cli, folder, tmp_path, campaign_id):
    """On a copy of each bundled campaign: confirm the holder of each person's office;
    the next letters name them, and nothing else in the file changed."""
    path = folder / f"{campaign_id}.yaml"
    before = path.read_text(encoding="utf-8")
    offices = person_offices(campaign_id)
    for number, recipient in enumerate(offices):
        result = run_cli("confirm", campaign_id, recipient, "--name", f"Test Holder {number}",
                         "--name-ko", f"홍길동{number}", "--since", "2026-07-01",
                         "--confirmed", "2026-12-01", "--source", SOURCE,
                         "--url", "https://example.org/results", "--campaigns", str(folder))
        assert result.exit_code == 0, result.output
        assert f"{recipient}: holder is now Test Holder {number}, since 2026-07-01, " \
               "confirmed 2026-12-01" in result.output
        assert f"checked {path}" in result.output
    after = path.read_text(encoding="utf-8")
    # Only holders and former holders changed: every comment outside them is still there.
    removed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines())
               if line.startswith("- ")]
    kept_comments = [line for line in before.splitlines() if line.strip().startswith("#")
                     and f"- {line}" not in removed]
    assert all(line in after.splitlines() for line in kept_comments)
    assert yaml.safe_load(after)["id"] == campaign_id
    data = yaml.safe_load(after)
    for recipient in data["recipients"]:
        if recipient["id"] in offices:
            holder = recipient["holder"]
            assert holder["source"] == SOURCE and holder["confirmed"] == "2026-12-01"
    # The next letter (dated after they took office) names them, with no other step.
    out = tmp_path / f"{campaign_id}.pdf"
    made = run_cli("letter", campaign_id, *DK_ARGS, "--language", "en", "--date",
                   "2026-12-02", "--campaigns", str(folder), "-o", str(out))
    assert made.exit_code == 0, made.output
    text = " ".join(pdftotext(out).split())
    for number in range(len(offices)):
        assert f"Test Holder {number}" in text or f"홍길동{number}" in text, (number, text)
    check = run_cli("check", "--strict", "--campaigns", str(folder), campaign_id)
    assert "no holder recorded" not in check.output


def test_a_new_holder_moves_the_old_one_to_former(run_cli, folder):
    args = ("confirm", "naju-haderslev", "naju-mayor", "--name", "Kim Test", "--since",
            "2026-07-01", "--confirmed", "2026-06-04", "--source", SOURCE, "--campaigns",
            str(folder))
    without = run_cli(*args)
    assert without.exit_code == 1
    assert "naju-mayor's Korean address names the holder in Korean script ({name_ko}): " \
           "give the name in Hangul with --name-ko" in without.output
    result = run_cli(*args, "--name-ko", "김테스트")
    assert result.exit_code == 0, result.output
    assert "naju-mayor: Yoon Byung-tae moved to former, until 2026-06-30" in result.output
    data = yaml.safe_load((folder / "naju-haderslev.yaml").read_text(encoding="utf-8"))
    mayor = next(r for r in data["recipients"] if r["id"] == "naju-mayor")
    assert mayor["former"][0]["name"] == "Yoon Byung-tae"
    assert mayor["former"][0]["until"] == "2026-06-30"
    assert "kukinews.com" in mayor["former"][0]["source"]  # their source goes with them
    assert mayor["former"][1]["name"] == "Kang In-Kyu"
    # Before taking office the holder is not named; the letters say why.
    officials = run_cli("officials", "naju-haderslev", "--date", "2026-06-20",
                        "--campaigns", str(folder))
    assert "holder not yet in office" in officials.output


def test_the_same_holder_is_reconfirmed_and_an_older_source_changes_nothing(run_cli, folder):
    path = folder / "naju-haderslev.yaml"
    args = ("confirm", "naju-haderslev", "haderslev-mayor", "--name", "Mads Skau",
            "--campaigns", str(folder), "--source", "Haderslev Kommune, 1 December 2026")
    result = run_cli(*args, "--confirmed", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert "haderslev-mayor: Mads Skau re-confirmed on 2026-12-01 (was 2025-11-19)" in \
        result.output
    text = path.read_text(encoding="utf-8")
    # The comment about the vote stays; the old source's address goes with the old source.
    assert "# The day after the vote" in text and "nordschleswiger" not in text
    older = run_cli(*args, "--confirmed", "2026-01-01")
    assert older.exit_code == 0 and "nothing changed" in older.output
    assert path.read_text(encoding="utf-8") == text


def test_no_source_or_date_no_change_and_every_problem_at_once(run_cli, folder):
    path = folder / "naju-haderslev.yaml"
    before = path.read_text(encoding="utf-8")
    base = ("confirm", "naju-haderslev", "naju-mayor", "--campaigns", str(folder))
    no_source = run_cli(*base, "--name", "X", "--confirmed", "2026-06-04")
    assert no_source.exit_code == 2 and "Missing option '--source'" in no_source.output
    no_date = run_cli(*base, "--name", "X", "--source", SOURCE)
    assert no_date.exit_code == 2 and "Missing option '--confirmed'" in no_date.output
    bad = run_cli(*base, "--name", "X", "--source", " ", "--confirmed", "2099-01-01",
                  "--url", "example.org", "--since", "1 July")
    assert bad.exit_code == 1
    for expected in ("--confirmed: 2099-01-01 is after today",
                     "--url: 'example.org' is not a web address",
                     "--source: say who says so", "--since: '1 July' is not a date"):
        assert expected in bad.output, bad.output
    replaced = run_cli(*base, "--name", "Kim Test", "--source", SOURCE, "--confirmed",
                       "2026-06-04")
    too_long = run_cli(*base, "--name", "A" * 5000, "--source", SOURCE, "--confirmed",
                       "2026-06-04")
    assert too_long.exit_code == 1 and "--name: give the holder's name" in too_long.output
    # The same Korean name under another Latin name is another holder, never re-confirmed.
    other = run_cli(*base, "--name", "Yun Byeong-tae", "--name-ko", "윤병태", "--source",
                    SOURCE, "--confirmed", "2026-06-04")
    assert other.exit_code == 1 and "Yun Byeong-tae replaces Yoon Byung-tae" in other.output
    assert replaced.exit_code == 1 and "Kim Test replaces Yoon Byung-tae: give the day" \
        in replaced.output and "--name-ko: naju-mayor's Korean address" in replaced.output
    unknown = run_cli(*base[:2], "naju-mayr", *base[3:], "--name", "X", "--source", SOURCE,
                      "--confirmed", "2026-06-04")
    assert "no recipient 'naju-mayr' in this campaign; its recipients: haderslev-mayor, " \
           "naju-mayor, naju-council" in unknown.output
    council = run_cli(*base[:2], "naju-council", *base[3:], "--name", "X", "--source",
                      SOURCE, "--confirmed", "2026-06-04")
    assert "naju-council is a body, not a person's office" in council.output
    assert path.read_text(encoding="utf-8") == before


def test_a_bundled_campaign_given_by_its_id_is_refused(run_cli):
    """In a checkout too: the bundled files stay as shipped; init makes copies to edit."""
    before = (ROOT / "campaigns" / "naju-haderslev.yaml").read_bytes()
    result = run_cli("confirm", "naju-haderslev", "naju-mayor", "--name", "X",
                     "--source", SOURCE, "--confirmed", "2026-06-04")
    assert result.exit_code == 1
    assert "naju-haderslev is a bundled campaign" in result.output
    assert "campaign-letters init DIR" in result.output
    assert (ROOT / "campaigns" / "naju-haderslev.yaml").read_bytes() == before


def test_a_change_that_would_break_the_file_is_refused(run_cli, folder):
    """The new text is checked before it is written: a holder named like a former one's
    text reference would make the file refuse itself."""
    path = folder / "naju-haderslev.yaml"
    before = path.read_text(encoding="utf-8")
    # A name no bundled font can print: the check of the new text finds it.
    result = run_cli("confirm", "naju-haderslev", "naju-mayor", "--name", "Kim 🙂",
                     "--name-ko", "김", "--since", "2026-07-01", "--confirmed", "2026-06-04",
                     "--source", SOURCE, "--campaigns", str(folder))
    assert result.exit_code == 1, result.output
    assert "holder.name" in result.output and "was not changed" in result.output
    assert path.read_text(encoding="utf-8") == before


# -- new and the worked example ----------------------------------------------------------

def test_new_writes_a_template_that_check_walks_through(run_cli, tmp_path):
    target = tmp_path / "gimhae-lyon.yaml"
    result = run_cli("new", "gimhae-lyon", "-o", str(target))
    assert result.exit_code == 0, result.output
    checked = run_cli("check", str(target))
    assert checked.exit_code == 1
    lines = [line for line in checked.output.splitlines() if ": still to fill" in line]
    text = target.read_text(encoding="utf-8").splitlines()
    placeholders = [n for n, line in enumerate(text, 1) if "FILL IN" in line and
                    not line.lstrip().startswith("#")]
    # Every field to fill, each with its own line, and nothing else to distract.
    assert sorted(int(re.match(rf"{re.escape(str(target))}:(\d+):", line)[1])
                  for line in lines) == placeholders
    assert len(lines) == len([p for p in checked.output.splitlines() if ": " in p
                              and p.startswith(str(target))])
    assert any("recipients[1].address_ko.region: still to fill: e.g. 경상남도" in line
               for line in lines)
    assert "the Korean city in Latin letters" in checked.output
    # The template explains what a Korean address is made of.
    assert "there is no district line" in " ".join(" ".join(text).split())
    again = run_cli("new", "gimhae-lyon", "-o", str(target))
    assert again.exit_code == 1 and "exists already" in again.output
    wrong = run_cli("new", "Gimhae Lyon", "-o", str(tmp_path / "x.yaml"))
    assert wrong.exit_code == 1 and "lower-case words joined by hyphens" in wrong.output


def test_the_readme_worked_example_goes_from_template_to_letters(run_cli, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = "<!-- worked example: naju-haderslev-letter.yaml -->\n```yaml\n"
    start = readme.index(marker) + len(marker)
    example = readme[start:readme.index("```", start)]
    path = tmp_path / "naju-haderslev-letter.yaml"
    path.write_text(example, encoding="utf-8")
    checked = run_cli("check", str(path))
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output
    out = tmp_path / "letters.pdf"
    made = run_cli("letter", str(path), "--name", "Mette Hansen", "--street",
                   "Vestergade 12", "--postal-code", "8000", "--city", "Aarhus", "--country",
                   "DK", "--date", "2026-12-06", "-o", str(out))
    assert made.exit_code == 0, made.output
    assert "2 letters" in made.output
    text = pdftotext(out)
    assert "Borgmester Mads Skau" in text and "전남광주통합특별시 나주시 시청길 22" in text
    assert "koreandogs.org/friendship-city-naju-haderslev" in text


# -- serve --------------------------------------------------------------------------------

def test_serve_checks_its_folder_before_it_announces_anything(run_cli, tmp_path):
    missing = run_cli("serve", "--campaigns", str(tmp_path / "nope"), "--port", "1")
    assert missing.exit_code == 1
    assert "Serving" not in missing.output
    assert f"make it with `campaign-letters init {tmp_path / 'nope'}`" in missing.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_cli("serve", "--campaigns", str(empty), "--port", "1")
    assert result.exit_code == 1 and "Serving" not in result.output
    assert f"nothing to serve from {empty}: it holds no campaign files (.yaml); " \
           f"`campaign-letters init {empty}` copies the bundled ones there" in result.output
    (empty / "broken.yaml").write_text("id: broken\n", encoding="utf-8")
    broken = run_cli("serve", "--campaigns", str(empty), "--port", "1")
    assert broken.exit_code == 1 and "every campaign file in it has errors" in broken.output


def test_check_given_a_folder_says_to_name_it_with_campaigns(run_cli, tmp_path):
    """`check DIR` (a folder where a campaign is asked for) points to --campaigns DIR."""
    folder = tmp_path / "my-campaigns"
    folder.mkdir()
    checked = run_cli("check", str(folder))
    assert checked.exit_code == 1
    assert f"{folder} is a folder" in checked.output
    assert f"--campaigns {folder}" in checked.output
