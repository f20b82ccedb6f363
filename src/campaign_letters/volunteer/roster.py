"""A volunteer roster (a spreadsheet, or CSV as spreadsheets export it) -> rows of sender
fields.

Spreadsheet files (.xlsx, .xls, .ods) are read with python-calamine, the first sheet or
the one named, in a process of its own and within limits (``spreadsheets``); a number a
spreadsheet made of a postcode comes back as its digits (800), for ``pack`` to pad
(postcodes.py). Spreadsheets export CSV as UTF-8 with or without a
byte-order mark, with commas or (in many European locales) semicolons, and quote cells
that hold line breaks. Rows are numbered as the spreadsheet shows them: the header is
row 1 when it is the first row, so the first volunteer is row 2, however many physical
lines a quoted cell spans. Which column holds which field is the header's to say, read
with the one table of headings (``headers``: "E-mail", "Code postal", "우편번호", ...).

Rosters come from strangers: every reader is bounded whatever the file claims
(``limits``). A CSV file is refused past MAX_FILE_BYTES, MAX_ROWS rows, MAX_COLUMNS cells
in a row or MAX_CELL characters in a cell as it is read, one row in memory at a time. A
roster that can be read only once (a pipe: ``--roster <(...)``) is kept in memory, never
copied to a file: the rows are volunteers' names and addresses.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import stat as file_types
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path
from typing import BinaryIO, TextIO

from campaign_letters.errors import InputError, RosterError
from campaign_letters.volunteer.headers import Header, examples, read_header
from campaign_letters.volunteer.limits import (
    MAX_CELL,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    encrypted,
    refusal,
    too_long_cell,
    too_many_columns,
    too_many_rows,
)
from campaign_letters.volunteer.sender import check_email
from campaign_letters.volunteer.spreadsheets import (
    LABELS,
    OLE2,
    ZIP,
    check_spreadsheet,
    kind_of,
    misnamed,
    read_bytes,
    sheet_rows,
)

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
MAX_ROSTER_BYTES = MAX_FILE_BYTES
# The longest a CSV row can be within the limits: every cell at its longest, each of its
# characters a quote (doubled), quoted, with its delimiter; and a line end.
MAX_RECORD = MAX_COLUMNS * (2 * MAX_CELL + 3) + 2
SPLIT = "split it into rosters of at most that many"


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
    already (every byte decodes, the quoting holds, every limit is kept) and counted what
    is needed up front."""

    path: Path
    header: Header  # which column holds which field
    delimiter: str
    count: int = 0  # rows with any content
    countries: Counter[str] = field(default_factory=Counter)  # of the usable rows
    emails: int = 0  # rows with something in the email column
    # Columns not read as email whose cells look like e-mail addresses, when no column is
    # headed email: (index, how messages name it), for a hint to head it email.
    email_like: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    shown: str = ""  # the path as given, for messages
    sheet: str | None = None  # for a spreadsheet file: the sheet read
    _stamp: tuple[int, int] = (0, 0)  # size and mtime when checked
    data: bytes | None = field(default=None, repr=False)  # a pipe's content, read once
    digest: str = ""  # a spreadsheet's SHA-256 when checked: the same bytes are read again

    def rows(self) -> Iterator[RosterRow]:
        """The volunteers' rows, in file order. RosterError if the file changed since it
        was checked (looked at every 256 rows and at the end) or can no longer be read."""
        try:
            self._check_unchanged()
            if self.sheet is not None:
                yield from _rows(iter(self._sheet_records()), self.header.fields)
                return
            with _text(self.path, self.data) as handle:
                records = _Records(handle, self.delimiter, self.shown)
                for count, row in enumerate(_rows(records, self.header.fields), start=1):
                    if count % 256 == 0:
                        self._check_unchanged()
                    yield row
            self._check_unchanged()
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise RosterError(f"{self.shown}: cannot read the roster any more: "
                              f"{getattr(exc, 'strerror', None) or exc}") from None

    def column(self, field: str) -> str | None:
        """How messages name ``field``'s column ("column 6 'E-mail'"), or None: no column
        holds it."""
        index = self.header.column(field)
        return None if index is None else self.header.describe(index)

    def missing_emails(self) -> str | None:
        """What keeps ``mail`` from writing to anyone, or None: no column is headed as
        the email column, or it is empty in every row."""
        column = self.column("email")
        if column is None:
            return (f"row {self.header.row}: no column holds e-mail addresses (headed "
                    f"{', '.join(examples('email'))}, ...)")
        if self.count and not self.emails:
            return f"the email column ({column}) is empty in every row"
        return None

    def email_hint(self) -> str:
        """Which columns hold e-mail addresses under another heading ("column 5 'Contact'
        holds e-mail addresses: head it email"), or ""."""
        return "; ".join(f"{described} holds e-mail addresses: head it email"
                         for _, described in self.email_like)

    def _sheet_records(self) -> list[list[str]]:
        data = self.data if self.data is not None else read_bytes(self.path, self.shown)
        if hashlib.sha256(data).hexdigest() != self.digest:
            raise _changed(self.shown)
        _, records = sheet_rows(self.path if self.data is None else None, data, self.sheet,
                                self.shown)
        if records is None:
            raise _changed(self.shown)
        return records

    def _check_unchanged(self) -> None:
        if self.data is not None:  # read once, kept: it cannot change
            return
        stat = self.path.stat()
        if (stat.st_size, stat.st_mtime_ns) != self._stamp:
            raise _changed(self.shown)


def _changed(shown: str) -> RosterError:
    return RosterError(f"{shown}: the roster changed while it was being used; run the "
                       "command again")


def _rows(reader: Iterator[list[str]], header: tuple[str, ...],
          look: Callable[[list[str]], None] | None = None) -> Iterator[RosterRow]:
    """Each volunteer's row, its cells under their fields (``header``: the field of each
    column, "" for one ignored); ``look`` is shown every row's cells as read."""
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
                  if column}
        if look is not None:
            look(record)
        yield RosterRow(number, values, problem)


class _Records:
    """csv.reader over a roster's text, refused past the limits as it reads: no row longer
    than MAX_RECORD characters is handed to the reader (a line of a million commas would
    be a million cells), none past row MAX_ROWS, no cell past MAX_CELL characters, no row
    of more than MAX_COLUMNS cells. ``line_num`` is the reader's."""

    def __init__(self, handle: TextIO, delimiter: str, shown: str):
        self.shown = shown
        self.number = 0  # rows read, blank ones too: the spreadsheet numbers them
        self.fed = 0  # characters of the row being read
        self.reader = csv.reader(self._lines(handle), delimiter=delimiter)

    @property
    def line_num(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        return self

    def __next__(self) -> list[str]:
        try:
            record = next(self.reader)
        except csv.Error as exc:
            if str(exc).startswith("field larger than field limit"):
                raise too_long_cell(self.shown, f"a cell in row {self.number + 1:,}") from None
            raise
        self.number += 1
        self.fed = 0
        if self.number > MAX_ROWS:
            raise too_many_rows(self.shown, f"it holds more than {MAX_ROWS:,} rows", SPLIT)
        if len(record) > MAX_COLUMNS:
            raise too_many_columns(self.shown, f"row {self.number:,} has {len(record):,} "
                                               "cells")
        for column, cell in enumerate(record, start=1):
            if len(cell) > MAX_CELL:
                raise too_long_cell(self.shown, f"row {self.number:,}, column {column}")
        return record

    def _lines(self, handle: TextIO) -> Iterator[str]:
        for line in handle:
            self.fed += len(line)
            if self.fed > MAX_RECORD:
                raise refusal(self.shown, f"row {self.number + 1:,} is longer than "
                                          f"{MAX_RECORD:,} characters",
                              f"a roster's row can have at most {MAX_COLUMNS} cells of "
                              f"{MAX_CELL:,} characters", "is this the right file? Check "
                              "the quotes in that row")
            yield line


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
        stat = path.stat()
        # A pipe, e.g. --roster <(...), can be read only once: it is kept in memory.
        data = None if file_types.S_ISREG(stat.st_mode) else read_bytes(path, shown)
        if data is None and stat.st_size > MAX_FILE_BYTES:
            raise RosterError(f"{shown}: {stat.st_size:,} bytes is more than a roster can be "
                              f"({MAX_FILE_BYTES:,}); is this the right file?")
        with _binary(path, data) as handle:
            start = handle.read(1 << 16)
            if start.startswith((ZIP, OLE2)):
                _not_csv(data if data is not None else read_bytes(path, shown), path, shown)
            handle.seek(0)
            _check_utf8(handle, shown)
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    first = _first_line(start)
    if first is None:
        raise RosterError(f"{shown}: the roster is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    delimiter = _delimiter(first)
    with _text(path, data) as handle:
        reader = _Records(handle, delimiter, shown)
        try:
            records = (record for record in reader if any(cell.strip() for cell in record))
            header_cells = next(records, None)
        except csv.Error as exc:
            raise RosterError(f"{shown}: line {reader.line_num}: {exc}; check the quotes in "
                              "that row") from None
    if header_cells is None:
        raise RosterError(f"{shown}: the roster is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    roster = Roster(path, read_header(header_cells, shown, reader.number), delimiter,
                    shown=shown, _stamp=(stat.st_size, stat.st_mtime_ns), data=data)
    with _text(path, data) as handle:
        reader = _Records(handle, delimiter, shown)
        try:
            _count(roster, reader)
        except csv.Error as exc:
            raise RosterError(f"{shown}: line {reader.line_num}: {exc}; check the quotes in "
                              "that row") from None
    return roster


def _count(roster: Roster, records: Iterator[list[str]]) -> None:
    """What is known of the rows before any is used: how many, their countries (for the
    labels' paper), how many have an e-mail address, and which columns look like one."""
    roster.warnings += roster.header.warnings
    emails = _EmailLike(roster.header)
    for row in _rows(records, roster.header.fields, emails.look):
        roster.count += 1
        roster.emails += bool((row.values.get("email") or "").strip())
        if not row.problem:
            roster.countries[(row.values.get("country") or "").strip().upper()] += 1
    roster.email_like = [(index, roster.header.describe(index)) for index in emails.found()]


class _EmailLike:
    """The columns, when none is headed email, whose cells are mostly e-mail addresses:
    the organizer most likely headed the addresses otherwise ("Contact"). The first
    SAMPLE filled cells of a column are enough to say so."""

    SAMPLE = 20

    def __init__(self, header: Header):
        self.watched = [] if header.column("email") is not None else \
            [index for index, field in enumerate(header.fields) if not field]
        self.filled = Counter[int]()
        self.addresses = Counter[int]()

    def look(self, record: list[str]) -> None:
        for index in self.watched:
            cell = record[index].strip() if index < len(record) else ""
            if cell and self.filled[index] < self.SAMPLE:
                self.filled[index] += 1
                self.addresses[index] += _is_email(cell)

    def found(self) -> list[int]:
        return [index for index in self.watched
                if self.filled[index] and 2 * self.addresses[index] >= self.filled[index]]


def _is_email(cell: str) -> bool:
    try:
        check_email("email", cell)
    except InputError:
        return False
    return True


def _not_csv(data: bytes, path: Path, shown: str) -> None:
    """RosterError for a spreadsheet file (zip or OLE2) given as CSV."""
    kind = kind_of(data, shown)
    if kind == "encrypted":
        raise encrypted(shown)
    if kind in LABELS:
        raise misnamed(shown, kind, path.suffix or "CSV")
    raise RosterError(f"{shown}: the file is an archive, not CSV text; export the roster "
                      "from the spreadsheet program as CSV UTF-8")


def _binary(path: Path, data: bytes | None) -> BinaryIO:
    return io.BytesIO(data) if data is not None else open(path, "rb")


def _text(path: Path, data: bytes | None) -> TextIO:
    return io.TextIOWrapper(_binary(path, data), encoding="utf-8-sig", newline="")


# -- spreadsheet files ---------------------------------------------------------------------

def _read_spreadsheet(path: Path, sheet: str | None, shown: str) -> Roster:
    try:
        stat = path.stat()
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    data = read_bytes(path, shown)
    check_spreadsheet(data, path.suffix, shown)
    regular = file_types.S_ISREG(stat.st_mode)
    names, records = sheet_rows(path if regular else None, data, sheet, shown)
    name = _sheet_name(names, sheet, shown)
    records = records or []
    header_row = next((number for number, record in enumerate(records, start=1)
                       if any(cell.strip() for cell in record)), None)
    if header_row is None:
        raise RosterError(f"{shown}: sheet {name!r} is empty; it needs a header row (name, "
                          "street, postal_code, city, country, ...) and a row per volunteer")
    roster = Roster(path, read_header(records[header_row - 1], shown, header_row), ",",
                    shown=shown, sheet=name, _stamp=(stat.st_size, stat.st_mtime_ns),
                    data=None if regular else data, digest=hashlib.sha256(data).hexdigest())
    _count(roster, iter(records))
    return roster


def _sheet_name(names: list[str], sheet: str | None, shown: str) -> str:
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
