"""Spreadsheet files (.xlsx, .xlsm, .xls, .ods) -> the rows of one sheet, read within limits.

In: a roster's path, its bytes (read here once, at most ``limits.MAX_FILE_BYTES``) and the
sheet asked for. Out: the workbook's sheet names and the sheet's rows from row 1 (as the
spreadsheet numbers them), each cell as text; or a ``RosterError``, one line naming the
file, the limit and its value.

1. The first bytes say what the file is, whatever its name ends in: a zip archive (.xlsx or
   .ods, by its members), an OLE2 compound file (.xls, or an encrypted workbook, which keeps
   an ``EncryptedPackage`` there) or text. A file whose content and name disagree is
   refused with the name that fits.
2. A zipped workbook is looked through before calamine sees it (``zipped``, ``xmlcheck``):
   unpacked size, declared and held rows and columns, cell lengths, XML entities, nesting.
3. python-calamine reads the sheet in a process of its own (``calamine_child``) limited to
   READER_MEMORY bytes of address space and READER_SECONDS, the rows coming back over a
   pipe, never through a file. A panic, an abort or a timeout there is one RosterError,
   not a crash; the rows' count and width and each cell are checked there too (what an
   .xls holds is only known once it is read).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from campaign_letters.errors import RosterError
from campaign_letters.volunteer.limits import (
    AGAIN,
    MAX_CELL,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_UNPACKED,
    READER_MEMORY,
    READER_SECONDS,
    RIGHT_FILE,
    column_name,
    damaged,
    encrypted,
    one_line,
    refusal,
    too_long_cell,
    too_many_columns,
    too_many_rows,
)
from campaign_letters.volunteer.zipped import check_zipped, zip_kind

ZIP, OLE2 = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".ods": "ods"}
LABELS = {"xlsx": ("an Excel workbook", ".xlsx"), "xls": ("an Excel 97-2003 workbook", ".xls"),
          "ods": ("an OpenDocument spreadsheet", ".ods")}
CHILD = Path(__file__).with_name("calamine_child.py")
# The child runs as a script, without this package (quick to start), and without the
# current folder on its import path (a file there cannot stand in for a module).
BOOT = ("import sys; del sys.path[0]; import runpy; "
        "runpy.run_path(sys.argv.pop(1), run_name='__main__')")


def read_bytes(path: Path, shown: str) -> bytes:
    """The whole file, refused past MAX_FILE_BYTES (a pipe too: it is read only so far)."""
    try:
        if path.is_file() and (size := path.stat().st_size) > MAX_FILE_BYTES:
            raise RosterError(f"{shown}: {size:,} bytes is more than a roster can be "
                              f"({MAX_FILE_BYTES:,}); is this the right file?")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise RosterError(f"{shown}: cannot read the roster: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise RosterError(f"{shown}: more than {MAX_FILE_BYTES:,} bytes is more than a roster "
                          "can be; is this the right file?")
    return data


def kind_of(data: bytes, shown: str) -> str:
    """'xlsx', 'ods', 'xls', 'encrypted', 'zip' (another archive), 'text' or 'other'."""
    if data.startswith(OLE2):
        return "encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "xls"
    if data.startswith(ZIP):
        return zip_kind(data, shown)
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < 4092:  # not a character cut at the end of the sample
            return "other"
    return "other" if b"\0" in data[:4096] else "text"


def check_spreadsheet(data: bytes, suffix: str, shown: str) -> None:
    """RosterError unless ``data`` is the kind of workbook its name says and, zipped,
    within every limit once unpacked (``zipped``)."""
    if not data:
        raise RosterError(f"{shown}: the file is empty; save the roster again from the "
                          "spreadsheet program")
    kind, expected = kind_of(data, shown), KINDS[suffix.lower()]
    if kind == "encrypted":
        raise encrypted(shown)
    if kind != expected:
        raise misnamed(shown, kind, suffix)
    if kind in ("xlsx", "ods"):
        check_zipped(data, shown)


def misnamed(shown: str, kind: str, suffix: str) -> RosterError:
    """A file whose content is not what its name ends in (``suffix``)."""
    stem = Path(shown).stem
    if kind in LABELS:
        label, right = LABELS[kind]
        return RosterError(f"{shown}: the file is {label}, not what its name says "
                           f"({suffix}); rename it to {stem}{right}")
    if kind == "text":
        return RosterError(f"{shown}: the file is text, not a spreadsheet ({suffix}); if it "
                           f"is CSV, rename it to {stem}.csv, otherwise open it in the "
                           "spreadsheet program and save it as .xlsx or CSV UTF-8")
    label = LABELS[KINDS[suffix.lower()]][0] if suffix.lower() in KINDS else "a spreadsheet"
    return damaged(shown, f"the file is not {label} ({suffix}) nor any other spreadsheet")


def sheet_rows(path: Path | None, data: bytes, sheet: str | None, shown: str
               ) -> tuple[list[str], list[list[str]] | None]:
    """The workbook's sheet names and the rows of ``sheet`` (default: the first), or None
    for rows if there is no such sheet. calamine reads ``path``, or ``data`` when the file
    cannot be read again (None: a pipe), in its own process."""
    command = [sys.executable, "-c", BOOT, str(CHILD), "-" if path is None else str(path),
               sheet or "", str(READER_MEMORY), str(READER_SECONDS + 5), str(MAX_ROWS),
               str(MAX_COLUMNS), str(MAX_CELL), str(MAX_UNPACKED)]
    try:
        child = subprocess.Popen(command, stdin=subprocess.PIPE if path is None else
                                 subprocess.DEVNULL, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the sheet's name
        raise RosterError(f"{shown}: cannot start the spreadsheet reader: "
                          f"{getattr(exc, 'strerror', None) or exc}") from None
    try:
        out, err = child.communicate(data if path is None else None, timeout=READER_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise refusal(shown, f"reading it took more than {READER_SECONDS} seconds",
                      f"a roster must read in at most {READER_SECONDS}", AGAIN) from None
    return _answer(out, err, child.returncode, sheet, shown)


def _answer(out: bytes, err: bytes, status: int, sheet: str | None, shown: str
            ) -> tuple[list[str], list[list[str]] | None]:
    names: list[str] | None = None
    rows: list[list[str]] = []
    for line in out.split(b"\n"):
        if not line:
            continue
        value: Any = json.loads(line)
        if isinstance(value, list):
            rows.append(value)
        elif "sheets" in value:
            names = value["sheets"]
        elif "end" in value and names is not None:
            return names, rows
        elif "error" in value:
            raise _refused(value, names, sheet, shown)
    if names is not None and (sheet or (names[0] if names else None)) not in names:
        return names, None
    raise _stopped(status, err, shown)


def _refused(error: dict[str, Any], names: list[str] | None, sheet: str | None,
             shown: str) -> RosterError:
    """What the child found past a limit, or what calamine said."""
    kind = error["error"]
    place = f"sheet {sheet or (names or [''])[0]!r}"
    if kind == "password":
        return encrypted(shown)
    if kind == "memory":
        return _too_big(shown)
    if kind == "rows":
        return too_many_rows(shown, f"{place} holds {error['count']:,} rows")
    if kind == "columns":
        return too_many_columns(shown, f"{place} holds {error['count']:,} columns")
    if kind == "cell":
        return too_long_cell(shown, f"{place}, cell {column_name(error['column'])}"
                                    f"{error['row']}")
    if kind == "text":
        return refusal(shown, f"{place} holds more than {MAX_UNPACKED:,} characters (at row "
                              f"{error['row']:,})",
                       f"a roster can hold at most {MAX_UNPACKED:,}", AGAIN)
    if names is None:
        return damaged(shown, str(error.get("detail", "")))
    return RosterError(f"{shown}: cannot read {place}: {one_line(str(error.get('detail')))}; "
                       f"{AGAIN}")


def _stopped(status: int, err: bytes, shown: str) -> RosterError:
    """The child ended without an answer: killed by its limits, or crashed."""
    if b"memory allocation of" in err or status == -signal.SIGKILL:
        return _too_big(shown)
    if status == -signal.SIGXCPU:
        return refusal(shown, f"reading it took more than {READER_SECONDS} seconds of "
                              "processor time",
                       f"a roster must read in at most {READER_SECONDS}", AGAIN)
    how = f"signal {signal.Signals(-status).name}" if status < 0 and -status in \
        signal.valid_signals() else f"status {status}"
    return RosterError(f"{shown}: the spreadsheet reader stopped on it ({how}); {AGAIN}")


def _too_big(shown: str) -> RosterError:
    return refusal(shown, f"reading it needs more than {READER_MEMORY >> 20:,} MB of memory",
                   f"a roster can take at most {READER_MEMORY >> 20:,} MB", RIGHT_FILE)
