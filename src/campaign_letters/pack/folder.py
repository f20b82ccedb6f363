"""The pack folder's format, owned here: every file's name, the manifest's columns, the
pack's description (``pack.json``) and the two journals. ``pack`` writes through this
module; ``mail`` and the command line read through it, and never re-derive what ``pack``
decided for a volunteer (the letters' language, whom they address): the pack journal
records it.

    PACK/
      letters/NNNN-name.pdf   each volunteer's letters
      print-pack.pdf          every letter, bookmarked; when the letters are on two paper
                              sizes, one file per size instead, for one printer tray
                              each: print-pack-a4.pdf, print-pack-letter.pdf
      labels.pdf              an address label per letter
      manifest.csv            a row a volunteer: what was made, or why not; mail_status
      pack.json               where the campaign and roster are, the date and choices
      .pack-journal           a JSON line per volunteer made (and the date), for resuming
      .mail-journal           a JSON line per message outcome, so none is sent twice
      mail/                   ``mail --dry-run``'s messages

Every cell of the manifest is written so that a spreadsheet program shows it as text and
never runs it (``files.spreadsheet_cell``: "=1+2 Anna" is written '=1+2 Anna) and read
back as it was. Both journals are appended a line at a time. The mail journal is synced
to disk before the next line (a crash loses nothing already recorded: no letter is sent
twice); the pack journal at most every half second and when the pack closes (a power cut
may lose its last lines: those volunteers' letters are made again). A line cut short by a
crash is ignored on reading.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import io
import json
import math
import os
import time
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from campaign_letters.compose.paper import GEOMETRIES
from campaign_letters.errors import MailError, OutputError
from campaign_letters.files import from_spreadsheet_cell, spreadsheet_cell, write_atomically

LETTERS_DIR = "letters"
MAIL_DIR = "mail"
PRINT_PACK = "print-pack.pdf"
LABELS = "labels.pdf"
MANIFEST = "manifest.csv"
PACK_INFO = "pack.json"
PACK_JOURNAL = ".pack-journal"
MAIL_JOURNAL = ".mail-journal"
# Every paper size letters are made on ("a4", "letter"), for the print files' names.
PAPER_SIZES = tuple(dict.fromkeys(geometry.paper for geometry in GEOMETRIES.values()))
PAPER_NAMES = {"a4": "A4", "letter": "US Letter"}  # for messages

MANIFEST_COLUMNS = ("row", "name", "file", "recipients", "pages", "sha256", "status",
                    "problem")
MAIL_STATUS = "mail_status"
MADE, FAILED = "ok", "failed"  # a manifest row's status


# -- the print pack ---------------------------------------------------------------------------

def print_pack_names(papers: Collection[str]) -> dict[str, str]:
    """The print file for each paper size a pack's letters are on: ``print-pack.pdf``
    for one size; for more, one file each, so no printer tray gets the other's sheets.

    >>> print_pack_names(["a4"])
    {'a4': 'print-pack.pdf'}
    >>> print_pack_names(["a4", "letter"])
    {'a4': 'print-pack-a4.pdf', 'letter': 'print-pack-letter.pdf'}
    """
    if len(papers) == 1:
        return {paper: PRINT_PACK for paper in papers}
    return {paper: print_pack_for(paper) for paper in papers}


def print_pack_for(paper: str) -> str:
    """The print file of one paper size, when a pack has two: 'print-pack-a4.pdf'."""
    return f"print-pack-{paper}.pdf"


def remove_stale_print_packs(pack_dir: Path, keep: Collection[str]) -> None:
    """Remove the print files an earlier run made that this one did not (the paper sizes
    changed): a print-pack.pdf beside a print-pack-a4.pdf would be printed twice."""
    for name in (PRINT_PACK, *map(print_pack_for, PAPER_SIZES)):
        if name not in keep:
            (pack_dir / name).unlink(missing_ok=True)


# -- pack.json --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackInfo:
    """Where a pack's campaign and roster are and how its letters were made (nothing of
    any volunteer's)."""

    campaign: str  # the campaign file, absolute
    roster: str  # the roster file, absolute
    sheet: str | None
    date: dt.date
    to: str
    address_by: str

    def write(self, pack_dir: Path) -> None:
        write_atomically(pack_dir / PACK_INFO, json.dumps({
            "campaign": self.campaign, "roster": self.roster, "sheet": self.sheet,
            "date": self.date.isoformat(), "to": self.to, "address_by": self.address_by},
            indent=1).encode())

    @classmethod
    def read(cls, pack_dir: Path) -> PackInfo:
        if not (pack_dir / PACK_INFO).is_file() or not (pack_dir / MANIFEST).is_file():
            raise MailError(f"{pack_dir} is not a finished pack (no {PACK_INFO} or "
                            f"{MANIFEST}): run `campaign-letters pack` first")
        info = json.loads((pack_dir / PACK_INFO).read_text(encoding="utf-8"))
        return cls(campaign=info["campaign"], roster=info["roster"], sheet=info["sheet"],
                   date=dt.date.fromisoformat(info["date"]), to=info.get("to", "all"),
                   address_by=info.get("address_by", "auto"))


# -- manifest.csv -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ManifestRow:
    row: int
    name: str
    file: str
    recipients: str
    pages: str
    sha256: str
    status: str
    problem: str
    mail_status: str = ""

    @property
    def is_made(self) -> bool:
        return self.status == MADE


def read_manifest(pack_dir: Path) -> list[ManifestRow]:
    with (pack_dir / MANIFEST).open(encoding="utf-8", newline="") as handle:
        return [ManifestRow(row=int(entry["row"]),
                            **{c: from_spreadsheet_cell(entry.get(c) or "")
                               for c in MANIFEST_COLUMNS[1:]},
                            mail_status=from_spreadsheet_cell(entry.get(MAIL_STATUS) or ""))
                for entry in csv.DictReader(handle)]


def count_manifest_rows(pack_dir: Path) -> int:
    """The volunteers a pack's manifest lists (0 for a folder that has none)."""
    try:
        with (pack_dir / MANIFEST).open(encoding="utf-8") as handle:
            return max(0, sum(1 for _ in handle) - 1)
    except OSError:
        return 0


class ManifestWriter:
    """manifest.csv, a row a volunteer as each is done; renamed into place at the end."""

    def __init__(self, pack_dir: Path):
        self.path = pack_dir / MANIFEST
        self.tmp = pack_dir / f".{MANIFEST}.{os.getpid()}.tmp"
        self.handle = open(self.tmp, "w", newline="", encoding="utf-8")  # noqa: SIM115
        self.writer = csv.writer(self.handle)
        self.writer.writerow(MANIFEST_COLUMNS)

    def add(self, row: int, name: str, file: str, recipients: list[str], pages: int,
            sha256: str, made: bool, problems: list[tuple[str, str]]) -> None:
        problem = "; ".join(f"{field}: {message}" if field else message
                            for field, message in problems)
        self.writer.writerow([spreadsheet_cell(cell) for cell in (
            row, name, file, "; ".join(recipients), pages, sha256, MADE if made else FAILED,
            problem)])

    def close(self) -> None:
        self.handle.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.handle.close()
        self.tmp.unlink(missing_ok=True)


def write_mail_statuses(pack_dir: Path, rows: list[ManifestRow],
                        statuses: dict[int, str]) -> None:
    """manifest.csv again, with each row's ``mail_status``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*MANIFEST_COLUMNS, MAIL_STATUS])
    for entry in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in (
            entry.row, entry.name, entry.file, entry.recipients, entry.pages, entry.sha256,
            entry.status, entry.problem, statuses.get(entry.row, entry.mail_status))])
    write_atomically(pack_dir / MANIFEST, buffer.getvalue().encode("utf-8"))


# -- the journals -----------------------------------------------------------------------------

class Journal:
    """An append-only file of JSON lines, each whole or absent (a line a full disk cuts
    short is taken back); with ``exclusive``, held by one process at a time.

    Each line is written at once (a full disk refuses it, not a later one) and synced to
    disk before the next, or with ``sync_every`` (seconds) synced with the others at most
    that often and at ``close``: a group commit, for a journal whose last lines a power
    cut may lose at no cost but redoing them (the pack's: a volunteer not recorded is made
    again). The mail journal syncs every line: a line lost there is a letter sent twice."""

    def __init__(self, path: Path, exclusive: str | None = None, sync_every: float = 0.0):
        try:
            self.handle = path.open("ab", buffering=0)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
        self.sync_every = sync_every
        self._synced_at = -math.inf
        self._unsynced = False  # lines written since the last sync
        if exclusive is not None:
            try:
                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self.handle.close()
                raise MailError(exclusive) from None

    def record(self, entry: dict[str, Any]) -> None:
        line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        fd = self.handle.fileno()
        end = os.lseek(fd, 0, os.SEEK_END)
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            self._unsynced = True
            if time.monotonic() - self._synced_at >= self.sync_every:
                self._sync()
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, end)
            raise

    def _sync(self) -> None:
        os.fsync(self.handle.fileno())
        self._synced_at, self._unsynced = time.monotonic(), False

    def close(self) -> None:
        try:
            if self._unsynced and not self.handle.closed:
                self._sync()
        finally:
            self.handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _journal_lines(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict):
                yield entry


def read_pack_journal(pack_dir: Path) -> tuple[dt.date | None, dict[int, dict[str, Any]]]:
    """The date of the letters an earlier run made, and what it recorded of each
    volunteer it made (the last line for each row)."""
    date = None
    made: dict[int, dict[str, Any]] = {}
    for entry in _journal_lines(pack_dir / PACK_JOURNAL):
        if "date" in entry and "row" not in entry:
            date = dt.date.fromisoformat(entry["date"])
        elif isinstance(entry.get("row"), int):
            made[entry["row"]] = entry
    return date, made


# The pack journal's lines are synced together at most this often (seconds): a sync a
# volunteer held the pack's main process up more than copying their letters did.
PACK_JOURNAL_SYNC = 0.5


def open_pack_journal(pack_dir: Path, date: dt.date, fresh: bool) -> Journal:
    """The pack journal to append to; ``fresh`` starts it anew for letters of ``date``."""
    if fresh:
        (pack_dir / PACK_JOURNAL).unlink(missing_ok=True)
    journal = Journal(pack_dir / PACK_JOURNAL, sync_every=PACK_JOURNAL_SYNC)
    if fresh:
        journal.record({"date": date.isoformat()})
    return journal


def read_mail_journal(pack_dir: Path) -> dict[int, dict[str, Any]]:
    """The last outcome of each row, by row."""
    return {entry["row"]: entry for entry in _journal_lines(pack_dir / MAIL_JOURNAL)
            if isinstance(entry.get("row"), int)}


def open_mail_journal(pack_dir: Path) -> Journal:
    # One mail run at a time on a pack: two would both send.
    return Journal(pack_dir / MAIL_JOURNAL, exclusive=(
        f"another `campaign-letters mail` is sending this pack ({pack_dir}); wait for it "
        "to finish"))
