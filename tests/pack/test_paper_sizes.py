"""A pack whose volunteers print on two paper sizes (issue 22): one print file per size
beside the manifest, for one printer tray each, and the command says so; one size keeps
print-pack.pdf. Re-runs resume, and a print file of an earlier run on other sizes goes.
The warnings about addresses a window may not show whole reach the pack's output."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from tests.helpers.packs import read_manifest, write_roster

A4, LETTER = (595, 842), (612, 792)
HEADER = ["name", "street", "postal_code", "city", "region", "country"]
DANES = [["Mette Hansen", "Vestergade 12", "8000", "Aarhus", "", "DK"],
         ["Søren Ørsted", "Vestergade 14", "8000", "Aarhus", "", "DK"]]
CANADIAN = ["Chris Lee", "1200 Pinetree Way", "V3B 7N2", "Coquitlam", "BC", "CA"]
PRINT_FILES = ("print-pack.pdf", "print-pack-a4.pdf", "print-pack-letter.pdf")


def pack(run_cli, roster, out, *extra):
    """``campaign-letters pack`` in this process, one job: quick."""
    result = run_cli("pack", "naju-haderslev", "--roster", str(roster), "-o", str(out),
                     "--jobs", "1", "--date", "2026-11-23", *extra)
    assert result.exit_code == 0, result.output
    return result


def print_files(out):
    return sorted(name for name in PRINT_FILES if (out / name).exists())


def sizes(reader):
    return {(round(float(page.mediabox.width)), round(float(page.mediabox.height)))
            for page in reader.pages}


def titles(reader):
    return [item["/Title"] for item in reader.outline if not isinstance(item, list)]


def test_two_paper_sizes_two_print_files(run_cli, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [DANES[0], CANADIAN, DANES[1]],
                          header=HEADER)
    out = tmp_path / "pack"
    result = pack(run_cli, roster, out)
    assert print_files(out) == ["print-pack-a4.pdf", "print-pack-letter.pdf"]
    a4, letter = PdfReader(out / "print-pack-a4.pdf"), PdfReader(out / "print-pack-letter.pdf")
    assert sizes(a4) == {A4} and sizes(letter) == {LETTER}
    # Each volunteer's letters in the file of their paper, in roster order, bookmarked.
    assert titles(a4) == ["0002 Mette Hansen", "0004 Søren Ørsted"]
    assert titles(letter) == ["0003 Chris Lee"]
    assert [c["/Title"] for c in letter.outline[1]] == ["Mayor of Haderslev", "Mayor of Naju",
                                                        "Naju City Council"]
    pages = {m["name"]: int(m["pages"]) for m in read_manifest(out)}
    assert len(a4.pages) == pages["Mette Hansen"] + pages["Søren Ørsted"]
    assert len(letter.pages) == pages["Chris Lee"]
    assert "Chris Lee" in letter.pages[0].extract_text()
    # Said, with each file's paper and pages.
    assert (f"warning: {out}: the letters are on 2 paper sizes, so the print pack is one "
            "file per size, each for the printer tray with that paper: print-pack-a4.pdf "
            f"(A4, {len(a4.pages)} pages) and print-pack-letter.pdf (US Letter, "
            f"{len(letter.pages)} pages)") in result.stderr
    # Labels stay one file, on the roster's most common paper.
    assert sizes(PdfReader(out / "labels.pdf")) == {A4}
    # The Canadian's letter to Haderslev: five address lines in a #10 window, at 9 pt.
    assert (f"warning: {roster}: row 3: the address of Mayor of Haderslev has 5 lines and "
            "the window shows 4 at 9 pt: check that it shows through the #10 window "
            "envelope, or use --envelope din-5008-b") in result.stderr
    assert result.stderr.count("the address of") == 1

    # A re-run resumes: nothing made again, the same two files, byte for byte.
    before = {name: (out / name).read_bytes() for name in print_files(out)}
    again = pack(run_cli, roster, out)
    assert "3 unchanged from the last run" in again.stdout
    assert {name: (out / name).read_bytes() for name in print_files(out)} == before

    # One paper for all (--paper a4): print-pack.pdf, and the two files of before are gone.
    single = pack(run_cli, roster, out, "--paper", "a4")
    assert print_files(out) == ["print-pack.pdf"]
    assert sizes(PdfReader(out / "print-pack.pdf")) == {A4}
    assert len(PdfReader(out / "print-pack.pdf").pages) == sum(pages.values())
    assert "paper sizes" not in single.stderr
    assert "the address of" not in single.stderr  # a DL window shows all five lines

    # And back to two sizes: print-pack.pdf goes.
    pack(run_cli, roster, out)
    assert print_files(out) == ["print-pack-a4.pdf", "print-pack-letter.pdf"]
    assert not list(out.glob(".*.tmp"))


def test_sorted_by_recipient_each_file_groups_its_own_letters(run_cli, tmp_path):
    roster = write_roster(tmp_path / "roster.csv", [CANADIAN, *DANES], header=HEADER)
    out = tmp_path / "pack"
    pack(run_cli, roster, out, "--sort", "recipient", "--duplex")
    a4, letter = PdfReader(out / "print-pack-a4.pdf"), PdfReader(out / "print-pack-letter.pdf")
    assert sizes(a4) == {A4} and sizes(letter) == {LETTER}
    assert len(a4.pages) == 12 and len(letter.pages) == 6  # one-page letters, blank backs
    for reader in (a4, letter):
        assert titles(reader) == ["Mayor of Haderslev", "Mayor of Naju", "Naju City Council"]
    assert [c["/Title"] for c in a4.outline[1]] == ["0003 Mette Hansen", "0004 Søren Ørsted"]
    assert [c["/Title"] for c in letter.outline[1]] == ["0002 Chris Lee"]


@pytest.mark.parametrize("rows, size", [(DANES, A4), ([CANADIAN], LETTER)])
def test_one_paper_size_keeps_print_pack_pdf(run_cli, tmp_path, rows, size):
    out = tmp_path / "pack"
    result = pack(run_cli, write_roster(tmp_path / "roster.csv", rows, header=HEADER), out)
    assert print_files(out) == ["print-pack.pdf"]
    assert sizes(PdfReader(out / "print-pack.pdf")) == {size}
    assert "paper sizes" not in result.stderr
