"""A volunteer roster (a spreadsheet, or CSV as spreadsheets export it) -> rows of sender
fields.

Spreadsheet files (.xlsx, .xls, .ods) are read with python-calamine, the first sheet or
the one named; a number a spreadsheet made of a postcode comes back as its digits (800),
for ``pack`` to pad (postcodes.py). Spreadsheets export CSV as UTF-8 with or without a
byte-order mark, with commas or (in many European locales) semicolons, and quote cells
that hold line breaks. Rows are numbered as the spreadsheet shows them: the header is
row 1 when it is the first row, so the first volunteer is row 2, however many physical
lines a quoted cell spans.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import BinaryIO

from campaign_letters.errors import RosterError

COLUMNS = ("name", "street", "postal_code", "city", "region", "country", "email", "language",
           "note")
REQUIRED_COLUMNS = ("name", "street", "city", "country")
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_ROSTER_BYTES = 50_000_000  # ~100,000 volunteers; a bigger file is surely something else


@dataclass(frozen=True)
class RosterRow:
    row: int  # as the spreadsheet shows it: the header is row 1
    values: dict[str, str]  # known columns only, cells as typed
    problem: str | None = None  # a row that cannot be used at all (e.g. too many cells)

    @property
    def name(self) -> str:
        return self.values.get("name", "").strip()


@dataclass
class Roster:
    """A checked roster. Its rows are read from the file each time they are asked for, so
    a roster of any length takes no memory; ``read_roster`` has read the whole file once
    already (every byte decodes, the quoting holds) and counted what is needed up front."""

    path: Path
    columns: tuple[str, ...]
    delimiter: str
    count: int = 0  # rows with any content
    countries: Counter[str] = field(default_factory=Counter)  # of the usable rows
    warnings: list[str] = field(default_factory=list)
    shown: str = ""  # the path as given, for messages (``path`` may be a copy)
    sheet: str | None = None  # for a spreadsheet file: the sheet read
    _stamp: tuple[int, int] = (0, 0)  # size and mtime when checked

    def rows(self) -> Iterator[RosterRow]:
        """The volunteers' rows, in file order. RosterError if the file changed since it
        was checked (looked at every 256 rows and at the end) or can no longer be read."""
        try:
            self._check_unchanged()
            if self.sheet is not None:
                yield from _rows(iter(_sheet_records(self.path, self.sheet, self.shown)),
                                 self.columns)
                return
            with open(self.path, encoding="utf-8-sig", newline="") as handle:
                for count, row in enumerate(_rows(csv.reader(handle, delimiter=self.delimiter),
                                                  self.columns), start=1):
                    if count % 256 == 0:
                        self._check_unchanged()
                    yield row
            self._check_unchanged()
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise RosterError(f"{self.shown}: cannot read the roster any more: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None

    def _check_unchanged(self) -> None:
        stat = self.path.stat()
        if (stat.st_size, stat.st_mtime_ns) != self._stamp:
            raise RosterError(f"{self.shown}: the roster changed while it was being used; "
                              "run the command again")


def _rows(reader: Iterator[list[str]], header: tuple[str, ...]) -> Iterator[RosterRow]:
    # Rows are counted as the spreadsheet counts them, blank rows included; the first row
    # with content is the header.
    seen_header = False
    for number, record in enumerate(reader, start=1):
        if not any(cell.strip() for cell in record):
            continue
        if not seen_header:
            seen_header = True
            continue
        problem = None
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            problem = (f"has {len(record)} cells but the header has {len(header)}: a cell "
                       "holding the delimiter must be quoted")
        values = {column: cell for column, cell in zip(header, record, strict=False)
                  if column in COLUMNS}
        yield RosterRow(number, values, problem)


def _normalize_header(cell: str) -> str:
    """'Postal Code' / 'postal-code' / ' POSTAL_CODE ' -> 'postal_code'."""
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Read and check the whole file and its header; rows come back as typed (checked
    later, one by one) from ``Roster.rows``. ``sheet``: a spreadsheet's sheet by name
    (default: the first)."""
    shown = str(path)
    if path.suffix.lower() in SPREADSHEETS:
        return _read_spreadsheet(path, sheet, shown)
    if sheet is not None:
        raise RosterError(f"{shown}: --sheet is for spreadsheet files (.xlsx, .xls, .ods); "
                          "a CSV file has one table")
    try:
        if not path.is_file():  # a pipe, e.g. --roster <(...): read it once, into a file
            path = _copy_of(path, shown)
        stat = path.stat()
        if stat.st_size > MAX_ROSTER_BYTES:
            raise RosterError(f"{shown}: {stat.st_size:,} bytes is more than a roster can be "
                              f"({MAX_ROSTER_BYTES:,}); is this the right file?")
        with open(path, "rb") as handle:
            _check_utf8(handle, shown)
            handle.seek(0)
            first = _first_line(handle.read(1 << 16))
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    if first is None:
        raise RosterError(f"{shown}: the roster is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    delimiter = _delimiter(first)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            records = (record for record in reader if any(cell.strip() for cell in record))
            header_cells = next(records, None)
        except csv.Error as exc:
            raise RosterError(f"{shown}: line {reader.line_num}: {exc}; check the quotes in "
                              "that row") from None
    if header_cells is None:
        raise RosterError(f"{shown}: the roster is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    header = tuple(_normalize_header(cell) for cell in header_cells)
    roster = Roster(path, header, delimiter, shown=shown,
                    _stamp=(stat.st_size, stat.st_mtime_ns))
    _check_header(roster, header, header_cells, shown)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            for row in _rows(reader, header):
                roster.count += 1
                if not row.problem:
                    roster.countries[(row.values.get("country") or "").strip().upper()] += 1
        except csv.Error as exc:
            raise RosterError(f"{shown}: line {reader.line_num}: {exc}; check the quotes in "
                              "that row") from None
    return roster


def _check_header(roster: Roster, header: tuple[str, ...], header_cells: list[str],
                  shown: str) -> None:
    for index, column in enumerate(header):
        if column and column not in COLUMNS:
            close = get_close_matches(column, COLUMNS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f"; known columns: {', '.join(COLUMNS)}"
            roster.warnings.append(f"{shown}: row 1, column {index + 1}: unknown column "
                                   f"{header_cells[index].strip()!r} is ignored{hint}")
        elif column and header.index(column) != index:
            raise RosterError(f"{shown}: row 1: column {column!r} appears twice; keep one")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterError(f"{shown}: row 1: the header has no {', '.join(map(repr, missing))} "
                          f"column{'s' * (len(missing) > 1)}; the header row must name the "
                          f"columns ({', '.join(COLUMNS)}), in any order")


# -- spreadsheet files ---------------------------------------------------------------------

def _read_spreadsheet(path: Path, sheet: str | None, shown: str) -> Roster:
    try:
        stat = path.stat()
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    if stat.st_size > MAX_ROSTER_BYTES:
        raise RosterError(f"{shown}: {stat.st_size:,} bytes is more than a roster can be "
                          f"({MAX_ROSTER_BYTES:,}); is this the right file?")
    name = _sheet_name(path, sheet, shown)
    records = _sheet_records(path, name, shown)
    header_cells = next((r for r in records if any(c.strip() for c in r)), None)
    if header_cells is None:
        raise RosterError(f"{shown}: sheet {name!r} is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    header = tuple(_normalize_header(cell) for cell in header_cells)
    roster = Roster(path, header, ",", shown=shown, sheet=name,
                    _stamp=(stat.st_size, stat.st_mtime_ns))
    _check_header(roster, header, header_cells, shown)
    for row in _rows(iter(records), header):
        roster.count += 1
        if not row.problem:
            roster.countries[(row.values.get("country") or "").strip().upper()] += 1
    return roster


def _sheet_name(path: Path, sheet: str | None, shown: str) -> str:
    from python_calamine import CalamineError, load_workbook

    try:
        workbook = load_workbook(str(path))
        names = list(workbook.sheet_names)
    except (CalamineError, OSError, ValueError) as exc:
        raise RosterError(f"{shown}: cannot read it as a spreadsheet ({exc}); save it again "
                          "from the spreadsheet program, or as CSV UTF-8") from None
    if not names:
        raise RosterError(f"{shown}: the file has no sheet")
    if sheet is None:
        return names[0]
    if sheet not in names:
        close = get_close_matches(sheet, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise RosterError(f"{shown}: no sheet {sheet!r}{hint}; its sheets: "
                          f"{', '.join(names)}")
    return sheet


def _sheet_records(path: Path, name: str, shown: str) -> list[list[str]]:
    """Every row of the sheet from its first (row 1 is A1), each cell as text."""
    from python_calamine import CalamineError, load_workbook

    try:
        rows = load_workbook(str(path)).get_sheet_by_name(name).to_python(
            skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise RosterError(f"{shown}: cannot read sheet {name!r}: {exc}") from None
    return [[_cell_text(cell) for cell in row] for row in rows]


def _cell_text(cell: object) -> str:
    """A cell as a person reads it: 800.0 is '800', a date is 2026-12-02."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return str(cell)


def _copy_of(path: Path, shown: str) -> Path:
    """A temporary copy of a roster that can be read only once (removed at exit)."""
    with open(path, "rb") as source, tempfile.NamedTemporaryFile(
            prefix="roster-", suffix=".csv", delete=False) as copy:
        while chunk := source.read(1 << 16):
            copy.write(chunk)
            if copy.tell() > MAX_ROSTER_BYTES:
                raise RosterError(f"{shown}: more than {MAX_ROSTER_BYTES:,} bytes is more "
                                  "than a roster can be; is this the right file?")
    atexit.register(Path(copy.name).unlink, missing_ok=True)
    return Path(copy.name)


def _check_utf8(handle: BinaryIO, shown: str) -> None:
    """RosterError naming the line of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    while chunk := handle.read(1 << 16):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            # exc.object is what the decoder held over from the last chunk, then this one.
            line += exc.object[: exc.start].count(b"\n")
            raise RosterError(f"{shown}: line {line}: byte 0x{exc.object[exc.start]:02x} is "
                              "not UTF-8; export the sheet as 'CSV UTF-8' (Excel) or choose "
                              "UTF-8 when saving as CSV") from None
        line += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise RosterError(f"{shown}: line {line}: the file ends in the middle of a character; "
                          "export the sheet as 'CSV UTF-8' again") from None


def _first_line(start: bytes) -> str | None:
    """The first line with content (the header) of the file's first bytes; None for an
    empty file. Lines may end in CR (old Macs), LF or both."""
    text = start.decode("utf-8-sig", errors="replace")
    return next((line for line in text.splitlines() if line.strip()), None)
