"""A manifest opened in a spreadsheet program runs nothing a volunteer typed (OWASP, "CSV
Injection"), while the letters, labels and e-mails print the name exactly as typed."""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from campaign_letters.pack.build import PackOptions, build_pack
from campaign_letters.pack.folder import read_manifest
from campaign_letters.resources import campaigns_dir
from campaign_letters.volunteer.roster import read_roster
from tests.helpers import TODAY
from tests.helpers.packs import write_roster
from tests.helpers.pdf_text import pdftotext
from tests.helpers.servers import mail_pack_to_a_real_server, missing

HEADER = ["name", "street", "postal_code", "city", "country", "email"]
NAMES = ["=1+2 Anna", '=HYPERLINK("http://example.org/x","click")', "+45 Bo", "-Carl",
         "@Dora", "'=Eve"]


def formulas_libreoffice_finds(csv_file: Path, folder: Path) -> list[str]:
    """The formulas LibreOffice Calc makes of a CSV file when it opens it (converted to a
    flat ODF spreadsheet, headless, with its default import options)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        missing("LibreOffice is missing: apt-get install libreoffice-calc-nogui")
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}",
                             "--headless", "--norestore", "--convert-to", "fods",
                             "--outdir", str(folder), str(csv_file)],
                            capture_output=True, text=True, timeout=180)
    converted = folder / f"{csv_file.stem}.fods"
    assert result.returncode == 0 and converted.exists(), result.stderr + result.stdout
    return re.findall(r'table:formula="([^"]*)"', converted.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_libreoffice_finds_no_formula_in_the_manifest(tmp_path):
    rows = [[name, f"Vej {i}", "8000", "Aarhus", "DK", f"v{i}@example.org"]
            for i, name in enumerate(NAMES)]
    roster = write_roster(tmp_path / "roster.csv", rows, header=HEADER)
    out = tmp_path / "pack"
    build_pack(campaigns_dir() / "naju-haderslev.yaml", read_roster(roster), out,
               PackOptions(date=TODAY))
    # The probe can fail: the same names written as they are do become formulas.
    raw = tmp_path / "raw.csv"
    with raw.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["name"], *([name] for name in NAMES)])
    assert len(formulas_libreoffice_finds(raw, tmp_path / "raw")) == 2  # the two "=" cells
    assert formulas_libreoffice_finds(out / "manifest.csv", tmp_path / "made") == []
    # mail writes the manifest again, with each row's mail_status: still nothing to run.
    result = mail_pack_to_a_real_server(out)
    assert result.sent_now == len(NAMES)
    assert formulas_libreoffice_finds(out / "manifest.csv", tmp_path / "again") == []
    # The pack reads back exactly what was typed, and the letters print it as typed.
    assert [row.name for row in read_manifest(out)] == NAMES
    anna = next(out.glob("letters/0002-*.pdf"))
    assert "=1+2 Anna" in pdftotext(anna)
