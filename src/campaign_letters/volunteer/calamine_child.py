"""Run as a script, in a process of its own (``spreadsheets`` starts it): python-calamine
reads one sheet of a workbook here, so that whatever its Rust code does with a hostile file
(a panic, an abort on a failed allocation, a runaway loop) ends this process and not the
command that reads the roster.

In: argv: the workbook's path, or ``-`` for its bytes on standard input; the sheet's name
('' for the first); the address space and CPU seconds this process may use; the most rows,
columns, characters in a cell and characters in all that a roster may have. Out, on
standard output, one JSON value a line: ``{"sheets": [...]}``, then, if the sheet is
there, each row from row 1 as a list of texts and ``{"end": rows}``; or, instead of rows,
``{"error": kind, ...}`` with what went past a limit or what calamine said. Each cell is
text as a person reads it: 800.0 is '800', a date 2026-12-02.

It imports nothing of campaign_letters (started with the interpreter alone, it is ready in
a tenth of a second) and writes nothing anywhere else: no file, no core dump (RLIMIT_CORE 0),
since the rows are volunteers' names and addresses.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from typing import Any


def limit(memory: int, seconds: int) -> None:
    """This process's own limits, lowered only (a caller's lower ones stay). Where the
    system has none to set (no ``resource`` module, or one it refuses), the caller's
    clock alone limits this process."""
    try:
        import resource
    except ImportError:
        return
    for kind, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, seconds),
                        (resource.RLIMIT_CORE, 0)):
        soft, hard = resource.getrlimit(kind)
        cap = value if hard == resource.RLIM_INFINITY else min(value, hard)
        if soft == resource.RLIM_INFINITY or soft > cap:
            with contextlib.suppress(ValueError, OSError):
                resource.setrlimit(kind, (cap, hard))


def cell_text(cell: object) -> str:
    """A cell as a person reads it: 800.0 is '800', a date is 2026-12-02."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    isoformat = getattr(cell, "isoformat", None)
    if isoformat is not None:
        return str(isoformat())
    return str(cell)


def read(source: str, sheet: str, most: dict[str, int], emit: Any) -> None:
    """Emit the workbook's sheet names, then the sheet's rows (see the module's doc)."""
    from python_calamine import PasswordError, load_workbook

    try:
        workbook = load_workbook(io.BytesIO(sys.stdin.buffer.read()) if source == "-"
                                 else source)
        names = [str(name) for name in workbook.sheet_names]
    except PasswordError:
        emit({"error": "password"})
        return
    emit({"sheets": names})
    name = sheet or (names[0] if names else "")
    if name not in names:
        return
    found = workbook.get_sheet_by_name(name)
    end = found.end  # (row, column) from 0 of the last cell; None for an empty sheet
    if end is not None and end[0] + 1 > most["rows"]:
        emit({"error": "rows", "count": end[0] + 1})
        return
    if end is not None and end[1] + 1 > most["columns"]:
        emit({"error": "columns", "count": end[1] + 1})
        return
    rows = found.to_python(skip_empty_area=False) if end is not None else []
    total = 0
    for number, row in enumerate(rows, start=1):
        texts = [cell_text(cell) for cell in row]
        for column, text in enumerate(texts, start=1):
            if len(text) > most["cell"]:
                emit({"error": "cell", "row": number, "column": column})
                return
            total += len(text)
        if total > most["text"]:
            emit({"error": "text", "row": number})
            return
        emit(texts)
        rows[number - 1] = []  # this row is on its way: its memory can go
    emit({"end": len(rows)})


def main(argv: list[str]) -> None:
    source, sheet, memory, seconds, rows, columns, cell, text = argv
    limit(int(memory), int(seconds))
    out = sys.stdout.buffer

    def emit(value: object) -> None:
        out.write(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
                  + b"\n")

    most = {"rows": int(rows), "columns": int(columns), "cell": int(cell), "text": int(text)}
    try:
        read(source, sheet, most, emit)
    except MemoryError:
        emit({"error": "memory"})
    except Exception as exc:
        emit({"error": "read", "detail": (str(exc) or type(exc).__name__)[:500]})
    except BaseException as exc:  # a Rust panic: pyo3's PanicException is not an Exception
        emit({"error": "read", "detail": f"{type(exc).__name__}: {exc}"[:500]})
    out.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
