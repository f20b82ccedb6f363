"""Volunteer rosters as spreadsheets export them: delimiters, byte-order marks, header
spellings, line ends, pipes, and the problems named with their row or line."""

from __future__ import annotations

import os

import pytest

from campaign_letters.volunteer.roster import RosterError, read_roster
from tests.helpers.packs import HEADER, volunteers, write_roster


def test_roster_as_spreadsheets_export_it(tmp_path):
    rows = volunteers(2)
    rows[0][5] = "da+en"
    path = write_roster(tmp_path / "r.csv", rows, delimiter=";", bom=True,
                        header=["Name", "Street", "Postal Code", "CITY", "country",
                                "language", "note"])
    roster = read_roster(path)
    rows = list(roster.rows())
    assert [r.row for r in rows] == [2, 3] and roster.count == 2
    assert rows[0].values["street"] == "Vestergade 0\n1. sal"
    assert rows[0].values["postal_code"] == "8000"
    assert roster.warnings == []


def test_roster_problems(tmp_path):
    path = write_roster(tmp_path / "r.csv", volunteers(1), header=[*HEADER[:-1], "notes"])
    assert "unknown column 'notes' is ignored; did you mean 'note'?" in \
        read_roster(path).warnings[0]
    with pytest.raises(RosterError, match="row 1: the header has no 'city' column"):
        read_roster(write_roster(tmp_path / "r.csv", [], header=["name", "street", "country"]))
    (tmp_path / "latin1.csv").write_bytes("name,street,city,country\nZo\xeb,a,b,DK\n"
                                          .encode("latin-1"))
    with pytest.raises(RosterError, match="line 2: byte 0xeb is not UTF-8; export the sheet "
                                          "as 'CSV UTF-8'"):
        read_roster(tmp_path / "latin1.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(RosterError, match="the roster is empty"):
        read_roster(tmp_path / "empty.csv")


# -- found in review ---------------------------------------------------------------------------

def test_roster_with_cr_line_ends_and_blank_lines_before_the_header(tmp_path):
    """Excel for Mac writes CR alone; some exports start with empty lines."""
    path = tmp_path / "mac.csv"
    path.write_bytes(b"\r\r" + "name;street;postal_code;city;country\r"
                     "Zoë Berg;Nygade 3, 2. sal;8000;Aarhus;DK\r".encode())
    roster = read_roster(path)
    rows = list(roster.rows())
    assert [(r.row, r.values["name"], r.values["street"]) for r in rows] == \
        [(4, "Zoë Berg", "Nygade 3, 2. sal")]


def test_roster_from_a_pipe(tmp_path):
    import threading

    fifo = tmp_path / "roster.fifo"
    os.mkfifo(fifo)
    text = "name,street,postal_code,city,country\nZoë Berg,Nygade 3,8000,Aarhus,DK\n"
    writer = threading.Thread(target=fifo.write_text, args=(text,), kwargs={"encoding":
                                                                            "utf-8"})
    writer.start()
    roster = read_roster(fifo)
    writer.join()
    assert [r.values["name"] for r in roster.rows()] == ["Zoë Berg"]
    assert list(roster.rows()) == list(roster.rows())  # read as often as needed


@pytest.mark.parametrize("before", [65535, 65534, 65533])
def test_roster_bad_byte_at_a_read_boundary(tmp_path, before):
    """The UTF-8 check reads 64 KiB at a time: a bad byte or a character cut there is
    still named with its line."""
    head = b"name,street,postal_code,city,country\n"
    filler = b"x" * (before - len(head) - 1) + b"\n"
    path = tmp_path / "r.csv"
    path.write_bytes(head + filler + "ø".encode() + b"\xff" + b",a,8000,Aarhus,DK\n")
    with pytest.raises(RosterError, match=r"line 3: byte 0xff is not UTF-8"):
        read_roster(path)
