"""A volunteer roster (CSV as spreadsheets export it) -> rows of sender fields.

Spreadsheets export UTF-8 with or without a byte-order mark, with commas or (in many
European locales) semicolons, and quote cells that hold line breaks. Rows are numbered as
the spreadsheet shows them: the header is row 1, so the first volunteer is row 2, however
many physical lines a quoted cell spans.
"""

from __future__ import annotations

import bisect
import csv
import io
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from .errors import CampaignError

COLUMNS = ("name", "street", "postal_code", "city", "region", "country", "email", "language",
           "note")
REQUIRED_COLUMNS = ("name", "street", "city", "country")
MAX_ROSTER_BYTES = 50_000_000  # ~100,000 volunteers; a bigger file is surely something else


class RosterError(CampaignError):
    """The roster as a whole cannot be read (no row is produced)."""


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
    path: Path
    rows: list[RosterRow]
    warnings: list[str] = field(default_factory=list)
    columns: tuple[str, ...] = ()

    def row(self, number: int) -> RosterRow:
        """The row with spreadsheet row ``number`` (rows are in file order)."""
        index = bisect.bisect_left(self.rows, number, key=lambda row: row.row)
        if index == len(self.rows) or self.rows[index].row != number:
            raise KeyError(number)
        return self.rows[index]


def _normalize_header(cell: str) -> str:
    """'Postal Code' / 'postal-code' / ' POSTAL_CODE ' -> 'postal_code'."""
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _delimiter(header_line: str) -> str:
    try:
        return csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def read_roster(path: Path) -> Roster:
    """Read and check the header; rows come back as typed (checked later, one by one)."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_ROSTER_BYTES:
            raise RosterError(f"{shown}: {size:,} bytes is more than a roster can be "
                              f"({MAX_ROSTER_BYTES:,}); is this the right file?")
        raw = path.read_bytes()
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RosterError(f"{shown}: line {line}: byte 0x{raw[exc.start]:02x} is not UTF-8; "
                          "export the sheet as 'CSV UTF-8' (Excel) or choose UTF-8 when "
                          "saving as CSV") from None
    if not text.strip():
        raise RosterError(f"{shown}: the roster is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    header_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise RosterError(f"{shown}: line {reader.line_num}: {exc}; check the quotes in "
                          "that row") from None
    records = [r for r in records if any(cell.strip() for cell in r)] if records else []
    header = [_normalize_header(cell) for cell in records[0]]
    roster = Roster(path, [], columns=tuple(header))
    for index, column in enumerate(header):
        if column and column not in COLUMNS:
            close = get_close_matches(column, COLUMNS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else \
                f"; known columns: {', '.join(COLUMNS)}"
            roster.warnings.append(f"{shown}: row 1, column {index + 1}: unknown column "
                                   f"{records[0][index].strip()!r} is ignored{hint}")
        elif column and header.index(column) != index:
            raise RosterError(f"{shown}: row 1: column {column!r} appears twice; keep one")
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise RosterError(f"{shown}: row 1: the header has no {', '.join(map(repr, missing))} "
                          f"column{'s' * (len(missing) > 1)}; the header row must name the "
                          f"columns ({', '.join(COLUMNS)}), in any order")
    # Rows are counted as the spreadsheet counts them, blank rows included.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    for number, record in enumerate(reader, start=1):
        if number == 1 or not any(cell.strip() for cell in record):
            continue
        problem = None
        if len(record) > len(header) and any(cell.strip() for cell in record[len(header):]):
            problem = (f"has {len(record)} cells but the header has {len(header)}: a cell "
                       "holding the delimiter must be quoted")
        values = {column: cell for column, cell in zip(header, record, strict=False)
                  if column in COLUMNS}
        roster.rows.append(RosterRow(number, values, problem))
    return roster
