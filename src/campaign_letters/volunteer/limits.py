"""The most a roster may hold, and the one-line refusal that names what went past it.

In: what a reader found on its way through a file (rows a sheet declares, a cell's length,
bytes unpacked...). Out: a ``RosterError`` saying, on one line, the file, what it holds,
the limit and its value, and what to do.

Rosters come from strangers, and a spreadsheet can claim anything: a 2 MB .xlsx can unpack
to gigabytes, a tiny one can place a cell at XFD1048576 (and make its reader build the whole
grid up to it). Every roster reader refuses a file past one of these limits while reading
it, before it builds the file in memory: ``roster`` for CSV, ``zipped`` before calamine opens
a zipped workbook, ``spreadsheets`` around calamine itself (``calamine_child``, in a process
of its own with ``READER_MEMORY`` and ``READER_SECONDS``). The limits are far above any real
roster (100,000 volunteers with a few columns of short text) and far below what would
exhaust a machine.
"""

from __future__ import annotations

from campaign_letters.errors import RosterError

MAX_ROWS = 100_000  # as the spreadsheet numbers them: the header is one of them
MAX_COLUMNS = 200
MAX_CELL = 10_000  # characters in one cell
MAX_FILE_BYTES = 50_000_000  # on disk; ~100,000 volunteers, a bigger file is surely something else
MAX_UNPACKED = 100_000_000  # a zipped workbook's members, unpacked, all together
MAX_MEMBERS = 10_000  # files inside a zipped workbook (a real one has a few dozen)
MAX_XML_DEPTH = 100  # nesting of XML elements (a worksheet nests 7 deep, an .ods 10)
# expat keeps every element and attribute name it meets, and a whole tag, in memory: a
# part of a workbook uses a few hundred names at most, and no tag or text between two
# '>' runs to megabytes (a cell's text is at most MAX_CELL).
MAX_XML_NAMES = 5_000  # different element names, and different attribute names, in a part
MAX_XML_TOKEN = 4_000_000  # bytes from one '>' to the next
MAX_TEXTS = MAX_ROWS * MAX_COLUMNS  # distinct texts an .xlsx may declare: one per cell
READER_MEMORY = 1 << 30  # bytes of address space for calamine's process
READER_SECONDS = 120  # for calamine's process to read one sheet

AGAIN = "save it again from the spreadsheet program, or export the sheet as CSV UTF-8"
RIGHT_FILE = "is this the right file? If so, " + AGAIN
TRIM = ("delete the rows and columns beyond the roster's (or copy the roster alone into a new "
        "sheet) and save it again")


def refusal(shown: str, found: str, limit: str, advice: str) -> RosterError:
    """``roster.xlsx: <found>; <limit>: <advice>``, one line."""
    return RosterError(f"{shown}: {found}; {limit}: {advice}")


def too_many_rows(shown: str, found: str, advice: str = TRIM) -> RosterError:
    return refusal(shown, found, f"a roster can have at most {MAX_ROWS:,} rows", advice)


def too_many_columns(shown: str, found: str) -> RosterError:
    return refusal(shown, found, f"a roster can have at most {MAX_COLUMNS:,} columns", TRIM)


def too_long_cell(shown: str, where: str) -> RosterError:
    return refusal(shown, f"{where} holds more than {MAX_CELL:,} characters",
                   f"a roster's cell can hold at most {MAX_CELL:,}",
                   "shorten it (a roster needs names, addresses and short notes) and save "
                   "it again")


def damaged(shown: str, detail: str) -> RosterError:
    return RosterError(f"{shown}: cannot read it as a spreadsheet ({one_line(detail)}); "
                       f"{AGAIN}")


def column_name(number: int) -> str:
    """The spreadsheet's letters for a column counted from 1.

    >>> column_name(1), column_name(27), column_name(16384)
    ('A', 'AA', 'XFD')
    """
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def one_line(text: str, most: int = 200) -> str:
    """A library's message on one line, cut to ``most`` characters."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


def encrypted(shown: str) -> RosterError:
    return RosterError(f"{shown}: the workbook is encrypted (it needs a password to open); "
                       "save it again without a password, or export the sheet as CSV UTF-8")
