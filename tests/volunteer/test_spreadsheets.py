"""Rosters as organizers keep them: files saved by LibreOffice Calc itself (xlsx, ods, and
CSV with semicolons), whose postcodes the spreadsheet has turned into numbers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from campaign_letters.volunteer.roster import RosterError, read_roster
from tests.helpers import cli_process
from tests.helpers.pdf_text import pdftotext
from tests.helpers.spreadsheets import save_with_libreoffice

pytestmark = pytest.mark.slow  # real servers, browsers or thousands of cases

ROWS = [
    ["name", "street", "postal_code", "city", "region", "country", "email"],
    ["Anne Hansen", "Hovedgaden 1", "0800", "Høje Taastrup", "", "DK", "anne@example.org"],
    ["Bo Berg", "Vestergade 12", "8000", "Aarhus", "", "DK", "bo@example.org"],
    ["Chiara Rossi", "Via Roma 1", "00118", "Roma", "RM", "IT", ""],
    ["Dana Cole", "1 Main Street", "02134", "Boston", "MA", "US", "dana@example.org"],
]


@pytest.fixture(scope="module")
def spreadsheets(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("sheets")
    typed = folder / "typed.csv"
    with typed.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(ROWS)
    # Opened in Calc as a user would (semicolons, UTF-8): the postcodes become numbers.
    semicolons = "CSV:59,34,76,1"
    made = {"xlsx": save_with_libreoffice(typed, "xlsx", folder, semicolons),
            "ods": save_with_libreoffice(typed, "ods", folder, semicolons),
            "xls": save_with_libreoffice(typed, "xls:MS Excel 97", folder, semicolons)}
    out = folder / "saved"
    out.mkdir()
    # Saved again from Calc as CSV with semicolons (UTF-8): the numbers stay numbers.
    made["csv"] = save_with_libreoffice(made["ods"], "csv:Text - txt - csv (StarCalc):59,34,76,1",
                                        out)
    return made


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "csv"])
def test_the_spreadsheet_dropped_the_zeros_and_pack_puts_them_back(spreadsheets, kind,
                                                                   tmp_path):
    path = spreadsheets[kind]
    roster = read_roster(path)
    anne = next(row for row in roster.rows() if row.name == "Anne Hansen")
    assert anne.row == 2 and anne.values["postal_code"] == "800", "as Calc saved it"
    out = tmp_path / "pack"
    result = cli_process("pack", "naju-haderslev", "--roster", path, "-o", out,
                         "--date", "2026-12-02")
    assert result.returncode == 0, result.stderr
    assert "4 volunteers (12 letters" in result.stdout
    assert f"{path}: row 2: postal_code: '800' read as '0800'" in result.stderr
    assert f"{path}: row 4: postal_code: '118' read as '00118'" in result.stderr
    assert f"{path}: row 5: postal_code: '2134' read as '02134'" in result.stderr
    assert "row 3" not in result.stderr, "8000 was right"
    letters = sorted((out / "letters").glob("*.pdf"))
    text = pdftotext(letters[0])
    assert "0800 Høje Taastrup" in text


def test_a_sheet_by_name_and_rows_as_the_spreadsheet_numbers_them(spreadsheets):
    path = spreadsheets["ods"]
    with pytest.raises(RosterError, match=r"no sheet 'Volunteers'; its sheets: typed"):
        read_roster(path, sheet="Volunteers")
    named = read_roster(path, sheet="typed")
    assert [row.row for row in named.rows()] == [2, 3, 4, 5]
    with pytest.raises(RosterError, match="--sheet is for spreadsheet files"):
        read_roster(spreadsheets["csv"], sheet="typed")


def test_a_padded_code_that_is_still_wrong_says_what_to_do(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("name,street,postal_code,city,country\n"
                      "Eva Holm,Vej 1,123456,Aarhus,DK\n", encoding="utf-8")
    out = tmp_path / "pack"
    result = cli_process("pack", "naju-haderslev", "--roster", roster, "-o", out)
    assert result.returncode == 1
    assert "row 2, postal_code: '123456' is not a valid postcode for Denmark" in result.stderr
    assert "format the column as text" in result.stderr
