"""Rosters from strangers (issue 20, "Hostile files"): every roster reader (.xlsx, .xls,
.ods, .csv) refuses a file past a limit whole, in bounded time and memory, whatever the file
claims: zip bombs, huge declared dimensions, millions of empty rows, deeply nested XML,
billion laughs, wrong extensions, encrypted workbooks. Each refusal runs the command line
under a memory limit (``limited_cli``): exit 1, one line on stderr naming the file and the
limit, no traceback, no Rust panic, nothing made.

The hostile files are built here, byte by byte where a library would refuse to write them
(a zip whose header lies, an OLE2 file holding an encrypted package)."""

from __future__ import annotations

import os
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import pytest

from campaign_letters.volunteer import spreadsheets
from campaign_letters.volunteer.roster import RosterError, read_roster
from tests.helpers.commands import python
from tests.helpers.spreadsheets import (
    MEMORY,
    limited_cli,
    save_with_libreoffice,
    saved_rosters,
)

slow = pytest.mark.slow

# -- building them ------------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
XLSX_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="Volunteers" sheetId="1" '
    'r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELATIONSHIPS}"><Relationship '
    'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET_START = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
HEADER_ROW = ('<row r="1">' + "".join(
    f'<c r="{column}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for column, name in zip("ABCD", ("name", "street", "city", "country"), strict=True))
    + "</row>")
ODS_NAMESPACES = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_MANIFEST = ('<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:'
                'manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-'
                'type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')


def xlsx(path: Path, sheet: Iterable[str], member: str = "xl/worksheets/sheet1.xml",
         **parts: str) -> Path:
    """A workbook of one sheet ('Volunteers') in ``member``, its XML written as it is
    generated (a sheet of millions of rows never sits in memory), other parts as given
    ('xl__sharedStrings.xml' for xl/sharedStrings.xml)."""
    relationships = XLSX_PARTS["xl/_rels/workbook.xml.rels"].replace(
        "worksheets/sheet1.xml", member.removeprefix("xl/"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**XLSX_PARTS, "xl/_rels/workbook.xml.rels": relationships,
                           **parts}.items():
            archive.writestr(name.replace("__", "/"), text)
        with archive.open(member, "w", force_zip64=True) as written:
            for piece in sheet:
                written.write(piece.encode())
    return path


def ods(path: Path, rows: Iterable[str], manifest: str = ODS_MANIFEST) -> Path:
    """An OpenDocument spreadsheet of one table ('Volunteers') with these rows' XML."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", manifest)
        with archive.open("content.xml", "w", force_zip64=True) as member:
            member.write(f'<office:document-content {ODS_NAMESPACES}><office:body>'
                         '<office:spreadsheet><table:table table:name="Volunteers">'.encode())
            for piece in rows:
                member.write(piece.encode())
            member.write(b"</table:table></office:spreadsheet></office:body>"
                         b"</office:document-content>")
    return path


def ods_row(*cells: str) -> str:
    return "<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{cell}</text:p>'
        "</table:table-cell>" for cell in cells) + "</table:table-row>"


def deflated(before: bytes, run: bytes, size: int, after: bytes) -> bytes:
    """A raw deflate stream of ``before``, ``size`` bytes of ``run`` and ``after``, about
    size/1000 bytes long: one MiB is compressed once and its output repeated (after a full
    flush each piece decodes on its own)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = packer.compress(before) + packer.flush(zlib.Z_FULL_FLUSH)
    piece = packer.compress(run * (1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return start + piece * (size >> 20) + packer.compress(after) + packer.flush()


def raw_zip(path: Path, members: dict[str, tuple[bytes, int]]) -> Path:
    """A zip archive of members already packed (name -> deflated bytes, the size its
    headers declare): what no zip library writes, a header that lies."""
    out, directory = bytearray(), bytearray()
    for name, (packed, declared) in members.items():
        encoded, offset = name.encode(), len(out)
        out += struct.pack("<4sHHHHHLLLHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(packed),
                           declared, len(encoded), 0) + encoded + packed
        directory += struct.pack("<4sHHHHHHLLLHHHHHLL", b"PK\x01\x02", 20, 20, 0, 8, 0, 0,
                                 0, len(packed), declared, len(encoded), 0, 0, 0, 0, 0,
                                 offset) + encoded
    path.write_bytes(bytes(out + directory) + struct.pack(
        "<4sHHHHLLH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory),
        len(out), 0))
    return path


def ole2(path: Path, streams: dict[str, bytes]) -> Path:
    """A compound file (OLE2, version 3) holding ``streams`` (each padded to 4096 bytes, so
    none goes to the mini stream): sector 0 the FAT, 1 the directory, then the streams."""
    sectors, fat = [b""], [0xFFFFFFFD, 0xFFFFFFFE]  # the FAT, then the directory: one sector
    entries = [("Root Entry", 5, 0xFFFFFFFF, 1, 0xFFFFFFFE, 0)]
    for index, (name, data) in enumerate(streams.items(), start=1):
        data = data.ljust(4096, b"\0")
        first = len(fat)
        count = -(-len(data) // 512)
        fat += [*range(first + 1, first + count), 0xFFFFFFFE]
        sectors += [data[at: at + 512].ljust(512, b"\0") for at in range(0, len(data), 512)]
        right = index + 1 if index < len(streams) else 0xFFFFFFFF
        entries.append((name, 2, right, 0xFFFFFFFF, first, len(data)))
    directory = b"".join(
        (name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
        + struct.pack("<HBBLLL16sL8s8sLQ", 2 * len(name) + 2, kind, 1, 0xFFFFFFFF, right,
                      child, b"\0" * 16, 0, b"\0" * 8, b"\0" * 8, start, size)
        for name, kind, right, child, start, size in entries).ljust(512, b"\0")
    sectors[0] = struct.pack(f"<{len(fat)}L", *fat).ljust(512, b"\xff")
    sectors.insert(1, directory)
    header = struct.pack("<8s16sHHHHH6sLLLLLLLLL", bytes.fromhex("d0cf11e0a1b11ae1"),
                         b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096,
                         0xFFFFFFFE, 0, 0xFFFFFFFE, 0) + struct.pack("<L", 0) \
        + b"\xff" * 4 * 108
    path.write_bytes(header + b"".join(sectors))
    return path


def refused(path: Path, *options: str) -> str:
    """``pack`` on the roster, under MEMORY: refused whole, with one line; that line."""
    out = path.parent / "pack"
    result = limited_cli("pack", "naju-haderslev", "--roster", path, "-o", out, *options)
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Error: {path}: "), lines[0]
    assert not out.exists(), "refused before anything was made"
    return lines[0]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[str, Path]:
    return saved_rosters(tmp_path_factory.mktemp("saved"))


# -- zip bombs ------------------------------------------------------------------------------------

@slow
def test_a_2_mb_workbook_whose_cell_unpacks_to_2_gb(tmp_path):
    before = (SHEET_START + "<sheetData>" + HEADER_ROW
              + '<row r="2"><c r="A2" t="inlineStr"><is><t>').encode()
    sheet = deflated(before, b"A", 2 << 30, b"</t></is></c></row></sheetData></worksheet>")
    path = raw_zip(tmp_path / "roster.xlsx", {
        **{name: (zlib.compress(text.encode())[2:-4], len(text))
           for name, text in XLSX_PARTS.items()},
        "xl/worksheets/sheet1.xml": (sheet, 4096)})  # the header says 4 KiB
    assert path.stat().st_size < 3 << 20
    line = refused(path)
    assert "sheet 'Volunteers', cell A2 holds more than 10,000 characters; a roster's " \
           "cell can hold at most 10,000: shorten it" in line


@slow
@pytest.mark.parametrize("declared", [1 << 10, 2 << 30], ids=["header-lies", "header-true"])
def test_a_member_that_unpacks_past_100_mb_is_refused_as_it_unpacks(tmp_path, declared):
    path = raw_zip(tmp_path / "roster.xlsx", {
        **{name: (zlib.compress(text.encode())[2:-4], len(text))
           for name, text in XLSX_PARTS.items()},
        "xl/worksheets/sheet1.xml": (zlib.compress(
            (SHEET_START + f"<sheetData>{HEADER_ROW}</sheetData></worksheet>").encode()
        )[2:-4], 400),
        "xl/media/image1.png": (deflated(b"", b"\0", 2 << 30, b""), declared % (1 << 32))})
    assert "it unpacks to more than 100,000,000 bytes (at xl/media/image1.png); a roster " \
           "can unpack to at most 100,000,000: is this the right file?" in refused(path)


# -- what a sheet declares or holds --------------------------------------------------------------

@slow
@pytest.mark.parametrize(("sheet", "parts", "expected"), [
    ('<dimension ref="A1:XFD1048576"/><sheetData>' + HEADER_ROW
     + '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>',
     {}, "sheet 'Volunteers' declares 1,048,576 rows (A1:XFD1048576); a roster can have at "
         "most 100,000 rows: delete the rows and columns beyond the roster's"),
    ('<sheetData>' + HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
     {}, "sheet 'Volunteers' has a row 1,048,576; a roster can have at most 100,000 rows"),
    ('<sheetData>' + HEADER_ROW + '<row><c r="XFD2"><v>1</v></c></row>', {},
     "sheet 'Volunteers' has a cell in column 16,384 (XFD2); a roster can have at most 200 "
     "columns"),
    ('<dimension ref="A1:HZ3"/><sheetData>' + HEADER_ROW, {},
     "sheet 'Volunteers' declares 234 columns (A1:HZ3); a roster can have at most 200 "
     "columns"),
    ('<sheetData>' + HEADER_ROW, {"xl__sharedStrings.xml": f'<sst xmlns="{MAIN}" count="1" '
                                  'uniqueCount="4000000000"><si><t>x</t></si></sst>'},
     "xl/sharedStrings.xml declares 4,000,000,000 different texts; a roster can have at "
     "most 20,000,000 (one per cell)"),
], ids=["declared", "far-row", "far-column", "declared-columns", "declared-texts"])
def test_a_workbook_that_declares_or_holds_a_huge_sheet(tmp_path, sheet, parts, expected):
    path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, sheet, "</sheetData></worksheet>"],
                **parts)
    assert path.stat().st_size < 4096
    assert expected in refused(path)


def million_empty_rows() -> Iterable[str]:
    yield SHEET_START + "<sheetData>" + HEADER_ROW
    for _ in range(2000):
        yield "<row/>" * 1000  # two million, generated as they are written
    yield "</sheetData></worksheet>"


@slow
def test_millions_of_empty_rows(tmp_path):
    path = xlsx(tmp_path / "roster.xlsx", million_empty_rows())
    assert "sheet 'Volunteers' holds more than 100,000 rows; a roster can have at most " \
           "100,000 rows" in refused(path)


@slow
@pytest.mark.parametrize(("rows", "expected"), [
    ([ods_row("name", "street", "city", "country"),
      '<table:table-row table:number-rows-repeated="1048570"><table:table-cell '
      'table:number-columns-repeated="16384"/></table:table-row>', ods_row("x")],
     "sheet 'Volunteers' has content in row 1,048,572; a roster can have at most 100,000 "
     "rows"),
    ([ods_row("name", "street", "city", "country"),
      '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
      'office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p>'
      "</table:table-cell></table:table-row>"],
     "sheet 'Volunteers' has a cell in column 16,384 (row 2); a roster can have at most 200 "
     "columns"),
    ([ods_row("name", "street", "city", "country"),
      ods_row('a<text:s text:c="1000000000"/>')],
     "sheet 'Volunteers', cell A2 holds more than 10,000 characters"),
    ((ods_row("name", "street", "city", "country") if row == 0 else "<table:table-row/>"
      for row in range(2_000_000)),
     "sheet 'Volunteers' holds more than 100,000 rows"),
], ids=["empty-rows-then-content", "repeated-content", "spaces", "million-rows"])
def test_an_ods_that_repeats_its_way_past_the_limits(tmp_path, rows, expected):
    assert expected in refused(ods(tmp_path / "roster.ods", rows))


@slow
def test_an_ods_whose_empty_rows_repeat_to_the_sheets_end_is_a_roster(tmp_path):
    """LibreOffice writes the rows after the last one as one empty row repeated to the
    sheet's end: nothing is built for them, the roster is read."""
    rows = [ods_row("name", "street", "city", "country"),
            ods_row("Eva Holm", "Vej 1", "Aarhus", "DK"),
            '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
            'table:number-columns-repeated="16384"/></table:table-row>']
    roster = read_roster(ods(tmp_path / "roster.ods", rows))
    assert [(row.row, row.name) for row in roster.rows()] == [(2, "Eva Holm")]


# -- XML that expands or nests -------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10 if n > 1 else "&lol;" * 10}">'
                    for n in range(1, 10)) + "]>")


@slow
@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_billion_laughs(tmp_path, kind):
    if kind == "xlsx":
        path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, "<sheetData>", HEADER_ROW,
                                              "</sheetData></worksheet>"],
                    **{"xl__sharedStrings.xml": LAUGHS + f'<sst xmlns="{MAIN}"><si><t>'
                                                "&lol9;</t></si></sst>"})
        member = "xl/sharedStrings.xml"
    else:
        path = tmp_path / "roster.ods"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            archive.writestr("META-INF/manifest.xml", ODS_MANIFEST)
            archive.writestr("content.xml", LAUGHS + f"<office:document-content "
                             f"{ODS_NAMESPACES}><text:p>&lol9;</text:p>"
                             "</office:document-content>")
        member = "content.xml"
    assert f"{member} has a document type declaration (<!DOCTYPE>), whose entities can " \
           "expand without end; a roster's XML can have none" in refused(path)


@slow
def test_deeply_nested_xml(tmp_path):
    depth = 1_000_000
    path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, "<sheetData>", HEADER_ROW,
                                          "<x>" * depth, "</x>" * depth,
                                          "</sheetData></worksheet>"])
    assert "xl/worksheets/sheet1.xml nests its XML more than 100 deep; a workbook nests at " \
           "most 100" in refused(path)


@slow
@pytest.mark.parametrize(("sheet", "expected"), [
    ("".join(f"<a{n}/>" for n in range(6000)), "xl/worksheets/sheet1.xml uses more than 5,000 "
     "different XML names; a workbook's part uses at most 5,000"),
    ('<row r="2" x="' + "y" * 5_000_000 + '"/>', "xl/worksheets/sheet1.xml has more than "
     "4,000,000 bytes in one tag or text; a workbook's XML has at most 4,000,000"),
], ids=["names", "a-long-tag"])
def test_xml_that_would_fill_the_parsers_memory(tmp_path, sheet, expected):
    """expat keeps every name it meets and a whole tag before it hands it over."""
    path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, "<sheetData>", HEADER_ROW, sheet,
                                          "</sheetData></worksheet>"])
    assert expected in refused(path)


@slow
def test_a_sheet_under_any_name_is_checked(tmp_path):
    """calamine reads the sheet the workbook's relationships name, whatever its name."""
    path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, '<dimension ref="A1:B2000000"/>',
                                          "<sheetData>", HEADER_ROW,
                                          "</sheetData></worksheet>"],
                member="xl/data/volunteers.bin")
    assert "sheet 'Volunteers' declares 2,000,000 rows (A1:B2000000)" in refused(path)


# -- wrong names, passwords ----------------------------------------------------------------------

@slow
@pytest.mark.parametrize(("kind", "name", "expected"), [
    ("csv", "roster.xlsx", "the file is text, not a spreadsheet (.xlsx); if it is CSV, "
                           "rename it to roster.csv"),
    ("xlsx", "roster.csv", "the file is an Excel workbook, not what its name says (.csv); "
                           "rename it to roster.xlsx"),
    ("ods", "roster.xlsx", "the file is an OpenDocument spreadsheet, not what its name says "
                           "(.xlsx); rename it to roster.ods"),
    ("xls", "roster.xlsx", "the file is an Excel 97-2003 workbook, not what its name says "
                           "(.xlsx); rename it to roster.xls"),
    ("xlsx", "roster.ods", "the file is an Excel workbook, not what its name says (.ods); "
                           "rename it to roster.xlsx"),
    ("random", "roster.xls", "cannot read it as a spreadsheet (the file is not an Excel "
                             "97-2003 workbook (.xls) nor any other spreadsheet)"),
], ids=["csv-as-xlsx", "xlsx-as-csv", "ods-as-xlsx", "xls-as-xlsx", "xlsx-as-ods", "noise"])
def test_a_file_whose_name_says_another_kind(tmp_path, saved, kind, name, expected):
    path = tmp_path / name
    path.write_bytes(os.urandom(4096) if kind == "random" else saved[kind].read_bytes())
    assert expected in refused(path)


@slow
def test_encrypted_workbooks(tmp_path, saved):
    message = "the workbook is encrypted (it needs a password to open); save it again " \
              "without a password"
    # Office's encryption: the zipped workbook, encrypted, inside an OLE2 file.
    package = ole2(tmp_path / "roster.xlsx", {"EncryptionInfo": b"\x04\x00\x04\x00",
                                              "EncryptedPackage": os.urandom(6000)})
    assert message in refused(package)
    # An .xls whose workbook stream starts with FILEPASS (RC4), as Excel writes it.
    data = bytearray(saved["xls"].read_bytes())
    start = data.find(bytes.fromhex("0908100000060500")) + 20  # after the first BOF
    data[start: start + 6] = struct.pack("<HHH", 0x002F, 2, 1)
    (tmp_path / "roster.xls").write_bytes(data)
    assert message in refused(tmp_path / "roster.xls")
    # An .ods whose manifest says its parts are encrypted.
    manifest = ODS_MANIFEST.replace("/></manifest:manifest>", "><manifest:encryption-data "
                                    'manifest:checksum-type="SHA1"/></manifest:file-entry>'
                                    "</manifest:manifest>")
    assert message in refused(ods(tmp_path / "roster.ods", [ods_row("x")], manifest))


@slow
def test_an_xls_past_the_limits_is_refused_by_its_reader(tmp_path, saved):
    """An .xls is not zipped: what it holds is known once calamine has read it, in its own
    process; 250 columns as LibreOffice saved them."""
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(f"c{n}" for n in range(250)) + "\n", encoding="utf-8")
    path = save_with_libreoffice(wide, "xls:MS Excel 97", tmp_path, "CSV:44,34,76,1")
    assert "sheet 'wide' holds 250 columns; a roster can have at most 200 columns" in \
        refused(path)


# -- the reader's own process -------------------------------------------------------------------

READ_UNCHECKED = """
import sys
from campaign_letters.volunteer import spreadsheets
spreadsheets.check_zipped = lambda data, shown: None  # calamine meets the file unchecked
spreadsheets.READER_SECONDS = int(sys.argv[2])
from campaign_letters.cli import main
main(["pack", "naju-haderslev", "--roster", sys.argv[1], "-o", sys.argv[3]])
"""


@slow
@pytest.mark.parametrize(("seconds", "expected"), [
    (120, "reading it needs more than 1,024 MB of memory; a roster can take at most 1,024 MB"),
    (0, "reading it took more than 0 seconds; a roster must read in at most 0"),
], ids=["abort", "timeout"])
def test_a_reader_that_aborts_or_runs_on_is_one_line(tmp_path, seconds, expected):
    """With the checks before it switched off, calamine builds the grid up to XFD1048576
    (512 GiB: Rust aborts the process) or is stopped at its time limit; either way the
    command says so in one line."""
    import resource

    path = xlsx(tmp_path / "roster.xlsx", [SHEET_START, "<sheetData>", HEADER_ROW,
                                          '<row r="1048576"><c r="XFD1048576"><v>1</v></c>'
                                          "</row></sheetData></worksheet>"])
    result = python(READ_UNCHECKED, path, str(seconds), tmp_path / "pack",
                    preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS,
                                                          (MEMORY, MEMORY)), timeout=300)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "panicked" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: {expected}: "), lines


# -- CSV -----------------------------------------------------------------------------------------

HEAD = "name,street,postal_code,city,country\n"


@pytest.mark.parametrize(("text", "expected"), [
    (HEAD + "a," * 300 + "\n", "row 2 has 301 cells; a roster can have at most 200 columns"),
    (HEAD + "x" * 10_001 + ",a,8000,Aarhus,DK\n",
     "row 2, column 1 holds more than 10,000 characters; a roster's cell can hold at most "
     "10,000"),
    (HEAD + '"' + "x" * 200_000 + '",a\n', "a cell in row 2 holds more than 10,000 characters"),
    (HEAD + "," * 5_000_000, "row 2 is longer than 4,000,602 characters; a roster's row can "
                             "have at most 200 cells of 10,000 characters"),
], ids=["columns", "cell", "cell-past-csv's-limit", "a-line-of-commas"])
def test_a_csv_past_the_limits(tmp_path, text, expected):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RosterError, match="^" + re.escape(f"{path}: ")) as caught:
        read_roster(path)
    assert expected in str(caught.value) and "\n" not in str(caught.value)


@slow
def test_a_csv_of_more_than_100_000_rows(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(HEAD + "\n" * 5_000_000, encoding="utf-8")  # blank rows are rows too
    assert "it holds more than 100,000 rows; a roster can have at most 100,000 rows: split " \
           "it into rosters of at most that many" in refused(path)


def test_a_roster_from_a_pipe_is_never_written_to_disk(tmp_path, monkeypatch):
    import tempfile

    def no_files(*args, **kwargs):
        raise AssertionError("a volunteer's details in a temporary file")

    for name in ("NamedTemporaryFile", "TemporaryFile", "mkstemp", "SpooledTemporaryFile"):
        monkeypatch.setattr(tempfile, name, no_files)
    fifo = tmp_path / "roster.fifo"
    os.mkfifo(fifo)
    text = HEAD + "Zoë Berg,Nygade 3,8000,Aarhus,DK\n"
    writer = threading.Thread(target=fifo.write_text, args=(text,), kwargs={"encoding":
                                                                            "utf-8"})
    writer.start()
    roster = read_roster(fifo)
    writer.join()
    assert [r.values["name"] for r in roster.rows()] == ["Zoë Berg"] * roster.count
    assert list(roster.rows()) == list(roster.rows())


@slow
def test_a_workbook_from_a_pipe(tmp_path):
    """A spreadsheet that can be read only once is kept in memory and handed to calamine
    over a pipe: read as often as needed, never copied to a file."""
    fifo = tmp_path / "roster.xlsx"
    os.mkfifo(fifo)
    source = xlsx(tmp_path / "source.xlsx", [
        SHEET_START, "<sheetData>", HEADER_ROW,
        '<row r="3"><c r="A3" t="inlineStr"><is><t>Eva Holm</t></is></c></row>',
        "</sheetData></worksheet>"])
    writer = threading.Thread(target=fifo.write_bytes, args=(source.read_bytes(),))
    writer.start()
    roster = read_roster(fifo)
    writer.join()
    assert [(row.row, row.name) for row in roster.rows()] == [(3, "Eva Holm")]
    assert list(roster.rows()) == list(roster.rows())


def test_the_reader_is_started_without_this_package():
    """calamine's process imports nothing of campaign_letters (quick to start) and writes
    no core dump."""
    child = Path(spreadsheets.CHILD).read_text(encoding="utf-8")
    assert "import campaign_letters" not in child and "from campaign_letters" not in child
    assert "RLIMIT_CORE" in child
