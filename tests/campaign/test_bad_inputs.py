"""The bad-input corpus (tests/bad-inputs/): broken campaign files (and three rosters), one
clear message each from `check`, `letter` or `pack`, within a second."""

from __future__ import annotations

import subprocess
import time

import pytest

from tests.helpers import TESTS, cli_process, run_cli

CORPUS = TESTS / "bad-inputs"

CAMPAIGN_FILES = {
    "syntax-error.yaml": ":4: YAML syntax error: found unexpected end of stream (while "
                         "scanning a quoted scalar)",
    "tabs.yaml": ":2: YAML syntax error: found character '\\t' that cannot start any token "
                 "(while scanning for the next token); indent with spaces, not tabs",
    "wrong-type.yaml": ":29: tie.year: expected a whole number, got text 'two thousand "
                       "sixteen'",
    "duplicate-key.yaml": ":35: recipients[0].name: duplicate key 'name' (first given on "
                          "line 34); keep one of them",
    "unknown-key.yaml": ":8: sumary: unknown key 'sumary'; did you mean 'summary'?",
    "alias-bomb.yaml": ":1: anchors and aliases (& and *) are not allowed in campaign files; "
                       "write the value out in full",
    "python-tag.yaml": ":1: the tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
                       "allowed; campaign files hold plain text, numbers, lists and mappings "
                       "only",
    "invalid-postcode.yaml": ":42: recipients[0].address.postal_code: '61000' is not a valid "
                             "postcode for Denmark (for example 8660, 1566); check it against "
                             "the source",
    "stale-province.yaml": ":66: recipients[1].address.postal_code: '58263' is not a valid "
                           "postcode for Gyeongsangbuk-do, South Korea (for example 38540); "
                           "it belongs to Jeollanam-do: is "
                           "the region 'Gyeongsangbuk-do' wrong?",
    "empty.yaml": ":1: the file is empty; a campaign needs at least id, title and recipients",
    "not-a-mapping.yaml": ":1: the file must be a mapping of keys (id:, title:, ...), not a "
                          "list",
    "latin1.yaml": ":2: byte 0xeb is not UTF-8; save the file as UTF-8 (most editors: 'Save "
                   "with encoding')",
    "deep.yaml": ":1: lists and mappings are nested more than 20 levels deep here; a campaign "
                 "file never needs that",
}

ROSTERS = {
    "roster-no-city-column.csv": "row 1: the header has no 'city' column; the header row "
                                 "must name the columns",
    "roster-latin1.csv": "line 2: byte 0xeb is not UTF-8; export the sheet as 'CSV UTF-8'",
    "roster-empty.csv": "the roster is empty; it needs a header row",
}


def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.perf_counter()
    result = cli_process(*args)
    return result, time.perf_counter() - started


def test_every_corpus_file_is_listed():
    listed = {*CAMPAIGN_FILES, *ROSTERS, "README.md"}
    assert {p.name for p in CORPUS.iterdir()} == listed


@pytest.mark.parametrize("name", sorted(CAMPAIGN_FILES))
def test_broken_campaign_file(name):
    path = CORPUS / name
    result = run_cli("check", str(path))  # in this process: an exception would propagate
    assert result.exit_code == 1
    assert f"{path}{CAMPAIGN_FILES[name]}" in result.stdout
    # The same file through `letter` gives the same message, as an error.
    letter = run_cli("letter", str(path), "--name", "A", "--street", "B", "--city",
                     "Aarhus", "--postal-code", "8000", "--country", "DK", "-o",
                     str(path.with_suffix(".never.pdf")))
    assert letter.exit_code == 1 and CAMPAIGN_FILES[name] in letter.output
    assert not path.with_suffix(".never.pdf").exists()


@pytest.mark.slow  # a process for each file
@pytest.mark.parametrize("name", sorted(CAMPAIGN_FILES))
def test_broken_campaign_file_in_a_process_of_its_own(name):
    path = CORPUS / name
    letter, seconds = run("letter", str(path), "--name", "A", "--street", "B", "--city",
                          "Aarhus", "--postal-code", "8000", "--country", "DK", "-o",
                          str(path.with_suffix(".never.pdf")))
    assert letter.returncode == 1 and CAMPAIGN_FILES[name] in letter.stderr
    assert "Traceback" not in letter.stderr
    # Process start-up included: the answer is quick whatever the file holds.
    assert seconds < 3, seconds


def test_huge_file(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("# " + "x" * 1_100_000 + "\n")
    result, _ = run("check", str(path))
    assert result.returncode == 1
    assert f"{path}: file is 1,100,003 bytes; campaign files are limited to 1,000,000 bytes" \
        in result.stdout


@pytest.mark.slow  # kept out of the quick run (about a second)
@pytest.mark.parametrize("name", sorted(ROSTERS))
def test_broken_roster(tmp_path, name):
    path = CORPUS / name
    result, _ = run("pack", "naju-haderslev", "--roster", str(path), "-o", str(tmp_path / "o"))
    assert result.returncode == 1
    assert f"Error: {path}: {ROSTERS[name]}" in result.stderr
    assert "Traceback" not in result.stderr
